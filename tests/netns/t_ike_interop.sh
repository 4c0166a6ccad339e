#!/bin/bash
# IKEv2 interop with strongSwan 5.9.8 in the guide's topology (lib.sh):
# ipsecgw as responder and as initiator, on either side of the NAT, the
# guide's parameters (IKEv2, PSK, aes256-sha256-modp1024 for IKE and ESP,
# DPD 15 s), then the other suites, route-based 0.0.0.0/0 selectors and
# outer IPv6. Every scenario checks that ipsecgw's `show ike-sa --json` and
# `show ipsec-sa --json` agree with `swanctl --list-sas`: same SPIs, same
# algorithms.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_ipsecgw.sh"

[ -x "$BUILD/ipsecgwd" ] || { fail "no $BUILD/ipsecgwd"; finish; }

scenario() { # name ig-role initiator(ig|sw)
	local name=$1 igrole=$2 init=$3 swrole igdir swdir
	if [ "$igrole" = cloud ]; then swrole=onprem; else swrole=cloud; fi
	igdir=$T_DIR/$name/ig swdir=$T_DIR/$name/sw
	if ! topo_guide; then fail "$name: topology"; topo_teardown; return; fi
	# The cloud side initiating toward the peer behind the NAT needs a port forward.
	if { [ "$init" = ig ] && [ "$igrole" = cloud ]; } || { [ "$init" = sw ] && [ "$swrole" = cloud ]; }; then
		nat_forward
	fi
	IG_START=$([ "$init" = ig ] && echo initiate || echo respond) ig_config "$igrole" "$igdir"
	sw_config "$swrole" "$swdir"
	role_vars "$swrole"
	if ! sw_start "$R_NS" "$swdir" || ! sw_load "$swdir" "$swdir/swanctl.conf" ||
		! ig_start "$igrole" "$igdir"; then
		fail "$name: start"
		dump_logs "$igdir" "$swdir"
		topo_teardown
		return
	fi
	[ "$init" = sw ] && swanctl_ "$swdir" --initiate --child net --timeout 20 >"$swdir/initiate.log" 2>&1
	if ig_wait_up "$igdir" 20; then
		pass "$name: IKE and CHILD SA up"
	else
		fail "$name: IKE and CHILD SA up"
		dump_logs "$igdir" "$swdir"
		topo_teardown
		return
	fi
	if compare_sas "$igdir" "$swdir" >"$igdir/compare.txt"; then
		pass "$name: same SPIs and algorithms in both daemons"
	else
		fail "$name: same SPIs and algorithms in both daemons"
		sed 's/^/#   /' "$igdir/compare.txt"
		sed 's/^/#   /' "$swdir/sas.txt"
	fi
	role_vars "$igrole"
	check "$name: remote address is the peer's ($R_PEER)" grep -q "\"remote_addr\": \"$R_PEER\"" "$igdir/ike.json"
	# The text tables validate the JSON shapes the daemon returns.
	if ig "$igdir" status >"$igdir/text.txt" 2>&1 && ig "$igdir" show tunnels >>"$igdir/text.txt" 2>&1 &&
		ig "$igdir" show ike-sa >>"$igdir/text.txt" 2>&1 && ig "$igdir" show ipsec-sa >>"$igdir/text.txt" 2>&1; then
		pass "$name: status and show tables render"
	else
		fail "$name: status and show tables render"
		sed 's/^/#   /' "$igdir/text.txt"
	fi
	check "$name: status has statusall-style per-SA lines" sh -c "grep -q '^peer\[[0-9]*\]: IKE proposal: ' '$igdir/text.txt' && grep -q '^peer{[0-9]*}: INSTALLED, TUNNEL' '$igdir/text.txt'"
	if [ "${CHECK_NAT:-}" != "" ]; then
		check "$name: NAT-T on 4500" sh -c "grep -q '\"nat_t\": true' '$igdir/ike.json'"
	fi
	topo_teardown
}

# The guide: ipsecgw is the cloud gateway, strongSwan the on-prem one behind NAT.
CHECK_NAT=1 scenario guide-ig-responder cloud sw
CHECK_NAT=1 scenario guide-ig-initiator cloud ig
# The other way round: ipsecgw behind the NAT.
CHECK_NAT=1 scenario behind-nat-ig-initiator onprem ig
CHECK_NAT=1 scenario behind-nat-ig-responder onprem sw

SW_IKE=aes128-sha1-modp2048 SW_ESP=aes128-sha1-modp2048 \
	IG_IKE=aes128-sha1-modp2048 IG_ESP=aes128-sha1-modp2048 scenario aes128-sha1-modp2048 cloud sw
SW_IKE=aes256gcm16-prfsha384-ecp384 SW_ESP=aes256gcm16-ecp384 \
	IG_IKE=aes256gcm16-prfsha384-ecp384 IG_ESP=aes256gcm16-ecp384 scenario gcm-ecp384 cloud ig
SW_IKE=aes256-sha512-curve25519 SW_ESP=aes256-sha512-curve25519 \
	IG_IKE=aes256-sha512-curve25519 IG_ESP=aes256-sha512-curve25519 scenario sha512-x25519-pfs cloud sw
# Route-based: VyOS' VTI negotiates 0.0.0.0/0 both ways.
SW_TS_ANY=1 IG_TYPE=route scenario route-based cloud sw
# Outer IPv6 (no NAT for IPv6).
TOPO_V6=1 scenario outer-ipv6 cloud sw

finish
