#!/bin/bash
# Traffic through the userspace ESP data path against strongSwan (and
# ipsecgw against itself): pings and a 50 MB TCP transfer with matching
# checksums both ways, in the guide's topology through the NAT, route-based
# (0.0.0.0/0 selectors, VTI-style), without NAT, and ipsecgw<->ipsecgw over
# raw ESP (IP protocol 50).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_ipsecgw.sh"

[ -x "$BUILD/ipsecgwd" ] || { fail "no $BUILD/ipsecgwd"; finish; }
MB=${XFER_BYTES:-52428800}

traffic() { # name
	local name=$1
	check "$name: ping on-prem host -> cloud host" ping_ok $OHOST 192.168.25.3 5
	check "$name: ping cloud host -> on-prem host" ping_ok $CHOST 10.0.2.5 5
	check "$name: ping cloud host -> 192.168.0.123 (second remote subnet)" ping_ok $CHOST 192.168.0.123 3
	check "$name: 50 MB cloud -> on-prem, checksums match" xfer_ok $CHOST $OHOST 10.0.2.5 $MB
	check "$name: 50 MB on-prem -> cloud, checksums match" xfer_ok $OHOST $CHOST 192.168.25.3 $MB
}

# 1. The guide: strongSwan behind the NAT initiates, policy-based, two remote subnets.
topo_guide || { fail topology; finish; }
igdir=$T_DIR/guide/ig swdir=$T_DIR/guide/sw
ig_config cloud "$igdir"
sw_config onprem "$swdir"
if sw_start $OPGW "$swdir" && sw_load "$swdir" "$swdir/swanctl.conf" && ig_start cloud "$igdir" &&
	swanctl_ "$swdir" --initiate --child net --timeout 20 >/dev/null 2>&1 && ig_wait_up "$igdir" 20; then
	pass "guide: tunnel up"
	traffic guide
	ig "$igdir" show ipsec-sa --json >"$igdir/ipsec.json"
	check "guide: byte counters moved (>= 100 MB each way)" python3 -c "
import json,sys; c=json.load(open('$igdir/ipsec.json'))[0]
sys.exit(0 if c['bytes_in'] >= 100e6/2 and c['bytes_out'] >= 100e6/2 else 1)"
else
	fail "guide: tunnel up"
	dump_logs "$igdir" "$swdir"
fi
topo_teardown

# 2. Route-based: 0.0.0.0/0 selectors, a TUN per tunnel with 169.254.200.5/30.
# strongSwan as the VyOS-like peer: no routes of its own into table 220 (they
# would swallow its IKE), a rule for the peer, explicit routes via ipsec0 (LAB.md).
topo_guide || { fail topology; finish; }
igdir=$T_DIR/route/ig swdir=$T_DIR/route/sw
IG_TYPE=route ig_config cloud "$igdir"
SW_TS_ANY=1 sw_config onprem "$swdir"
ip -n $OPGW rule add to 203.0.113.7 lookup main pref 100
# kernel-libipsec puts "default dev ipsec0" into table 220 even with
# install_routes = no; keep its own LAN out of it, or decrypted packets for
# 10.0.2.5 go straight back into the tunnel.
ip -n $OPGW rule add to 10.0.2.0/24 lookup main pref 101
if sw_start $OPGW "$swdir" no && sw_load "$swdir" "$swdir/swanctl.conf" && ig_start cloud "$igdir" &&
	swanctl_ "$swdir" --initiate --child net --timeout 20 >/dev/null 2>&1 && ig_wait_up "$igdir" 20; then
	pass "route-based: tunnel up"
	ip -n $OPGW route add 192.168.25.0/24 dev ipsec0
	check "route-based: vti1 carries 169.254.200.5/30" sh -c "ip -n $CGW addr show vti1 | grep -q 169.254.200.5"
	check "route-based: 10.0.2.0/24 routed via the peer tunnel IP" sh -c "ip -n $CGW route show 10.0.2.0/24 | grep -q 'via 169.254.200.6'"
	traffic route-based
else
	fail "route-based: tunnel up"
	dump_logs "$igdir" "$swdir"
fi
topo_teardown

# 3. No NAT on the path (strongSwan's kernel-libipsec still asks for ESP in UDP).
topo_nonat || { fail topology; finish; }
igdir=$T_DIR/nonat/ig swdir=$T_DIR/nonat/sw
NONAT=1 IG_START=initiate ig_config cloud "$igdir"
sw_config onprem "$swdir"
if sw_start $OPGW "$swdir" && sw_load "$swdir" "$swdir/swanctl.conf" && ig_start cloud "$igdir" &&
	ig_wait_up "$igdir" 20; then
	pass "no NAT, ipsecgw initiates: tunnel up"
	traffic no-nat
else
	fail "no NAT, ipsecgw initiates: tunnel up"
	dump_logs "$igdir" "$swdir"
fi
topo_teardown

# 4. ipsecgw <-> ipsecgw without NAT: raw ESP (IP protocol 50).
topo_nonat || { fail topology; finish; }
igdir=$T_DIR/raw/cloud opdir=$T_DIR/raw/onprem
NONAT=1 ig_config cloud "$igdir"
IG_START=initiate ig_config onprem "$opdir"
# The on-prem one is not behind a NAT here: its public address is its own.
sed -i 's/public-ip: 198.51.100.57/public-ip: 192.168.0.123/' "$opdir/ipsecgw.yaml"
sed -i 's/remote-id: 198.51.100.57/remote-id: 192.168.0.123/' "$igdir/ipsecgw.yaml"
if ig_start cloud "$igdir" && ig_start onprem "$opdir" && ig_wait_up "$igdir" 20 && ig_wait_up "$opdir" 20; then
	pass "ipsecgw<->ipsecgw: tunnel up"
	ig "$igdir" show ipsec-sa --json >"$igdir/ipsec.json"
	check "ipsecgw<->ipsecgw: no encapsulation (raw ESP)" grep -q '"encap": false' "$igdir/ipsec.json"
	nsx $INET tcpdump -c 3 -ni n0 -w "$T_DIR/raw.pcap" esp >/dev/null 2>&1 &
	tpid=$!
	T_PIDS+=($tpid)
	sleep 1
	traffic raw-esp
	wait $tpid
	check "ipsecgw<->ipsecgw: ESP (protocol 50) on the wire" sh -c "tcpdump -nr '$T_DIR/raw.pcap' 2>/dev/null | grep -q ESP"
else
	fail "ipsecgw<->ipsecgw: tunnel up"
	dump_logs "$igdir" "$opdir"
fi
finish
