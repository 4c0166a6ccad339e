#!/bin/bash
# Hostile peers (docs/security.md): while a real tunnel strongSwan -> ipsecgw
# (the guide's topology, lib.sh) carries a ping stream every 50 ms, an
# attacker namespace on the "internet" sends malformed IKE (truncated,
# oversized, wrong lengths, wrong chains, unknown critical payloads, bad
# version/exchange), IKE_AUTH with a garbage SK to half-open SAs it made,
# IKE_SA_INIT from one address (per-source limit) and from 150 addresses x 4
# ports (cookies), ESP (in UDP and raw) with unknown SPIs, ESP with the real SPI and a bad
# ICV, garbage on UDP 4500; and the on-path router replays the captured
# strongSwan traffic (IKE and ESP) in order and reversed.
#
#   attacker ($P-atk) 192.0.2.2, 192.0.2.10-159 --- 192.0.2.1 ($P-inet) --- the guide's topology
#
# Asserted: the daemon stays alive and answers `status`, the tunnel loses at
# most 1% of its pings, every class of bad input shows in `status --json`
# "dropped" (and cookies in "ike_guard"), the log stays short (rate-limited),
# half-open SAs stay within their limits and VmRSS grows less than 20 MB.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_ipsecgw.sh"

[ -x "$BUILD/ipsecgwd" ] || { fail "no $BUILD/ipsecgwd"; finish; }
HOSTILE="python3 $(dirname "$0")/hostile.py"
igdir=$T_DIR/ig swdir=$T_DIR/sw
ATK=$P-atk

topo_guide || { fail topology; finish; }
ns_add $ATK && link $INET a0 $ATK eth0 || { fail "attacker namespace"; finish; }
addr $INET a0 192.0.2.1/24
addr $ATK eth0 192.0.2.2/24
for i in $(seq 9 159); do ip -n $ATK addr add 192.0.2.$i/32 dev eth0; done
ip -n $ATK route add default via 192.0.2.1

# A %any responder tunnel as well: the exposed case, anyone may start IKE_SA_INIT.
IG_EXTRA='  - name: anyone
    peer: "%any"
    remote-id: "%any"
    psk: "another 8 to 40 characters"
    remote-subnets: [10.99.0.0/24]
    start: respond' ig_config cloud "$igdir"
sed -i 's/^log: .*/log: { level: debug }/' "$igdir/ipsecgw.yaml"
sw_config onprem "$swdir"
# Capture strongSwan's side of everything (IKE on 500 and 4500, ESP in UDP) for the replay.
ip netns exec $INET tcpdump -i n0 -U -w "$T_DIR/peer.pcap" \
	"src host 198.51.100.57 and dst host 203.0.113.7 and udp" >"$T_DIR/tcpdump.out" 2>&1 &
T_PIDS+=($!)
TCPDUMP=$!
sw_start $OPGW "$swdir" && sw_load "$swdir" "$swdir/swanctl.conf" && ig_start cloud "$igdir" ||
	{ fail "start"; dump_logs "$igdir" "$swdir"; finish; }
PID=$(cat "$igdir/ipsecgwd.pid")
swanctl_ "$swdir" --initiate --child net --timeout 20 >/dev/null 2>&1
check "tunnel up" ig_wait_up "$igdir" 20 || { dump_logs "$igdir" "$swdir"; finish; }
check "pings cross before the attack" ping_ok $OHOST 192.168.25.3 20
SPI_IN=$(ig "$igdir" show ipsec-sa --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["spi_in"])')
rss() { awk '$1 == "VmRSS:" {print $2}' /proc/"$PID"/status; }
RSS0=$(rss)
LINES0=$(wc -l <"$igdir/ipsecgwd.log")

# The ping stream under attack: 1400 pings at 50 ms, about 70 s.
ip netns exec $OHOST ping -q -i 0.05 -c 1400 -W 2 192.168.25.3 >"$T_DIR/ping.out" 2>&1 &
T_PIDS+=($!)
PING=$!
sleep 2
kill "$TCPDUMP"
wait "$TCPDUMP" 2>/dev/null

atk() { # name args...: runs the attacker, keeps its JSON
	local n=$1
	shift
	ip netns exec $ATK $HOSTILE "$@" >"$T_DIR/atk-$n.json" 2>"$T_DIR/atk-$n.err"
	echo "# attacker $n: $(cat "$T_DIR/atk-$n.json") $(tail -1 "$T_DIR/atk-$n.err")"
}
alive() { kill -0 "$PID" 2>/dev/null && timeout 5 "$BUILD/ipsecgw" --socket "$igdir/ctl.sock" status >/dev/null 2>&1; }

atk junk junk 203.0.113.7
check "after malformed IKE: daemon alive and answering" alive
atk per-source per-source 203.0.113.7 30
atk auth auth-garbage 203.0.113.7 192.0.2.9
atk flood flood 203.0.113.7 192.0.2.10 150 4
check "during the IKE_SA_INIT flood: daemon alive and answering" alive
ig "$igdir" status --json >"$T_DIR/flood.json"
atk esp esp 203.0.113.7 "$SPI_IN"
# The on-path router replays what strongSwan sent, in order and reversed.
ip netns exec $INET $HOSTILE replay "$T_DIR/peer.pcap" >"$T_DIR/replay.json" 2>&1
ip netns exec $INET $HOSTILE replay "$T_DIR/peer.pcap" reverse >>"$T_DIR/replay.json" 2>&1
sed 's/^/# replay: /' "$T_DIR/replay.json"
check "after ESP junk and replays: daemon alive and answering" alive
RSS1=$(rss)

wait "$PING"
# A new logging window (10 s) has begun: one more bad datagram makes the
# limiter say how many lines it held back.
atk one one 203.0.113.7
sed 's/^/# /' "$T_DIR/ping.out"
check "the tunnel lost at most 1% of its pings" python3 -c '
import re, sys
m = re.search(r"(\d+) packets transmitted, (\d+) received", open(sys.argv[1]).read())
sent, got = int(m.group(1)), int(m.group(2))
sys.exit(0 if sent >= 1000 and (sent - got) * 100 <= sent else 1)' "$T_DIR/ping.out"

ig "$igdir" status --json >"$T_DIR/status.json"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("# dropped:", json.dumps(s["dropped"])); print("# ike_guard:", json.dumps(s["ike_guard"]))' "$T_DIR/status.json"
counted() { # description key...: each "dropped" counter is > 0
	local d=$1
	shift
	check "counted: $d" python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
sys.exit(0 if all(s["dropped"].get(k, 0) > 0 for k in sys.argv[2:]) else 1)' "$T_DIR/status.json" "$@"
}
counted "truncated, oversized, wrongly lengthed, bad version" ike_header
counted "wrong payload lengths and chains" ike_malformed
counted "unknown critical payload" ike_unknown_critical
counted "IKE_AUTH with a garbage SK" ike_decrypt_failed
counted "IKE for SPIs we do not have" ike_unknown_spi
counted "IKE requests and responses out of the window (reordered)" ike_out_of_window
check "replayed IKE requests are answered as retransmissions (2.1)" python3 -c '
import json, sys
sys.exit(0 if json.load(open(sys.argv[1]))["ike_guard"]["retransmits_answered"] > 0 else 1)' "$T_DIR/status.json"
counted "IKE_SA_INIT over the per-source limit" ike_per_source_limit
counted "ESP with unknown SPIs" esp_unknown_spi
counted "ESP with a bad ICV" esp_bad_icv
counted "replayed ESP" esp_replayed
counted "garbage on UDP 4500" udp_malformed
check "cookies engaged above the half-open threshold (sent and seen by the attacker)" python3 -c '
import json, sys
g = json.load(open(sys.argv[1]))["ike_guard"]
a = json.load(open(sys.argv[2]))
sys.exit(0 if g["cookies_sent"] > 0 and a["cookies"] > 0 else 1)' "$T_DIR/status.json" "$T_DIR/atk-flood.json"
check "half-open SAs bounded: per source <= 8 answered, connecting <= threshold + 8" python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
f = json.load(open(sys.argv[2]))
sys.exit(0 if p["responses"] <= 8 and f["ike_sas_connecting"] <= f["ike_guard"]["cookie_threshold"] + 8 else 1)' \
	"$T_DIR/atk-per-source.json" "$T_DIR/flood.json"
echo "# VmRSS before $RSS0 kB, after $RSS1 kB"
check "memory bounded: VmRSS grew by less than 20 MB" [ $((RSS1 - RSS0)) -lt 20480 ]
LINES1=$(wc -l <"$igdir/ipsecgwd.log")
echo "# log lines during the attack (debug level): $((LINES1 - LINES0))"
check "the log stayed short under attack (< 1500 lines at debug level)" [ $((LINES1 - LINES0)) -lt 1500 ]
check "the log says how many similar messages it suppressed" wait_for 3 grep -q "[1-9][0-9]* similar messages suppressed" "$igdir/ipsecgwd.log"
check "the real IKE SA is still the one from before (established)" sh -c \
	"'$BUILD/ipsecgw' --socket '$igdir/ctl.sock' show ipsec-sa --json | grep -q '$SPI_IN'"
check "pings still cross after the attack" ping_ok $OHOST 192.168.25.3 3
if [ "$T_FAILS" -gt 0 ]; then
	dump_logs "$igdir" "$swdir"
fi
finish
