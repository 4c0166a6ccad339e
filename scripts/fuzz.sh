#!/bin/bash
# Long fuzz campaign: every target for FUZZ_TIME seconds (default 600), the
# corpus kept in fuzz/corpus-run/<target> between runs and seeded from
# fuzz/corpus/<target>. Prints executions and corpus size per target.
set -u
cd "$(dirname "$0")/.."
FUZZ_TIME=${FUZZ_TIME:-600}
if [ ! -f build-fuzz/build.ninja ]; then
	CC=clang meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false
fi
ninja -C build-fuzz || exit 1
rc=0
for t in build-fuzz/fuzz/fuzz_*; do
	[ -x "$t" ] && [ -f "$t" ] || continue
	name=$(basename "$t")
	run=fuzz/corpus-run/$name
	mkdir -p "$run" fuzz/crashes
	"$t" -max_total_time="$FUZZ_TIME" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix=fuzz/crashes/ "$run" "fuzz/corpus/$name" >"$run.log" 2>&1 || rc=1
	execs=$(grep -oE "Done [0-9]+ runs" "$run.log" | tail -1)
	echo "$name: ${execs:-CRASHED} in ${FUZZ_TIME}s, corpus $(ls "$run" | wc -l) files"
done
exit $rc
