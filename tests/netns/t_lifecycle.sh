#!/bin/bash
# Tunnels that stay up (issue 5) against strongSwan 5.9.8, in the guide's
# topology through the NAT (lib.sh):
#   1. CHILD lifetime ~20 s, IKE lifetime ~45 s, a ping every 0.2 s for two
#      minutes: at most 1% lost, rekeys started by both daemons, and at the
#      end exactly one IKE SA and one CHILD SA on each side, the same ones;
#      then strongSwan rekeys and reauthenticates the IKE SA on demand
#      (swanctl --rekey), ipsecgw answering.
#   2. Reauthentication (make-before-break) with pings flowing.
#   3. kill -9 of strongSwan, started again with start_action = none: DPD
#      with action restart brings the tunnel back within timeout + 10 s.
#   4. kill -9 of ipsecgwd, started again: the tunnel comes back and
#      strongSwan holds exactly one IKE SA (INITIAL_CONTACT).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_ipsecgw.sh"

[ -x "$BUILD/ipsecgwd" ] || { fail "no $BUILD/ipsecgwd"; finish; }
PING_S=${PING_S:-120}

# Pings every 0.2 s for SECONDS; prints the loss in percent (integer part).
ping_loss() { # ns dst seconds out
	ip netns exec "$1" ping -i 0.2 -W 1 -c $(($3 * 5)) "$2" >"$4" 2>&1
	sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p' "$4"
}

loss_ok() { # percent max
	python3 -c "import sys; sys.exit(0 if '$1' != '' and float('$1') <= $2 else 1)"
}

# ipsecgw and strongSwan hold exactly one established IKE SA and one
# installed CHILD SA for the tunnel, and they are the same ones (SPIs
# crossed). strongSwan lists a rekeyed CHILD SA as DELETED for a few seconds
# (delete_rekeyed_delay): those do not count.
one_pair() { # igdir swdir
	ig "$1" show ike-sa --json >"$1/ike.now" 2>/dev/null &&
		ig "$1" show ipsec-sa --json >"$1/ipsec.now" 2>/dev/null &&
		swanctl_ "$2" --list-sas >"$2/sas.now" 2>/dev/null &&
		python3 - "$1/ike.now" "$1/ipsec.now" "$2/sas.now" >"$1/pair.txt" 2>&1 <<'PY'
import json, re, sys
ike = json.load(open(sys.argv[1])); child = json.load(open(sys.argv[2])); sw = open(sys.argv[3]).read()
sw_ike = re.findall(r"ESTABLISHED, IKEv2, ([0-9a-f]{16})_i\*? ([0-9a-f]{16})_r", sw)
sw_child = re.findall(r"INSTALLED, TUNNEL\S*, ESP:\S+\n(?:.*\n)*?\s+in\s+([0-9a-f]{8}),.*\n\s+out\s+([0-9a-f]{8})", sw)
print("ipsecgw:", [(s["spi_i"], s["spi_r"], s["state"]) for s in ike], [(c["spi_in"], c["spi_out"], c["state"]) for c in child])
print("strongSwan:", sw_ike, sw_child)
ok = (len(ike) == 1 and ike[0]["state"] == "established" and len(sw_ike) == 1 and
      (ike[0]["spi_i"], ike[0]["spi_r"]) == sw_ike[0] and
      len(child) == 1 and child[0]["state"] == "installed" and len(sw_child) == 1 and
      (child[0]["spi_in"], child[0]["spi_out"]) == (sw_child[0][1], sw_child[0][0]))
sys.exit(0 if ok else 1)
PY
}

# Retries one_pair for up to SECONDS (a rekey may be finishing).
one_pair_within() { # seconds igdir swdir
	local end=$(($(date +%s) + $1))
	while :; do
		one_pair "$2" "$3" && return 0
		[ "$(date +%s)" -ge "$end" ] && { sed 's/^/#   /' "$2/pair.txt"; return 1; }
		sleep 0.5
	done
}

more_lines_than() { # n pattern file: the file has more than n lines matching
	[ "$(grep -c "$2" "$3")" -gt "$1" ]
}

pair_and_ping() { # igdir swdir ns dst
	one_pair_within 15 "$1" "$2" && within 10 ping_ok "$3" "$4" 3
}

# kill -9 of a process this test started, reaped quietly (no job message).
kill_9() { # pid
	kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	sleep 1
}

# Retries a command for up to SECONDS of wall time.
within() { # seconds command...
	local end=$(($(date +%s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.2
	done
}

# 1. Rekeys: ipsecgw (cloud, responder) against strongSwan behind the NAT.
topo_guide || { fail topology; finish; }
igdir=$T_DIR/rekey/ig swdir=$T_DIR/rekey/sw
# Lifetimes: ipsecgw rekeys its CHILD SAs 18.7-19.8 s after they are made
# and the IKE SA after 38-40.5 s; strongSwan its CHILD SAs after 18-20 s
# (rekey_time 20 s, jitter 2 s) and its IKE SA after 54-60 s. CHILD rekeys
# come from either side; IKE rekeys from ipsecgw.
ig_config cloud "$igdir"
sed -i 's/^    ike: { proposals: \[\(.*\)\] }$/    ike: { proposals: [\1], lifetime: 45, reauth: false }/;
	s/^    esp: { proposals: \[\(.*\)\] }$/    esp: { proposals: [\1], lifetime: 22 }/' "$igdir/ipsecgw.yaml"
sw_config onprem "$swdir"
sed -i 's/^    rekey_time = 0$/    rekey_time = 60s/; s/^        rekey_time = 0$/        rekey_time = 20s/' "$swdir/swanctl.conf"
if sw_start $OPGW "$swdir" && sw_load "$swdir" "$swdir/swanctl.conf" && ig_start cloud "$igdir" &&
	swanctl_ "$swdir" --initiate --child net --timeout 20 >/dev/null 2>&1 && ig_wait_up "$igdir" 20; then
	pass "rekeys: tunnel up"
	loss=$(ping_loss $CHOST 10.0.2.5 "$PING_S" "$igdir/ping.txt")
	log "ping loss over $PING_S s with rekeys: ${loss:-?}%"
	check "rekeys: at most 1% of the pings lost over $PING_S s (lost ${loss:-?}%)" loss_ok "$loss" 1
	n_our_child=$(grep -c 'rekeying CHILD SA {' "$igdir/ipsecgwd.log")
	n_sw_child=$(grep -c 'peer rekeyed CHILD SA {' "$igdir/ipsecgwd.log")
	n_our_ike=$(grep -c ': IKE SA rekeyed as \[' "$igdir/ipsecgwd.log")
	log "rekeys: CHILD by ipsecgw $n_our_child, by strongSwan $n_sw_child; IKE by ipsecgw $n_our_ike"
	check "rekeys: ipsecgw rekeyed the IKE SA (>= 2 times)" test "$n_our_ike" -ge 2
	check "rekeys: CHILD SAs rekeyed >= 5 times" test $((n_our_child + n_sw_child)) -ge 5
	check "rekeys: strongSwan rekeyed CHILD SAs (its log) and ipsecgw answered" \
		sh -c "test $n_sw_child -ge 1 && grep -q 'generating CREATE_CHILD_SA request .*N(REKEY_SA)' '$swdir/charon.log'"
	check "rekeys: ipsecgw's IKE rekeys seen in strongSwan's log" \
		grep -q 'parsed CREATE_CHILD_SA request .* \[ SA No KE \]' "$swdir/charon.log"
	check "rekeys: no rekey failed" sh -c "! grep -q 'refused its rekey\|refused the IKE SA rekey\|cannot answer' '$igdir/ipsecgwd.log'"
	# Give a rekey under way a moment to finish, then no duplicates anywhere.
	check "rekeys: one IKE SA and one CHILD SA each, the same SPIs in both daemons" one_pair_within 15 "$igdir" "$swdir"
	# strongSwan rekeys the IKE SA, then reauthenticates it, on demand.
	swanctl_ "$swdir" --rekey --ike peer >/dev/null 2>&1
	check "rekeys: strongSwan's IKE SA rekey answered (CHILD SA moved)" \
		within 10 grep -q 'peer rekeyed IKE SA' "$igdir/ipsecgwd.log"
	check "rekeys: one pair after strongSwan's IKE rekey, traffic flows" \
		pair_and_ping "$igdir" "$swdir" $CHOST 10.0.2.5
	n_est=$(grep -c 'IKE SA established with' "$igdir/ipsecgwd.log")
	swanctl_ "$swdir" --rekey --ike peer --reauth >/dev/null 2>&1
	check "rekeys: strongSwan's reauthentication answered: a new IKE SA" \
		within 15 more_lines_than "$n_est" 'IKE SA established with' "$igdir/ipsecgwd.log"
	check "rekeys: one pair after strongSwan's reauthentication, traffic flows" \
		pair_and_ping "$igdir" "$swdir" $CHOST 10.0.2.5
	[ "$T_FAILS" -gt 0 ] && dump_logs "$igdir" "$swdir" 
else
	fail "rekeys: tunnel up"
	dump_logs "$igdir" "$swdir"
fi
topo_teardown

# 2-4: ipsecgw on-prem behind the NAT initiates; strongSwan is the cloud gateway.
fails_before=$T_FAILS
topo_guide || { fail topology; finish; }
igdir=$T_DIR/op/ig swdir=$T_DIR/op/sw
IG_START=initiate ig_config onprem "$igdir"
sed -i 's/^    ike: { proposals: \[\(.*\)\] }$/    ike: { proposals: [\1], lifetime: 30, reauth: true }/;
	s/^    esp: { proposals: \[\(.*\)\] }$/    esp: { proposals: [\1], lifetime: 25 }/;
	s/^    dpd: .*$/    dpd: { interval: 5, timeout: 15, action: restart }/' "$igdir/ipsecgw.yaml"
sw_config cloud "$swdir"
if sw_start $CGW "$swdir" && sw_load "$swdir" "$swdir/swanctl.conf" && ig_start onprem "$igdir" &&
	ig_wait_up "$igdir" 20 && within 10 ping_ok $OHOST 192.168.25.3 1; then
	pass "reauth: tunnel up, ipsecgw initiating from behind the NAT"
	# 2. Reauthentication at 25.5-27 s, within 40 s of pings.
	loss=$(ping_loss $OHOST 192.168.25.3 40 "$igdir/ping-reauth.txt")
	check "reauth: ipsecgw rekeyed its CHILD SA with strongSwan before (esp.lifetime 25 s)" \
		grep -q 'CHILD SA {1} rekeyed as {2}' "$igdir/ipsecgwd.log"
	check "reauth: ipsecgw reauthenticated (make-before-break)" grep -q 'reauthenticated: this IKE SA replaces' "$igdir/ipsecgwd.log"
	check "reauth: at most 1% of the pings lost across it (lost ${loss:-?}%)" loss_ok "$loss" 1
	check "reauth: one IKE SA and one CHILD SA each afterwards" one_pair_within 15 "$igdir" "$swdir"

	# 3. strongSwan dies and comes back knowing nothing; ipsecgw's DPD restarts.
	kill_9 "$(cat "$swdir/charon.pid")"
	# sw_config's CHILD SA has start_action = none: it waits for us.
	t0=$(date +%s)
	if sw_start $CGW "$swdir" && sw_load "$swdir" "$swdir/swanctl.conf"; then
		within 25 ping_ok $OHOST 192.168.25.3 1
		back=$(($(date +%s) - t0))
		log "dpd restart: traffic back ${back} s after strongSwan restarted"
		check "dpd restart: traffic back within timeout 15 s + 10 s of strongSwan's restart (${back} s)" \
			sh -c "[ $back -le 25 ] && ip netns exec $OHOST ping -c 2 -i 0.2 -W 2 192.168.25.3 >/dev/null"
		# Found dead by the DPD probe or, if a rekey was out, by that
		# request's deadline or the hard lifetime; dpd.action applies to all.
		check "dpd restart: ipsecgw found the peer dead and re-initiated (dpd.action restart)" \
			sh -c "grep -q 'did not answer DPD\|did not answer our .* request within\|while the peer does not answer' '$igdir/ipsecgwd.log' && grep -q 'dpd.action restart: initiating' '$igdir/ipsecgwd.log'"
		check "dpd restart: one IKE SA and one CHILD SA each" one_pair_within 10 "$igdir" "$swdir"
	else
		fail "dpd restart: strongSwan started again"
	fi

	# 4. ipsecgwd dies and comes back; start: initiate brings the tunnel back and
	# its INITIAL_CONTACT makes strongSwan drop the stale IKE SA.
	kill_9 "$(cat "$igdir/ipsecgwd.pid")"
	mv "$igdir/ipsecgwd.log" "$igdir/ipsecgwd-before-kill.log"
	if ig_start onprem "$igdir" && ig_wait_up "$igdir" 20; then
		check "restart: traffic flows again" within 10 ping_ok $OHOST 192.168.25.3 1
		check "restart: strongSwan holds exactly one IKE SA (and one CHILD SA)" one_pair_within 10 "$igdir" "$swdir"
	else
		fail "restart: ipsecgwd came back with the tunnel"
	fi
	if [ "$T_FAILS" -gt "$fails_before" ]; then
		echo "# --- ipsecgwd log before its kill -9"
		grep -v ' debug ' "$igdir/ipsecgwd-before-kill.log" | tail -60 | sed 's/^/#   /'
		dump_logs "$igdir" "$swdir"
	fi
else
	fail "reauth: tunnel up, ipsecgw initiating from behind the NAT"
	dump_logs "$igdir" "$swdir"
fi
finish
