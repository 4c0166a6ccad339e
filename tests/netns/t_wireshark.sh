#!/bin/bash
# `ipsecgw export wireshark` and `show ipsec-state` against strongSwan in the
# guide's topology (ipsecgw is the cloud gateway, strongSwan initiates from
# behind the NAT): capture on the cloud gateway's wan0 from before IKE_SA_INIT,
# ping across, export the keys, and let tshark decrypt the capture with them:
# the ICMP echoes inside ESP-in-UDP and the IKE_AUTH payloads must show. The
# same capture without the key files must show neither (so the checks can
# fail). `show ipsec-state --json` must have the SPIs swanctl --list-sas has.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_ipsecgw.sh"

[ -x "$BUILD/ipsecgwd" ] || { fail "no $BUILD/ipsecgwd"; finish; }
command -v tshark >/dev/null && command -v tcpdump >/dev/null || { fail "no tshark/tcpdump"; finish; }

scenario() { # name (env: IG_IKE/IG_ESP, SW_IKE/SW_ESP, expectations)
	local n=$1 D=$T_DIR/$1 igdir swdir ws cap cap_pid p
	igdir=$D/ig swdir=$D/sw ws=$D/ws cap=$D/wan0.pcap
	mkdir -p "$D"
	topo_guide || { fail "$n: topology"; topo_teardown; return; }
	ig_config cloud "$igdir"
	sw_config onprem "$swdir"

	# The capture starts before the tunnel, so IKE_SA_INIT and IKE_AUTH are in it.
	ip netns exec "$CGW" tcpdump -i wan0 --immediate-mode -U -n -w "$cap" 'udp port 500 or udp port 4500' \
		>"$D/tcpdump.log" 2>&1 &
	cap_pid=$!
	T_PIDS+=($cap_pid)
	wait_for 5 grep -q "listening on" "$D/tcpdump.log" || log "tcpdump did not say it listens"

	if sw_start $OPGW "$swdir" && sw_load "$swdir" "$swdir/swanctl.conf" && ig_start cloud "$igdir" &&
		swanctl_ "$swdir" --initiate --child net --timeout 20 >/dev/null 2>&1 && ig_wait_up "$igdir" 20; then
		pass "$n: tunnel up"
	else
		fail "$n: tunnel up"
		dump_logs "$igdir" "$swdir"
		topo_teardown
		return
	fi

	check "$n: ping on-prem host -> cloud host" ping_ok $OHOST 192.168.25.3 3
	check "$n: ping cloud host -> on-prem host" ping_ok $CHOST 10.0.2.5 3

	# show ipsec-state: the SPIs strongSwan has, keys and encap as expected.
	ig "$igdir" show ipsec-state --json >"$igdir/state.json" 2>"$igdir/state.err"
	swanctl_ "$swdir" --list-sas >"$swdir/sas.txt" 2>&1
	check "$n: show ipsec-state --json: SPIs, algorithms and encap match swanctl --list-sas" python3 - "$igdir/state.json" "$swdir/sas.txt" "$XFRM" "$KEYLEN" <<-'EOF'
	import json, re, sys
	st = json.load(open(sys.argv[1]))
	sas = open(sys.argv[2]).read()
	want, keylen = '"name": "%s"' % sys.argv[3], int(sys.argv[4])
	# strongSwan's "in" SA is our outbound one and back.
	m = re.search(r'^\s*in\s+([0-9a-f]{8}),.*?^\s*out\s+([0-9a-f]{8}),', sas, re.S | re.M)
	if not m or len(st) != 2:
	    print("# swanctl SPIs:", m and m.groups(), "states:", len(st)); sys.exit(1)
	sw_in, sw_out = m.group(1), m.group(2)
	by = {s["direction"]: s for s in st}
	ok = (by["in"]["spi"] == "0x" + sw_out and by["out"]["spi"] == "0x" + sw_in
	      and all(s["proto"] == "esp" and s["mode"] == "tunnel" for s in st)
	      and all(json.dumps([s["aead"], s["auth"], s["enc"]]).count(want) == 1 for s in st)
	      and all(len(x["key"]) == 2 + 2 * keylen for s in st for x in (s["aead"], s["enc"]) if x)
	      and all(s["encap"] == {"type": "espinudp", "sport": 4500, "dport": s["encap"]["dport"]}
	              for s in st)
	      and by["out"]["src"] == "203.0.113.7" and by["out"]["dst"] == "198.51.100.57"
	      and by["in"]["replay_window"] == 1024
	      and by["out"]["stats"]["packets"] >= 3 and by["in"]["stats"]["packets"] >= 3
	      and by["out"]["lifetime"]["hard_seconds"] > 0
	      and all(0 <= s["use_time_s"] <= s["add_time_s"] + 1 for s in st))
	if not ok:
	    print("# swanctl in/out:", sw_in, sw_out); print("#", json.dumps(st))
	sys.exit(0 if ok else 1)
	EOF
	check "$n: show ipsec-state renders like ip -s xfrm state" sh -c \
		"ig_out=\$('$BUILD/ipsecgw' --socket '$igdir/ctl.sock' show ipsec-state) &&
		 echo \"\$ig_out\" | grep -q '^src 203.0.113.7 dst 198.51.100.57' &&
		 echo \"\$ig_out\" | grep -q '$XFRM_TEXT' &&
		 echo \"\$ig_out\" | grep -q 'encap type espinudp sport 4500' &&
		 echo \"\$ig_out\" | grep -Eq 'add [0-9-]+ [0-9:]+ use [0-9-]+ [0-9:]+'"

	sleep 0.5
	kill -INT $cap_pid 2>/dev/null
	wait $cap_pid 2>/dev/null

	mkdir -p "$D/empty"
	check "$n: export wireshark --tunnel with an unknown tunnel fails" \
		sh -c "! '$BUILD/ipsecgw' --socket '$igdir/ctl.sock' export wireshark '$D/none' --tunnel nosuch 2>/dev/null"
	if ig "$igdir" export wireshark "$ws" --tunnel peer >"$D/export.out" 2>&1; then
		pass "$n: export wireshark DIR"
	else
		fail "$n: export wireshark DIR"
		sed 's/^/#   /' "$D/export.out"
	fi
	check "$n: DIR is 0700, both files 0600" sh -c \
		"[ \$(stat -c %a '$ws') = 700 ] && [ \$(stat -c %a '$ws/esp_sa') = 600 ] &&
		 [ \$(stat -c %a '$ws/ikev2_decryption_table') = 600 ]"
	check "$n: esp_sa: two rows in Wireshark's format" sh -c "[ \$(grep -c '$ESP_RE' '$ws/esp_sa') = 2 ]"
	check "$n: ikev2_decryption_table: one row in Wireshark's format" \
		sh -c "[ \$(grep -c '$IKE_RE' '$ws/ikev2_decryption_table') = 1 ]"
	check "$n: export prints how to use the files with tshark" grep -q "WIRESHARK_CONFIG_DIR=$ws tshark" "$D/export.out"

	ts() { # config-dir args...
		local d=$1
		shift
		WIRESHARK_CONFIG_DIR=$d HOME=$T_DIR tshark -n -r "$cap" -o esp.enable_encryption_decode:TRUE "$@" 2>"$D/tshark.err"
	}
	ts "$ws" -Y icmp >"$D/icmp.txt"
	ts "$D/empty" -Y icmp >"$D/icmp-nokeys.txt"
	log "decrypted ICMP: $(grep -c 'Echo (ping) request' "$D/icmp.txt") requests, $(grep -c 'Echo (ping) reply' "$D/icmp.txt") replies"
	check "$n: tshark with the export decrypts ESP: ICMP echo requests (>= 6)" \
		sh -c "[ \$(grep -c 'Echo (ping) request' '$D/icmp.txt') -ge 6 ]"
	check "$n: tshark with the export decrypts ESP: ICMP echo replies (>= 6)" \
		sh -c "[ \$(grep -c 'Echo (ping) reply' '$D/icmp.txt') -ge 6 ]"
	check "$n: decrypted ICMP is between the inner hosts" grep -q "10.0.2.5 .* 192.168.25.3 .*Echo" "$D/icmp.txt"
	check "$n: without the keys tshark sees no ICMP" sh -c "! grep -q 'Echo' '$D/icmp-nokeys.txt'"

	ts "$ws" -V -Y 'isakmp.exchangetype == 35' >"$D/auth.txt"
	ts "$D/empty" -V -Y 'isakmp.exchangetype == 35' >"$D/auth-nokeys.txt"
	for p in "Identification - Initiator" "Identification - Responder" "Authentication" \
		"Security Association" "Traffic Selector - Initiator" "Traffic Selector - Responder"; do
		check "$n: tshark decrypts IKE_AUTH: $p" grep -q "Payload: $p (" "$D/auth.txt"
	done
	check "$n: IKE_AUTH shows the on-prem ID 198.51.100.57" grep -q "ID_IPV4_ADDR: 198.51.100.57" "$D/auth.txt"
	check "$n: without the keys IKE_AUTH stays encrypted" sh -c "! grep -q 'Payload: Identification - Initiator' '$D/auth-nokeys.txt'"
	grep -v '^#' "$ws/esp_sa" "$ws/ikev2_decryption_table" | grep -oE '[0-9a-f]{32,}' >"$D/keys.txt"
	check "$n: ipsecgwd never logged a key ($(wc -l <"$D/keys.txt") keys checked)" \
		sh -c "[ \$(wc -l <'$D/keys.txt') -ge 4 ] && ! grep -qi -f '$D/keys.txt' '$igdir/ipsecgwd.log'"
	topo_teardown
}

H='[0-9a-f]' Q='\"'
# The guide's suite: AES-CBC-256 and HMAC-SHA-256-128 in IKE and ESP.
XFRM=cbc\(aes\) KEYLEN=32 XFRM_TEXT="auth-trunc hmac(sha256) 0x$H\{64\} 128" \
	ESP_RE="^${Q}IPv4$Q,$Q[0-9.]*$Q,$Q[0-9.]*$Q,${Q}0x$H\{8\}$Q,${Q}AES-CBC \[RFC3602\]$Q,${Q}0x$H\{64\}$Q,${Q}HMAC-SHA-256-128 \[RFC4868\]$Q,${Q}0x$H\{64\}$Q\$" \
	IKE_RE="^$H\{16\},$H\{16\},$H\{64\},$H\{64\},${Q}AES-CBC-256 \[RFC3602\]$Q,$H\{64\},$H\{64\},${Q}HMAC_SHA2_256_128 \[RFC4868\]$Q\$" \
	scenario guide
# AEAD: AES-GCM-256 with a 16-octet ICV in both (keys with the 4-byte salt, no integrity key).
SW_IKE=aes256gcm16-prfsha256-ecp256 SW_ESP=aes256gcm16 IG_IKE=aes256gcm16-prfsha256-ecp256 IG_ESP=aes256gcm16 \
	XFRM="rfc4106(gcm(aes))" KEYLEN=36 XFRM_TEXT="aead rfc4106(gcm(aes)) 0x$H\{72\} 128" \
	ESP_RE="^${Q}IPv4$Q,$Q[0-9.]*$Q,$Q[0-9.]*$Q,${Q}0x$H\{8\}$Q,${Q}AES-GCM with 16 octet ICV \[RFC4106\]$Q,${Q}0x$H\{72\}$Q,${Q}NULL$Q,$Q$Q\$" \
	IKE_RE="^$H\{16\},$H\{16\},$H\{72\},$H\{72\},${Q}AES-GCM-256 with 16 octet ICV \[RFC5282\]$Q,,,${Q}NONE \[RFC4306\]$Q\$" \
	scenario gcm

finish
