#!/usr/bin/env bash
# Runs the TUnit suite and ends with one plain line "N passed, N failed, N skipped".
# Exits non-zero if anything failed or nothing ran.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
dotnet test --solution LightNvr.sln -c Release --no-restore --verbosity quiet "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
num() { grep -E "^\s*$1:\s*[0-9]+" "$log" | tail -n 1 | grep -oE '[0-9]+' | head -n 1; }
total=$(num total); failed=$(num failed); passed=$(num succeeded); skipped=$(num skipped)
rm -f "$log"
total=${total:-0}; failed=${failed:-0}; passed=${passed:-0}; skipped=${skipped:-0}
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # a crash or build failure counts
echo "$passed passed, $failed failed, $skipped skipped"
[ "$rc" -eq 0 ] && [ "$total" -gt 0 ] && [ "$failed" -eq 0 ]
