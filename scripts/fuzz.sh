#!/bin/bash
# Long fuzz campaign: every target for FUZZ_TIME seconds (default 600), the
# corpus kept in fuzz/corpus-run/<target> between runs and seeded from
# fuzz/corpus/<target>. FUZZ_JOBS targets run at once (default 1; each is
# one process). FUZZ_TARGETS="a b" limits the run to those targets.
# Prints, and appends to fuzz/corpus-run/summary.tsv, one line per target:
#   target  executions  seconds  corpus-files  corp  cov  result
# corpus-files counts fuzz/corpus-run/<target> (inputs found, seeds apart);
# corp and cov are libFuzzer's last figures (corpus with the seeds, edges).
set -u
cd "$(dirname "$0")/.."
FUZZ_TIME=${FUZZ_TIME:-600}
FUZZ_JOBS=${FUZZ_JOBS:-1}
if [ ! -f build-fuzz/build.ninja ]; then
	CC=clang meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false
fi
ninja -C build-fuzz || exit 1
mkdir -p fuzz/corpus-run fuzz/crashes

run_one() { # target binary
	local t=$1 name run start end execs res last corp cov seeds=()
	name=$(basename "$t")
	run=fuzz/corpus-run/$name
	mkdir -p "$run" "fuzz/crashes/$name"
	[ -d "fuzz/corpus/$name" ] && seeds=("fuzz/corpus/$name")
	start=$(date +%s)
	if "$t" -max_total_time="$FUZZ_TIME" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="fuzz/crashes/$name/" "$run" "${seeds[@]}" >"$run.log" 2>&1; then
		res=ok
	else
		res="FAILED: $(ls "fuzz/crashes/$name" | head -1)"
	fi
	end=$(date +%s)
	execs=$(grep -oE "Done [0-9]+ runs" "$run.log" | tail -1 | grep -oE "[0-9]+")
	last=$(grep -E "^#[0-9]+" "$run.log" | tail -1)
	corp=$(grep -oE "corp: [0-9]+" <<<"$last" | grep -oE "[0-9]+")
	cov=$(grep -oE "cov: [0-9]+" <<<"$last" | grep -oE "[0-9]+")
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "${execs:--}" "$((end - start))" \
		"$(ls "$run" | wc -l)" "${corp:--}" "${cov:--}" "$res" | tee -a fuzz/corpus-run/summary.tsv
	[ "$res" = ok ]
}

rc=0
pids=()
for t in build-fuzz/fuzz/fuzz_*; do
	[ -x "$t" ] && [ -f "$t" ] || continue
	if [ -n "${FUZZ_TARGETS:-}" ] && ! grep -qw "$(basename "$t")" <<<"$FUZZ_TARGETS"; then
		continue
	fi
	run_one "$t" &
	pids+=($!)
	# At most FUZZ_JOBS at once: wait for the oldest before starting more.
	if [ "${#pids[@]}" -ge "$FUZZ_JOBS" ]; then
		wait "${pids[0]}" || rc=1
		pids=("${pids[@]:1}")
	fi
done
for p in "${pids[@]}"; do
	wait "$p" || rc=1
done
exit $rc
