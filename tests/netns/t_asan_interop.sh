#!/bin/bash
# The daemon built with AddressSanitizer and UndefinedBehaviorSanitizer
# (build-asan, which scripts/run-tests.sh builds before this stage) through
# a tunnel's life against strongSwan in the guide's topology: strongSwan
# initiates, traffic both ways, ipsecgw deletes it, strongSwan brings it up
# again, then SIGTERM (Delete to the peer) and exit. No sanitizer report
# may appear, leaks at exit included (LeakSanitizer).
# TODO(rekey): when CREATE_CHILD_SA rekeying lands, give the CHILD SA a
# short esp lifetime here so the cycle includes a rekey.
. "$(dirname "$0")/lib.sh"
ASAN_BUILD=${ASAN_BUILD:-$(cd "${1:-.}/.." 2>/dev/null && pwd)/build-asan}
. "$(dirname "$0")/lib_ipsecgw.sh"

if [ ! -x "$ASAN_BUILD/ipsecgwd" ]; then
	echo "# no $ASAN_BUILD/ipsecgwd: build it with"
	echo "#   meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false && ninja -C build-asan"
	pass "# SKIP no sanitizer build"
	finish
fi
CLI=$BUILD
BUILD=$ASAN_BUILD # ig_start runs $BUILD/ipsecgwd
igdir=$T_DIR/ig swdir=$T_DIR/sw
export ASAN_OPTIONS="detect_leaks=1:log_path=$T_DIR/asan:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=0:log_path=$T_DIR/ubsan"

topo_guide || { fail topology; finish; }
ig_config cloud "$igdir"
sw_config onprem "$swdir"
sw_start $OPGW "$swdir" && sw_load "$swdir" "$swdir/swanctl.conf" && ig_start cloud "$igdir" ||
	{ fail "start"; dump_logs "$igdir" "$swdir"; finish; }
PID=$(cat "$igdir/ipsecgwd.pid")
ig() { local dir=$1; shift; "$CLI/ipsecgw" --socket "$dir/ctl.sock" "$@"; }

swanctl_ "$swdir" --initiate --child net --timeout 20 >/dev/null 2>&1
check "sanitizer daemon: tunnel up" ig_wait_up "$igdir" 20
check "traffic on-prem -> cloud" ping_ok $OHOST 192.168.25.3 5
check "traffic cloud -> on-prem" ping_ok $CHOST 10.0.2.5 5
for c in status "show ike-sa --json" "show ipsec-sa --json" "show ipsec-state --json" "show tunnels"; do
	# shellcheck disable=SC2086
	ig "$igdir" $c >/dev/null 2>&1 || fail "ipsecgw $c"
done
ig "$igdir" export wireshark "$T_DIR/ws" >/dev/null 2>&1
check "ipsecgw down: the Delete reaches strongSwan" sh -c "'$CLI/ipsecgw' --socket '$igdir/ctl.sock' down peer >/dev/null &&
	for i in \$(seq 50); do swanctl --list-sas --uri unix://$swdir/charon.vici | grep -q ESTABLISHED || exit 0; sleep 0.2; done; exit 1"
swanctl_ "$swdir" --initiate --child net --timeout 20 >/dev/null 2>&1
check "up again" ig_wait_up "$igdir" 20
check "traffic again" ping_ok $OHOST 192.168.25.3 3
ig "$igdir" reload >/dev/null 2>&1
kill -TERM "$PID"
check "SIGTERM: the sanitizer daemon exits" wait_for 10 sh -c "! kill -0 $PID 2>/dev/null"
wait "$PID" 2>/dev/null
rc=$?
check "exit status 0 (got $rc)" [ "$rc" -eq 0 ]
reports=$(ls "$T_DIR"/asan.* "$T_DIR"/ubsan.* 2>/dev/null)
if [ -z "$reports" ] && ! grep -qE "runtime error:|ERROR: (Address|Leak)Sanitizer" "$igdir/ipsecgwd.log"; then
	pass "no ASan/UBSan/LSan report"
else
	fail "no ASan/UBSan/LSan report"
	for f in $reports; do sed 's/^/#   /' "$f" | head -60; done
	grep -A20 -E "runtime error:|Sanitizer" "$igdir/ipsecgwd.log" | sed 's/^/#   /' | head -40
fi
finish
