#!/bin/bash
# Data path features against strongSwan in the guide's topology (ipsecgw is
# the cloud gateway, strongSwan on-prem behind the NAT initiates):
#  A  tcp-mss both 1360, df-bit copy, bandwidth 20mbps: SYNs clamped both
#     ways; outer DF follows the inner DF; UDP offered at 40 Mbit/s arrives
#     at 17-23 Mbit/s; a packet routed into ipsecgw0 that no selector covers
#     is dropped and logged, never sent (clear or ESP); nothing for the remote
#     subnets leaves wan0 in the clear before the SA exists or after the peer
#     deleted it.
#  B  no tcp-mss, df-bit clear, no cap: the "off" side (MSS 1460, no DF,
#     well above 23 Mbit/s), so the checks of A can fail.
#  C  tcp-mss outbound 1300, df-bit set: only outbound SYNs clamped, DF always.
#  D  IPv6 subnets in the same CHILD SA: ping6 both ways, IPv6 SYNs clamped,
#     inner IPv6 gets the outer DF under copy, nothing in the clear.
# Usage: t_dp_features.sh BUILD_DIR (TAP on stdout, exit 1 if a step failed).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_ipsecgw.sh"

[ -x "$BUILD/ipsecgwd" ] || { fail "no $BUILD/ipsecgwd"; finish; }

# tcpdump in NS on IF with FILTER into $T_DIR/NAME.pcap; returns once it
# listens. cap_stop NAME ends it; cap_text NAME prints the packets (-v).
cap_start() { # name ns if filter...
	local name=$1 ns=$2 ifc=$3
	shift 3
	ip netns exec "$ns" tcpdump -U --immediate-mode -ni "$ifc" -w "$T_DIR/$name.pcap" "$@" >"$T_DIR/$name.err" 2>&1 &
	T_PIDS+=($!)
	echo $! >"$T_DIR/$name.pid"
	wait_for 5 grep -q "listening on" "$T_DIR/$name.err"
}
cap_stop() { # name
	local pid
	pid=$(cat "$T_DIR/$1.pid")
	sleep 0.3 # let the last packet reach the file
	kill -INT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}
cap_text() { tcpdump -vnr "$T_DIR/$1.pcap" 2>/dev/null; }
# Number of packets (IP header lines) in a capture.
cap_count() { tcpdump -nr "$T_DIR/$1.pcap" 2>/dev/null | grep -c .; }

# The MSS option of the one SYN captured (empty when none).
syn_mss() { cap_text "$1" | grep -o 'mss [0-9]*' | head -1 | cut -d' ' -f2; }

# Opens a TCP connection FROM -> DST:PORT (listener in TO) while capturing
# the SYN arriving on TO's eth0; prints the SYN's MSS.
mss_seen() { # name from to dst
	local name=$1 from=$2 to=$3 dst=$4 lpid
	# A SYN without ACK to port 5201; tcp[] filters are IPv4 only, so for
	# IPv6 the flags are read at 40 + 13 (no extension headers here).
	local filter="tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn and dst port 5201"
	case $dst in *:*) filter="ip6 and tcp and ip6[53] & 0x12 == 0x02 and dst port 5201" ;; esac
	ip netns exec "$to" python3 -c '
import socket,sys
s=socket.socket(socket.AF_INET6); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", 5201)); s.listen(1); s.settimeout(8)
c,_=s.accept(); c.close()' >/dev/null 2>&1 &
	lpid=$!
	T_PIDS+=("$lpid")
	# A path MTU learnt earlier (from the tunnel's 1399-byte TUN) would
	# lower the MSS the sender puts into its SYN.
	ip -n "$from" route flush cache
	ip -n "$from" -6 route flush cache
	cap_start "$name" "$to" eth0 -c 1 "$filter" ||
		return 1
	sleep 0.2
	ip netns exec "$from" timeout 5 bash -c "echo > /dev/tcp/$dst/5201" 2>/dev/null
	cap_stop "$name"
	kill "$lpid" 2>/dev/null
	wait "$lpid" 2>/dev/null
	syn_mss "$name"
}

mss_is() { # want name from to dst
	local want=$1 got
	shift
	got=$(mss_seen "$@")
	echo "# SYN $2 -> $4: mss '${got}' (want $want)"
	[ "$got" = "$want" ]
}

# Pings DST (default 10.0.2.5) from the cloud host twice with DF=MODE
# (do|dont; for IPv6 it only stops the sender fragmenting) and prints the outer DF flags seen on the cloud gateway's wan side for the
# outbound ESP-in-UDP packets: "DF" or "none" per packet.
df_seen() { # name do|dont [dst]
	local name=$1 mode=$2 dst=${3:-10.0.2.5}
	cap_start "$name" $INET c0 "src host 203.0.113.7 and dst host 198.51.100.57 and udp port 4500 and greater 1000" ||
		return 1
	ip netns exec $CHOST ping -c 2 -i 0.2 -W 2 -M "$mode" -s 1000 "$dst" >"$T_DIR/$name.ping" 2>&1
	cap_stop "$name"
	cap_text "$name" | grep -o 'flags \[[A-Za-z+]*\]' | sed 's/flags \[\(.*\)\]/\1/'
}

df_is() { # want(DF|none) name do|dont [dst]
	local want=$1 got
	got=$(df_seen "$2" "$3" "${4:-}" | tr '\n' ' ')
	echo "# ping -M $3: outer flags '${got}' (want $want on each)"
	grep -q " 0% packet loss" "$T_DIR/$2.ping" || { echo "# ping -M $3 lost packets"; return 1; }
	[ "$got" = "$want $want " ]
}

# Receiver-side throughput in Mbit/s of an iperf3 run CHOST -> OHOST:
# "tcp" or "udp" (UDP offered at 40 Mbit/s in 1200-byte datagrams).
iperf_mbps() { # tcp|udp secs
	local spid opts=""
	[ "$1" = udp ] && opts="-u -b 40M -l 1200"
	ip netns exec $OHOST iperf3 -s -1 -p 5202 >"$T_DIR/iperf_s.out" 2>&1 &
	spid=$!
	T_PIDS+=("$spid")
	wait_for 5 sh -c "ip netns exec $OHOST ss -ltn | grep -q ':5202 '"
	# shellcheck disable=SC2086
	ip netns exec $CHOST timeout $(($2 + 10)) iperf3 -c 10.0.2.5 -p 5202 $opts -t "$2" -J >"$T_DIR/iperf.json" 2>&1
	wait "$spid" 2>/dev/null
	python3 -c "
import json; j=json.load(open('$T_DIR/iperf.json'))
print('%.1f' % (j['end']['sum_received']['bits_per_second'] / 1e6))" 2>/dev/null
}

mbps_between() { # tcp|udp lo hi secs
	local got
	got=$(iperf_mbps "$1" "$4")
	echo "# iperf3 $1 cloud host -> on-prem host, $4 s: ${got:-?} Mbit/s received (want $2-$3)"
	[ -n "$got" ] && python3 -c "import sys; sys.exit(0 if $2 <= $got <= $3 else 1)"
}

# Pings 10.0.2.5 from the cloud host while capturing on the cloud gateway's
# wan0 for packets that carry the inner addresses in the clear; prints
# "<ping exit status> <packets seen>".
clear_leak() { # name
	local rc
	cap_start "$1" $CGW wan0 "host 10.0.2.5 or host 192.168.25.3" || { echo "- -"; return; }
	ip netns exec $CHOST ping -c 3 -i 0.2 -W 1 10.0.2.5 >/dev/null 2>&1
	rc=$?
	ip netns exec $CHOST timeout 2 bash -c 'echo > /dev/tcp/10.0.2.5/5201' 2>/dev/null
	cap_stop "$1"
	echo "$rc $(cap_count "$1")"
}

# Brings ipsecgwd up as the cloud gateway with the tunnel settings given
# (esp df-bit, extra tunnel lines, gateway bandwidth), strongSwan initiates.
ig_up() { # dir df-bit extra bandwidth
	local dir=$1 df=$2 bw=$4
	IG_EXTRA=$3 ig_config cloud "$dir"
	sed -i "s/^    esp: { proposals: \[\(.*\)\] }/    esp: { proposals: [\1], df-bit: $df }/" "$dir/ipsecgw.yaml"
	[ -n "$bw" ] && sed -i "s/^  name: ig-cloud/  name: ig-cloud\n  bandwidth: $bw/" "$dir/ipsecgw.yaml"
	ig_start cloud "$dir"
}
tunnel_up() { # igdir
	swanctl_ "$swdir" --initiate --child net --timeout 20 >/dev/null 2>&1 && ig_wait_up "$1" 20
}
# SIGTERM: ipsecgwd deletes the SAs at strongSwan and exits.
ig_stop() { # dir
	local pid
	pid=$(cat "$1/ipsecgwd.pid")
	kill -TERM "$pid"
	wait_for 5 sh -c "! kill -0 $pid 2>/dev/null"
	wait_for 5 sh -c "! swanctl --list-sas --uri unix://$swdir/charon.vici | grep -q ESTABLISHED"
}

topo_guide || { fail topology; finish; }
swdir=$T_DIR/sw
sw_config onprem "$swdir"
sw_start $OPGW "$swdir" && sw_load "$swdir" "$swdir/swanctl.conf" || { fail "strongSwan start"; finish; }

# --- A: clamp 1360 both ways, df-bit copy, 20 Mbit/s cap ----------------------------------------
igdir=$T_DIR/a
ig_up "$igdir" copy "    tcp-mss: { direction: both, value: 1360 }" 20mbps || { fail "ipsecgwd start"; finish; }

# Before any SA exists (start: respond, strongSwan has not initiated yet):
# traffic for the remote subnets must not leave in the clear.
read -r rc n < <(clear_leak preup)
echo "# before the tunnel: ping exit $rc, $n packets with inner addresses on wan0"
check "no SA yet: ping cloud host -> 10.0.2.5 gets no answer" [ "$rc" != 0 ]
check "no SA yet: nothing for 10.0.2.5 in the clear on the cloud gateway's wan0" [ "$n" = 0 ]

if tunnel_up "$igdir"; then
	pass "A: tunnel up (tcp-mss both 1360, df-bit copy, bandwidth 20mbps)"
else
	fail "A: tunnel up"
	dump_logs "$igdir" "$swdir"
	finish
fi
check "A: ping cloud host -> on-prem host" ping_ok $CHOST 10.0.2.5 3

check "MSS: SYN cloud -> on-prem arrives with mss 1360 (outbound clamp)" \
	mss_is 1360 mss_out $CHOST $OHOST 10.0.2.5
check "MSS: SYN on-prem -> cloud arrives with mss 1360 (inbound clamp)" \
	mss_is 1360 mss_in $OHOST $CHOST 192.168.25.3

check "DF copy: inner DF set -> outer DF" df_is DF df_copy_do "do"
check "DF copy: inner DF clear -> outer without DF" df_is none df_copy_dont dont

# A packet routed into the policy TUN that no SA selector covers is dropped.
ip -n $CGW route add 10.55.0.0/24 dev ipsecgw0 || fail "route 10.55.0.0/24 dev ipsecgw0"
cap_start nopol $CGW wan0 "net 10.55.0.0/24" || fail "tcpdump on wan0"
cap_start nopol_esp $CGW wan0 "src host 203.0.113.7 and udp port 4500 and greater 150" || fail "tcpdump on wan0"
ip netns exec $CHOST ping -c 3 -i 0.2 -W 1 10.55.0.1 >/dev/null 2>&1
rc=$?
cap_stop nopol
cap_stop nopol_esp
n=$(cap_count nopol)
echo "# 10.55.0.1 via ipsecgw0: ping rc $rc, $n clear packets, $(cap_count nopol_esp) ESP packets on wan0"
check "no policy: ping 10.55.0.1 gets no answer" [ "$rc" -ne 0 ]
check "no policy: nothing for 10.55.0.0/24 in the clear on wan0" [ "$n" -eq 0 ]
check "no policy: not sent into the tunnel's SA either (no ESP on wan0)" [ "$(cap_count nopol_esp)" -eq 0 ]
# The drop is counted (status --json: datapath.no_policy_drops); the log line
# is rate-limited, so earlier drops (before the SA) may have used it up.
check "no policy: the drops are counted in status" sh -c "'$BUILD/ipsecgw' --socket '$igdir/ctl.sock' status --json | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)[\"datapath\"][\"no_policy_drops\"] >= 3 else 1)'"
check "A: tunnel still carries traffic" ping_ok $CHOST 10.0.2.5 2

check "bandwidth 20mbps: UDP offered at 40 Mbit/s, 17-23 Mbit/s received" mbps_between udp 17 23 5
# TCP under the policer, for the record (no pass/fail: drops, no queue).
echo "# bandwidth 20mbps: TCP gets $(iperf_mbps tcp 3) Mbit/s"

# strongSwan deletes the IKE SA: the remote subnets must not fall back to
# the default route (in the clear) while the tunnel is down.
swanctl_ "$swdir" --terminate --ike peer --timeout 10 >/dev/null 2>&1
wait_for 5 sh -c "! '$BUILD/ipsecgw' --socket '$igdir/ctl.sock' show ipsec-sa --json | grep -q installed"
read -r rc n < <(clear_leak downleak)
echo "# after the peer deleted the SAs: ping exit $rc, $n packets with inner addresses on wan0"
check "SA deleted by the peer: nothing for 10.0.2.5 in the clear on wan0" [ "$n" = 0 ]

ig_stop "$igdir" || fail "ipsecgwd stop (A)"

# --- B: no clamp, df-bit clear, no cap ---------------------------------------------------------
igdir=$T_DIR/b
if ig_up "$igdir" clear "" "" && tunnel_up "$igdir"; then
	pass "B: tunnel up (no tcp-mss, df-bit clear, no bandwidth)"
	check "no tcp-mss: SYN cloud -> on-prem keeps mss 1460" mss_is 1460 mss_out_off $CHOST $OHOST 10.0.2.5
	check "no tcp-mss: SYN on-prem -> cloud keeps mss 1460" mss_is 1460 mss_in_off $OHOST $CHOST 192.168.25.3
	check "DF clear: inner DF set -> outer without DF" df_is none df_clear_do "do"
	check "DF clear: inner DF clear -> outer without DF" df_is none df_clear_dont dont
	check "no bandwidth: UDP offered at 40 Mbit/s, more than 25 Mbit/s received" mbps_between udp 25 100000 2
else
	fail "B: tunnel up"
	dump_logs "$igdir" "$swdir"
fi
ig_stop "$igdir" || fail "ipsecgwd stop (B)"

# --- C: df-bit set, clamp outbound only --------------------------------------------------------
igdir=$T_DIR/c
if ig_up "$igdir" set "    tcp-mss: { direction: outbound, value: 1300 }" "" && tunnel_up "$igdir"; then
	pass "C: tunnel up (tcp-mss outbound 1300, df-bit set)"
	check "DF set: inner DF set -> outer DF" df_is DF df_set_do "do"
	check "DF set: inner DF clear -> outer DF" df_is DF df_set_dont dont
	check "tcp-mss outbound: SYN cloud -> on-prem clamped to 1300" mss_is 1300 mss_out_c $CHOST $OHOST 10.0.2.5
	check "tcp-mss outbound: SYN on-prem -> cloud keeps 1460" mss_is 1460 mss_in_c $OHOST $CHOST 192.168.25.3
else
	fail "C: tunnel up"
	dump_logs "$igdir" "$swdir"
fi
ig_stop "$igdir" || fail "ipsecgwd stop (C)"

# --- D: IPv6 inner traffic over the IPv4 outer path --------------------------------------------
# 2001:db8:25::/64 on the cloud LAN, 2001:db8:2::/64 on the on-prem LAN, in
# the same CHILD SA as the IPv4 subnets.
for ns in $CHOST $CGW $OPGW $OHOST; do
	nsx "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0
	nsx "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0
done
ip -n $CHOST addr add 2001:db8:25::3/64 dev eth0 nodad
ip -n $CHOST -6 route add default via 2001:db8:25::1
ip -n $CGW addr add 2001:db8:25::1/64 dev lan0 nodad
ip -n $OPGW addr add 2001:db8:2::1/64 dev lan0 nodad
ip -n $OHOST addr add 2001:db8:2::5/64 dev eth0 nodad
ip -n $OHOST -6 route add default via 2001:db8:2::1
sed -i 's|^\(        local_ts = .*\)$|\1,2001:db8:2::/64|; s|^\(        remote_ts = .*\)$|\1,2001:db8:25::/64|' "$swdir/swanctl.conf"
sw_load "$swdir" "$swdir/swanctl.conf" || fail "strongSwan reload with IPv6 selectors"
igdir=$T_DIR/d
IG_EXTRA=$'    local-subnets: [192.168.25.0/24, 2001:db8:25::/64]\n    tcp-mss: { direction: both, value: 1360 }' ig_config cloud "$igdir"
sed -i 's|^    remote-subnets: \[\(.*\)\]|    remote-subnets: [\1, 2001:db8:2::/64]|' "$igdir/ipsecgw.yaml"
if ig_start cloud "$igdir" && tunnel_up "$igdir"; then
	pass "D: tunnel up with IPv4 and IPv6 subnets (tcp-mss both 1360)"
	ig "$igdir" show ipsec-sa --json >"$igdir/ipsec.json"
	check "D: the CHILD SA's selectors include both IPv6 subnets" \
		sh -c "grep -q '2001:db8:25::/64' '$igdir/ipsec.json' && grep -q '2001:db8:2::/64' '$igdir/ipsec.json'"
	cap_start v6clear $CGW wan0 "ip6 and (net 2001:db8:2::/64 or net 2001:db8:25::/64)" || fail "tcpdump on wan0"
	check "IPv6: ping cloud host -> 2001:db8:2::5" ping_ok $CHOST 2001:db8:2::5 3
	check "IPv6: ping on-prem host -> 2001:db8:25::3" ping_ok $OHOST 2001:db8:25::3 3
	check "IPv6: 1000-byte pings cloud host -> 2001:db8:2::5" \
		sh -c "ip netns exec $CHOST ping -c 2 -i 0.2 -W 2 -s 1000 2001:db8:2::5 >/dev/null 2>&1"
	cap_stop v6clear
	check "IPv6 MSS: SYN cloud -> on-prem arrives with mss 1360 (hosts send 1440)" \
		mss_is 1360 mss6_out $CHOST $OHOST 2001:db8:2::5
	check "IPv6 MSS: SYN on-prem -> cloud arrives with mss 1360" \
		mss_is 1360 mss6_in $OHOST $CHOST 2001:db8:25::3
	check "IPv6: no inner IPv6 in the clear on wan0 ($(cap_count v6clear) packets)" [ "$(cap_count v6clear)" = 0 ]
	check "DF copy: inner IPv6 (never fragmented on the way) -> outer DF" \
		df_is DF df6_copy dont 2001:db8:2::5
	check "IPv4 still works in the same SA" ping_ok $CHOST 10.0.2.5 2
else
	fail "D: tunnel up with IPv4 and IPv6 subnets"
	dump_logs "$igdir" "$swdir"
fi
finish
