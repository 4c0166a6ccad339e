#!/bin/bash
# make bench (docs/bench.md): in one run
#  (a) bench_esp: in-process ESP encap+decap per core at 1400-byte packets,
#      as a percentage of raw OpenSSL doing the same crypto in the same run,
#      plus `openssl speed` for reference;
#  (b) iperf3 TCP through the tunnel, in namespaces (the guide's topology
#      without the NAT, tests/netns/lib.sh topo_nonat), for
#      strongSwan<->strongSwan (kernel-libipsec), ipsecgw<->strongSwan and
#      ipsecgw<->ipsecgw, as ratios to strongSwan<->strongSwan.
# Prints a table and JSON and writes the JSON to $BUILD/bench.json.
# Not a test: `make test` never runs it. Needs root (namespaces, TUN).
#
# Environment: BENCH_TIME (iperf3 seconds, default 10), BENCH_SUITES
# (default "aes256gcm16 aes256-sha256"), BENCH_ESP_TIME (seconds per
# bench_esp measurement, default 2), BENCH_PAIRS (default "sw-sw ig-sw
# ig-ig"), BENCH_SKIP_TUNNELS=1 (part (a) only), KEEP_TMP=1 (keep the logs).
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
BUILD_DIR=${BUILD:-build}
case $BUILD_DIR in /*) BUILD_ABS=$BUILD_DIR ;; *) BUILD_ABS=$ROOT/$BUILD_DIR ;; esac
IPERF_TIME=${BENCH_TIME:-10}
SUITES=${BENCH_SUITES:-"aes256gcm16 aes256-sha256"}
ESP_TIME=${BENCH_ESP_TIME:-2}
PAIRS=${BENCH_PAIRS:-"sw-sw ig-sw ig-ig"}

[ -f "$BUILD_DIR/build.ninja" ] || meson setup "$BUILD_DIR" || exit 1
ninja -C "$BUILD_DIR" || exit 1

# The namespace helpers; they install the cleanup trap (every namespace and
# process made here goes at exit, also on failure or Ctrl-C).
set --
P=bn$$
. "$ROOT/tests/netns/lib.sh"
. "$ROOT/tests/netns/lib_ipsecgw.sh" "$BUILD_ABS"
OUT=$T_DIR/out
mkdir -p "$OUT"

say() { echo "== $*"; }

# ---- (a) in-process ESP versus raw OpenSSL
say "bench_esp (${ESP_TIME} s per measurement)"
if ! "$BUILD_DIR/bench/bench_esp" -t "$ESP_TIME" -j "$OUT/esp.json"; then
	echo "bench_esp: FAILED"
	echo '{"error": "bench_esp failed"}' >"$OUT/esp.json"
fi

# openssl speed for reference (its own loop, encryption only / MAC only).
say "openssl speed -bytes 1400 -seconds 2 (reference; one direction only)"
: >"$OUT/speed.txt"
for a in "-evp aes-256-gcm" "-evp aes-256-cbc" "-hmac sha256"; do
	# shellcheck disable=SC2086
	openssl speed -bytes 1400 -seconds 2 $a 2>/dev/null | tail -1 | tee -a "$OUT/speed.txt"
done

# ---- (b) iperf3 through the tunnel
: >"$OUT/tunnels.txt"
record() { # pairing suite mbps/retransmits|FAILED note
	echo "$1 $2 $3 ${4:-}" >>"$OUT/tunnels.txt"
}

# Forgets a PID that was waited for (its number may be reused), so that
# the cleanup trap does not signal a stranger.
unrecord() { # pid
	local p keep=()
	for p in "${T_PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
	T_PIDS=("${keep[@]}")
}

# iperf3 server in $OHOST (one test, then it exits), client in $CHOST.
iperf_run() { # pairing suite
	local json=$T_DIR/iperf-$1-$2.json spid bps
	ip netns exec "$OHOST" iperf3 -s -1 -p 5201 >"$T_DIR/iperf-server-$1-$2.log" 2>&1 &
	spid=$!
	T_PIDS+=("$spid")
	wait_for 5 sh -c "ip netns exec $OHOST ss -ltn | grep -q ':5201 '" || {
		record "$1" "$2" FAILED "iperf3 server did not start"
		return 1
	}
	ip netns exec "$CHOST" timeout $((IPERF_TIME + 30)) iperf3 -c 10.0.2.5 -p 5201 \
		-t "$IPERF_TIME" -J >"$json" 2>"$json.err"
	# -1: the server exits after the test; stop it if the client never came.
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	unrecord "$spid"
	bps=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
e = d["end"]
print("%.1f/%d" % (e["sum_received"]["bits_per_second"] / 1e6, e["sum_sent"].get("retransmits", -1)))' \
		"$json" 2>/dev/null)
	if [ -z "$bps" ]; then
		record "$1" "$2" FAILED "iperf3: $(head -c 200 "$json.err" "$json" | tr '\n' ' ')"
		return 1
	fi
	record "$1" "$2" "$bps"
	echo "# $1 $2: ${bps%/*} Mbit/s, ${bps#*/} TCP retransmits"
}

# After the tunnel is up: a ping both ways (also installs any state), iperf3.
measure() { # pairing suite
	if ! wait_for 10 ping_ok "$CHOST" 10.0.2.5 1; then
		record "$1" "$2" FAILED "no ping through the tunnel"
		return 1
	fi
	iperf_run "$1" "$2"
}

ike_esp() { # suite -> sets IKE, ESP proposal strings (the same for both peers)
	IKE=aes256-sha256-modp2048
	case $1 in
	aes256gcm16) ESP=aes256gcm16-modp2048 ;;
	*) ESP=aes256-sha256-modp2048 ;;
	esac
}

# 1. strongSwan <-> strongSwan (kernel-libipsec, always ESP in UDP).
pair_sw_sw() { # suite
	local s=$1
	local cdir=$T_DIR/$s/sw-sw/sw-cloud odir=$T_DIR/$s/sw-sw/sw-onprem
	ike_esp "$s"
	topo_nonat || { record sw-sw "$s" FAILED topology; return 1; }
	NONAT=1 SW_IKE=$IKE SW_ESP=$ESP sw_config cloud "$cdir"
	NONAT=1 SW_IKE=$IKE SW_ESP=$ESP sw_config onprem "$odir"
	# Without the NAT the on-prem gateway (192.168.0.123) is inside the cloud
	# side's remote subnet 192.168.0.0/24: keep IKE and ESP-in-UDP to it out
	# of kernel-libipsec's table 220, or they go into the tunnel (LAB.md).
	ip -n "$CGW" rule add to 192.168.0.123 lookup main pref 100
	if sw_start "$CGW" "$cdir" && sw_start "$OPGW" "$odir" && sw_load "$cdir" "$cdir/swanctl.conf" &&
		sw_load "$odir" "$odir/swanctl.conf" &&
		swanctl_ "$odir" --initiate --child net --timeout 20 >"$odir/initiate.log" 2>&1; then
		measure sw-sw "$s"
	else
		record sw-sw "$s" FAILED "tunnel did not come up"
		echo "# --- swanctl --initiate"
		sed 's/^/#   /' "$odir/initiate.log" 2>/dev/null
		dump_logs "$cdir" "$odir"
	fi
	topo_teardown
}

# 2. ipsecgw (cloud) <-> strongSwan (on-prem); ipsecgw initiates.
pair_ig_sw() { # suite
	local s=$1
	local igdir=$T_DIR/$s/ig-sw/ig-cloud swdir=$T_DIR/$s/ig-sw/sw-onprem
	ike_esp "$s"
	topo_nonat || { record ig-sw "$s" FAILED topology; return 1; }
	NONAT=1 IG_START=initiate IG_IKE=$IKE IG_ESP=$ESP ig_config cloud "$igdir"
	SW_IKE=$IKE SW_ESP=$ESP sw_config onprem "$swdir"
	if sw_start "$OPGW" "$swdir" && sw_load "$swdir" "$swdir/swanctl.conf" &&
		ig_start cloud "$igdir" && ig_wait_up "$igdir" 20; then
		measure ig-sw "$s"
		ig "$igdir" show ipsec-sa --json >"$OUT/ig-sw-$s-sa.json" 2>/dev/null
	else
		record ig-sw "$s" FAILED "tunnel did not come up"
		dump_logs "$igdir" "$swdir"
	fi
	topo_teardown
}

# 3. ipsecgw <-> ipsecgw (raw ESP, IP protocol 50, no NAT on the path).
pair_ig_ig() { # suite
	local s=$1
	local cdir=$T_DIR/$s/ig-ig/ig-cloud odir=$T_DIR/$s/ig-ig/ig-onprem
	ike_esp "$s"
	topo_nonat || { record ig-ig "$s" FAILED topology; return 1; }
	NONAT=1 IG_IKE=$IKE IG_ESP=$ESP ig_config cloud "$cdir"
	IG_START=initiate IG_IKE=$IKE IG_ESP=$ESP ig_config onprem "$odir"
	# Not behind a NAT here: the on-prem gateway's public address is its own.
	sed -i 's/public-ip: 198.51.100.57/public-ip: 192.168.0.123/' "$odir/ipsecgw.yaml"
	sed -i 's/remote-id: 198.51.100.57/remote-id: 192.168.0.123/' "$cdir/ipsecgw.yaml"
	if ig_start cloud "$cdir" && ig_start onprem "$odir" && ig_wait_up "$cdir" 20 &&
		ig_wait_up "$odir" 20; then
		measure ig-ig "$s"
		ig "$cdir" show ipsec-sa --json >"$OUT/ig-ig-$s-sa.json" 2>/dev/null
	else
		record ig-ig "$s" FAILED "tunnel did not come up"
		dump_logs "$cdir" "$odir"
	fi
	topo_teardown
}

if [ "${BENCH_SKIP_TUNNELS:-0}" != 1 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "bench: the tunnel part needs root (namespaces); skipped"
	else
		for s in $SUITES; do
			for p in $PAIRS; do
				say "tunnels, $s: $p"
				case $p in
				sw-sw) pair_sw_sw "$s" ;;
				ig-sw) pair_ig_sw "$s" ;;
				ig-ig) pair_ig_ig "$s" ;;
				*) record "$p" "$s" FAILED "unknown pairing" ;;
				esac
			done
		done
	fi
fi

# ---- the table and the JSON
python3 - "$OUT" "$BUILD_DIR/bench.json" "$IPERF_TIME" <<'EOF'
import json, os, re, sys, time

out, dest, iperf_time = sys.argv[1], sys.argv[2], int(sys.argv[3])
esp = json.load(open(os.path.join(out, "esp.json")))

speed = {}
for line in open(os.path.join(out, "speed.txt")):
    m = re.match(r"^(\S+(?: \S+)*?)\s+([0-9.]+)k\s*$", line.strip())
    if m:  # openssl speed prints 1000s of bytes per second
        speed[m.group(1)] = round(float(m.group(2)) * 1000 * 8 / 1e9, 3)

names = {"sw-sw": "strongSwan<->strongSwan", "ig-sw": "ipsecgw<->strongSwan",
         "ig-ig": "ipsecgw<->ipsecgw"}
rows = []
for line in open(os.path.join(out, "tunnels.txt")):
    p = line.split(None, 3)
    if len(p) < 3:
        continue
    r = {"pairing": names.get(p[0], p[0]), "suite": p[1]}
    if p[2] == "FAILED":
        r["mbps"] = None
        r["error"] = p[3].strip() if len(p) > 3 else ""
    else:
        mbps, retr = p[2].split("/")
        r["mbps"] = float(mbps)
        r["tcp_retransmits"] = int(retr)
    rows.append(r)
base = {r["suite"]: r["mbps"] for r in rows
        if r["pairing"] == names["sw-sw"] and r["mbps"]}
for r in rows:
    b = base.get(r["suite"])
    r["ratio_to_strongswan"] = round(r["mbps"] / b, 3) if r["mbps"] and b else None

print()
print("(a) ESP encap+decap in process, one core, %d-byte packets" % esp.get("packet_bytes", 1400))
print("%-15s %11s %11s %9s" % ("suite", "ESP Gbit/s", "raw Gbit/s", "percent"))
for s in esp.get("suites", []):
    print("%-15s %11.2f %11.2f %8.1f%%" % (s["suite"], s["esp_gbps"], s["raw_gbps"], s["percent"]))
if speed:
    print("openssl speed -bytes 1400 (one direction): " +
          ", ".join("%s %.2f Gbit/s" % kv for kv in speed.items()))
print()
print("(b) iperf3 TCP through the tunnel, %d s, cloud host -> on-prem host" % iperf_time)
print("%-25s %-14s %10s %9s %8s" % ("pairing", "suite", "Mbit/s", "ratio", "retrans"))
for r in rows:
    print("%-25s %-14s %10s %9s %8s" % (
        r["pairing"], r["suite"], "FAILED" if r["mbps"] is None else "%.0f" % r["mbps"],
        "-" if r["ratio_to_strongswan"] is None else "%.2f" % r["ratio_to_strongswan"],
        r.get("tcp_retransmits", "-")))
    if r["mbps"] is None:
        print("    %s" % r.get("error", ""))

doc = {
    "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "host": {"cpus": os.cpu_count(), "kernel": os.uname().release},
    "esp": esp,
    "openssl_speed_gbps": speed,
    "tunnels": {"iperf3_seconds": iperf_time, "topology": "guide without NAT (topo_nonat)",
                "results": rows},
}
with open(dest, "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
print()
print(json.dumps(doc, indent=2))
print("# written to %s" % dest)
EOF
