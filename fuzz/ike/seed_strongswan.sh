#!/bin/bash
# Seeds fuzz/corpus/fuzz_ike_msg from real exchanges with strongSwan 5.9.8:
# the guide's topology (tests/netns/lib.sh), strongSwan initiates to
# ipsecgw, traffic, then ipsecgw deletes the tunnel; the capture on the
# cloud gateway and the keys from `ipsecgw export wireshark` go through
# sk_plain.py, which writes every message with its SK payload decrypted.
# One run per IKE suite (CBC+HMAC and GCM). Root, like the netns tests.
#   fuzz/ike/seed_strongswan.sh [BUILD] [OUTDIR]
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${2:-$HERE/../corpus/fuzz_ike_msg}
. "$HERE/../../tests/netns/lib.sh"
. "$HERE/../../tests/netns/lib_ipsecgw.sh"

run() { # prefix ike esp
	local n=$1 D=$T_DIR/$1 igdir swdir
	igdir=$D/ig swdir=$D/sw
	topo_guide || return 1
	IG_IKE=$2 IG_ESP=$3 ig_config cloud "$igdir"
	SW_IKE=$2 SW_ESP=$3 sw_config onprem "$swdir"
	ip netns exec "$CGW" tcpdump -i wan0 -U -n -w "$D/ike.pcap" 'udp port 500 or udp port 4500' \
		>"$D/tcpdump.log" 2>&1 &
	T_PIDS+=($!)
	sleep 1
	sw_start $OPGW "$swdir" && sw_load "$swdir" "$swdir/swanctl.conf" && ig_start cloud "$igdir" &&
		swanctl_ "$swdir" --initiate --child net --timeout 20 >/dev/null 2>&1 &&
		ig_wait_up "$igdir" 20 || { dump_logs "$igdir" "$swdir"; return 1; }
	ping_ok $OHOST 192.168.25.3 2
	ig "$igdir" export wireshark "$D/ws" >/dev/null || return 1
	ig "$igdir" down peer >/dev/null
	sleep 2
	python3 "$HERE/sk_plain.py" "$D/ike.pcap" "$D/ws/ikev2_decryption_table" "$OUT" "$n"
	topo_teardown
}

run strongswan_cbc aes256-sha256-modp1024 aes256-sha256-modp1024 &&
	run strongswan_gcm aes256gcm16-prfsha384-ecp384 aes256gcm16-ecp384
