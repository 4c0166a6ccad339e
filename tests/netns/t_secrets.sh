#!/bin/bash
# Secrets never in the log (PRODUCT.md, docs/security.md): strongSwan sets up
# the guide's tunnel to ipsecgw, traffic crosses, the operator takes it down
# and stops the daemon, all with every subsystem at debug. Then the whole
# daemon log is searched for the PSK and for every key the daemon reports
# (SK_ei/er/ai/ar from `export wireshark`, the ESP keys from `show
# ipsec-state --json`), in lower- and upper-case hex and as their first 8
# bytes. None may be there. With `log: { keys: true }` the same run must
# show the keys (so the search can fail), but still not the PSK.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_ipsecgw.sh"

[ -x "$BUILD/ipsecgwd" ] || { fail "no $BUILD/ipsecgwd"; finish; }
PSK="secret-PSK-4c1e9a7b2d"

scenario() { # name keys(true|false)
	local n=$1 keys=$2 D=$T_DIR/$1 igdir swdir pid
	igdir=$D/ig swdir=$D/sw
	topo_guide || { fail "$n: topology"; topo_teardown; return; }
	IG_PSK=$PSK ig_config cloud "$igdir"
	sed -i "s/^log: .*/log: { level: debug, keys: $keys }/" "$igdir/ipsecgw.yaml"
	SW_PSK=$PSK sw_config onprem "$swdir"
	if sw_start $OPGW "$swdir" && sw_load "$swdir" "$swdir/swanctl.conf" && ig_start cloud "$igdir" &&
		swanctl_ "$swdir" --initiate --child net --timeout 20 >/dev/null 2>&1 && ig_wait_up "$igdir" 20; then
		pass "$n: tunnel up (debug everywhere, keys: $keys)"
	else
		fail "$n: tunnel up"
		dump_logs "$igdir" "$swdir"
		topo_teardown
		return
	fi
	check "$n: pings cross" ping_ok $OHOST 192.168.25.3 5
	ig "$igdir" show ipsec-state --json >"$D/state.json"
	ig "$igdir" export wireshark "$D/ws" >/dev/null
	ig "$igdir" status --json >/dev/null
	ig "$igdir" show ike-sa --json >/dev/null
	ig "$igdir" down peer >/dev/null 2>&1
	sleep 1
	pid=$(cat "$igdir/ipsecgwd.pid")
	kill "$pid"
	wait_for 5 sh -c "! kill -0 $pid 2>/dev/null"
	python3 - "$igdir/ipsecgwd.log" "$D/state.json" "$D/ws/ikev2_decryption_table" "$PSK" \
		>"$D/found.txt" <<'EOF'
import json, sys
log = open(sys.argv[1], encoding="utf-8", errors="replace").read()
keys = {}
for sa in json.load(open(sys.argv[2])):
    for alg in ("aead", "enc", "auth"):
        if sa.get(alg):
            keys["ESP %s %s %s" % (sa["spi"], sa["direction"], alg)] = sa[alg]["key"].removeprefix("0x")
for row in open(sys.argv[3]):
    f = row.strip().split(",")
    if len(f) >= 7:
        for name, i in (("SK_ei", 2), ("SK_er", 3), ("SK_ai", 5), ("SK_ar", 6)):
            if f[i]:
                keys[name] = f[i].lower()
found = []
for name, k in keys.items():
    k = k.lower()
    if k in log or k.upper() in log or k[:16] in log or k[:16].upper() in log:
        found.append(name)
psk = sys.argv[4]
print("keys %d found %d psk %s" % (len(keys), len(found), "found" if psk in log else "absent"))
for name in found:
    print("  in the log: " + name)
EOF
	sed 's/^/# /' "$D/found.txt"
	check "$n: the search had the PSK and at least 6 keys to look for" grep -Eq "^keys ([6-9]|[1-9][0-9])" "$D/found.txt"
	check "$n: the PSK is not in the log" grep -q "psk absent" "$D/found.txt"
	if [ "$keys" = true ]; then
		check "$n: every key is in the log (keys: true)" sh -c \
			"read -r _ k _ f _ <'$D/found.txt' && [ \"\$k\" = \"\$f\" ]"
	else
		check "$n: no key is in the log" grep -q " found 0 " "$D/found.txt"
	fi
	check "$n: the log is at debug level" grep -q " debug " "$igdir/ipsecgwd.log"
	topo_teardown
}

scenario no-keys false
scenario keys true
finish
