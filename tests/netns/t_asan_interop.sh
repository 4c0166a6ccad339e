#!/bin/bash
# The daemon through a tunnel's life against strongSwan in the guide's
# topology, twice: built with AddressSanitizer, UndefinedBehaviorSanitizer
# and LeakSanitizer (build-asan, which scripts/run-tests.sh builds before
# this stage), and the plain build under valgrind memcheck. strongSwan
# initiates, traffic both ways, ipsecgw deletes it, strongSwan brings it up
# again, reload, then SIGTERM (Delete to the peer) and exit 0. No report may
# appear, leaks at exit included. The cycle includes rekeys: the CHILD SA
# has a 12 s lifetime, so ipsecgw rekeys it (CREATE_CHILD_SA with PFS,
# modp1024) about 10-11 s after it is made, and strongSwan rekeys the IKE
# SA on demand (swanctl --rekey --ike), ipsecgw answering.
. "$(dirname "$0")/lib.sh"
ASAN_BUILD=${ASAN_BUILD:-$(cd "${1:-.}/.." 2>/dev/null && pwd)/build-asan}
. "$(dirname "$0")/lib_ipsecgw.sh"

CLI=$BUILD
ig() { local dir=$1; shift; "$CLI/ipsecgw" --socket "$dir/ctl.sock" "$@"; }

# One tunnel life with the daemon run as "$@" (a sanitizer build or valgrind).
cycle() { # name dir daemon-command...
	local n=$1 D=$2 igdir swdir pid rc
	shift 2
	igdir=$D/ig swdir=$D/sw
	topo_guide || { fail "$n: topology"; return; }
	ig_config cloud "$igdir"
	sed -i 's/^    esp: { proposals: \[\(.*\)\] }$/    esp: { proposals: [\1], lifetime: 12 }/' "$igdir/ipsecgw.yaml"
	sw_config onprem "$swdir"
	sw_start $OPGW "$swdir" && sw_load "$swdir" "$swdir/swanctl.conf" || { fail "$n: strongSwan"; topo_teardown; return; }
	ip netns exec $CGW "$@" --config "$igdir/ipsecgw.yaml" --socket "$igdir/ctl.sock" \
		--foreground --log-level debug >"$igdir/ipsecgwd.log" 2>&1 &
	pid=$!
	T_PIDS+=($pid)
	wait_for 30 test -S "$igdir/ctl.sock" || { fail "$n: start"; sed 's/^/#   /' "$igdir/ipsecgwd.log" | tail -20; topo_teardown; return; }
	swanctl_ "$swdir" --initiate --child net --timeout 30 >/dev/null 2>&1
	check "$n: tunnel up" ig_wait_up "$igdir" 30
	check "$n: traffic on-prem -> cloud" ping_ok $OHOST 192.168.25.3 5
	check "$n: traffic cloud -> on-prem" ping_ok $CHOST 10.0.2.5 5
	for c in status "show ike-sa --json" "show ipsec-sa --json" "show ipsec-state --json" "show tunnels"; do
		# shellcheck disable=SC2086
		ig "$igdir" $c >/dev/null 2>&1 || fail "$n: ipsecgw $c"
	done
	ig "$igdir" export wireshark "$D/ws" >/dev/null 2>&1
	check "$n: ipsecgw rekeyed the CHILD SA" wait_for 40 grep -q 'CHILD SA {[0-9]*} rekeyed as {' "$igdir/ipsecgwd.log"
	swanctl_ "$swdir" --rekey --ike peer >/dev/null 2>&1
	check "$n: strongSwan rekeyed the IKE SA, ipsecgw answered" wait_for 30 grep -q 'peer rekeyed IKE SA ' "$igdir/ipsecgwd.log"
	check "$n: traffic after the rekeys" wait_for 20 ping_ok $OHOST 192.168.25.3 3
	check "$n: ipsecgw down: the Delete reaches strongSwan" sh -c "'$CLI/ipsecgw' --socket '$igdir/ctl.sock' down peer >/dev/null &&
		for i in \$(seq 50); do swanctl --list-sas --uri unix://$swdir/charon.vici | grep -q ESTABLISHED || exit 0; sleep 0.2; done; exit 1"
	swanctl_ "$swdir" --initiate --child net --timeout 30 >/dev/null 2>&1
	check "$n: up again" ig_wait_up "$igdir" 30
	check "$n: traffic again" ping_ok $OHOST 192.168.25.3 3
	ig "$igdir" reload >/dev/null 2>&1
	kill -TERM "$pid"
	check "$n: SIGTERM: the daemon exits" wait_for 30 sh -c "! kill -0 $pid 2>/dev/null"
	wait "$pid" 2>/dev/null
	rc=$?
	check "$n: exit status 0 (got $rc)" [ "$rc" -eq 0 ]
	topo_teardown
}

reports_none() { # name files-glob...: no sanitizer/valgrind report
	local n=$1 f found=""
	shift
	for f in "$@"; do [ -s "$f" ] && found="$found $f"; done
	if [ -z "$found" ]; then
		pass "$n: no report"
	else
		fail "$n: no report"
		for f in $found; do sed 's/^/#   /' "$f" | head -60; done
	fi
}

# 1. ASan + UBSan + LeakSanitizer (build-asan).
if [ -x "$ASAN_BUILD/ipsecgwd" ]; then
	mkdir -p "$T_DIR/asan"
	ASAN_OPTIONS="detect_leaks=1:log_path=$T_DIR/asan/asan:abort_on_error=0" \
		UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=0:log_path=$T_DIR/asan/ubsan" \
		cycle asan "$T_DIR/asan" "$ASAN_BUILD/ipsecgwd"
	reports_none "asan/ubsan/lsan" "$T_DIR"/asan/asan.* "$T_DIR"/asan/ubsan.*
	check "asan: no sanitizer line in the daemon's output" sh -c \
		"! grep -qE 'runtime error:|ERROR: (Address|Leak)Sanitizer' '$T_DIR/asan/ig/ipsecgwd.log'"
else
	echo "# no $ASAN_BUILD/ipsecgwd: meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false"
	pass "asan: # SKIP no sanitizer build"
fi

# 2. valgrind memcheck on the plain build: invalid accesses, uninitialised
#    values, definite leaks.
if command -v valgrind >/dev/null && [ -x "$CLI/ipsecgwd" ]; then
	mkdir -p "$T_DIR/vg"
	cycle valgrind "$T_DIR/vg" valgrind --quiet --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite --show-leak-kinds=definite \
		--log-file="$T_DIR/vg/vg.%p" "$CLI/ipsecgwd"
	reports_none "valgrind" "$T_DIR"/vg/vg.*
else
	pass "valgrind: # SKIP no valgrind"
fi
finish
