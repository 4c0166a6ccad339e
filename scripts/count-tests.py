#!/usr/bin/env python3
"""Count every test case from meson test logs.

Each meson test that speaks TAP contributes one count per "ok"/"not ok" line
(every cmocka case, every shell scenario step); a test that crashed before
printing its plan, or that does not speak TAP, counts as one. Prints
"PASSED FAILED" and, with -v, the names of the failures.
"""
import json
import re
import sys

OK = re.compile(r"^ok\b")
NOT_OK = re.compile(r"^not ok\b")


def count(logfile, verbose):
    passed = failed = 0
    failures = []
    with open(logfile) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            t = json.loads(line)
            name = t.get("name", "?")
            out = t.get("stdout", "") or ""
            result = t.get("result", "")
            p = sum(1 for l in out.splitlines() if OK.match(l))
            n = [l for l in out.splitlines() if NOT_OK.match(l)]
            good = result in ("OK", "EXPECTEDFAIL", "SKIP")
            if p == 0 and not n:
                if good:
                    passed += 1
                else:
                    failed += 1
                    failures.append(f"{name}: {result}")
                continue
            passed += p
            failed += len(n)
            failures += [f"{name}: {l}" for l in n]
            if not good and not n:
                # Crashed or timed out after some cases passed.
                failed += 1
                failures.append(f"{name}: {result}")
    if verbose:
        for f in failures:
            print("FAILED", f, file=sys.stderr)
    return passed, failed


if __name__ == "__main__":
    verbose = "-v" in sys.argv
    args = [a for a in sys.argv[1:] if a != "-v"]
    p, f = count(args[0], verbose)
    print(p, f)
