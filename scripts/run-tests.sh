#!/bin/bash
# Runs every test of ipsecgw and ends with one line "N passed, N failed"
# counting every unit case, known-answer case, sanitizer case, fuzz smoke run
# and network scenario. Exit status 1 if anything failed.
#
#   FUZZ_TIME   seconds per fuzz target (default 15)
#   SKIP_ASAN=1 SKIP_FUZZ=1 SKIP_NETNS=1   leave a stage out (for quick local runs;
#                                          CI runs everything)
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
FUZZ_TIME=${FUZZ_TIME:-15}
PASSED=0
FAILED=0
STAGE_FAILED=""

add() { # stage passed failed
	PASSED=$((PASSED + $2))
	FAILED=$((FAILED + $3))
	echo "== $1: $2 passed, $3 failed"
	[ "$3" -eq 0 ] || STAGE_FAILED="$STAGE_FAILED $1"
}

meson_stage() { # name builddir [setup args...]
	local name=$1 dir=$2
	shift 2
	if [ ! -f "$dir/build.ninja" ]; then
		if ! meson setup "$dir" "$@" >"$dir.setup.log" 2>&1; then
			cat "$dir.setup.log"
			add "$name(setup)" 0 1
			return
		fi
	fi
	if ! ninja -C "$dir" >"$dir.build.log" 2>&1; then
		tail -50 "$dir.build.log"
		add "$name(build)" 0 1
		return
	fi
	rm -f "$dir/meson-logs/testlog.json"
	meson test -C "$dir" --print-errorlogs --num-processes 2 >"$dir.test.log" 2>&1
	grep -E "^ *[0-9]+/[0-9]+ " "$dir.test.log" || true
	if [ ! -f "$dir/meson-logs/testlog.json" ]; then
		tail -30 "$dir.test.log"
		add "$name" 0 1
		return
	fi
	read -r p f < <(python3 scripts/count-tests.py -v "$dir/meson-logs/testlog.json")
	[ "$f" -eq 0 ] || grep -B2 -A30 -E "not ok|FAIL|ERROR" "$dir.test.log" | head -80
	add "$name" "$p" "$f"
}

# 1. Unit tests and known-answer tests (gcc, -Werror: warnings are bugs).
meson_stage unit build -Dwerror=true

# 2. The same suite under AddressSanitizer and UndefinedBehaviorSanitizer.
if [ "${SKIP_ASAN:-0}" != 1 ]; then
	meson_stage asan build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=true
fi

# 3. Fuzz smoke: every libFuzzer target for FUZZ_TIME seconds on its corpus.
if [ "${SKIP_FUZZ:-0}" != 1 ]; then
	if [ ! -f build-fuzz/build.ninja ]; then
		CC=clang meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined \
			-Db_lundef=false >build-fuzz.setup.log 2>&1 || cat build-fuzz.setup.log
	fi
	if ninja -C build-fuzz >build-fuzz.build.log 2>&1; then
		fp=0
		ff=0
		for t in build-fuzz/fuzz/fuzz_*; do
			[ -x "$t" ] && [ -f "$t" ] || continue
			name=$(basename "$t")
			work=$(mktemp -d)
			if [ -d "fuzz/corpus/$name" ]; then
				cp -r "fuzz/corpus/$name/." "$work/" 2>/dev/null
			fi
			if "$t" -max_total_time="$FUZZ_TIME" -timeout=10 -rss_limit_mb=2048 \
				-artifact_prefix="$work/" "$work" >"$work.log" 2>&1; then
				execs=$(grep -oE "Done [0-9]+ runs" "$work.log" | tail -1)
				echo "fuzz $name: ok ($execs in ${FUZZ_TIME}s)"
				fp=$((fp + 1))
			else
				echo "fuzz $name: FAILED"
				tail -40 "$work.log"
				mkdir -p fuzz/crashes
				cp "$work"/crash-* "$work"/leak-* "$work"/timeout-* fuzz/crashes/ 2>/dev/null
				ff=$((ff + 1))
			fi
			rm -rf "$work" "$work.log"
		done
		add fuzz "$fp" "$ff"
	else
		tail -50 build-fuzz.build.log
		add "fuzz(build)" 0 1
	fi
fi

# 4. Network scenarios in namespaces (root only: they create netns, veth, TUN).
if [ "${SKIP_NETNS:-0}" != 1 ] && [ -d tests/netns ]; then
	np=0
	nf=0
	for s in tests/netns/t_*.sh; do
		[ -f "$s" ] || continue
		name=$(basename "$s" .sh)
		out=/tmp/ipsecgw-$name.log
		# Each scenario prints TAP steps; every step counts.
		timeout 900 bash "$s" "$ROOT/build" >"$out" 2>&1
		rc=$?
		p=$(grep -cE "^ok " "$out")
		f=$(grep -cE "^not ok " "$out")
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
		fi
		if [ "$f" -eq 0 ]; then
			echo "netns $name: $p steps ok"
		else
			echo "netns $name: FAILED (exit $rc)"
			tail -80 "$out"
		fi
		np=$((np + p))
		nf=$((nf + f))
		rm -f "$out"
	done
	[ $((np + nf)) -eq 0 ] || add netns "$np" "$nf"
fi

[ -z "$STAGE_FAILED" ] || echo "failed stages:$STAGE_FAILED"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
