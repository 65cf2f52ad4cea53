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
failures=$(grep -E '^failed [A-Za-z_]' "$log" | sort -u)
rm -f "$log"
total=${total:-0}; failed=${failed:-0}; passed=${passed:-0}; skipped=${skipped:-0}
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # a crash or build failure counts

# The SD-card image: built (release and test) and booted under qemu; its checks count in the line below.
# IMAGE_TESTS=0 leaves them out (e.g. a quick local run of the unit tests).
if [ "${IMAGE_TESTS:-1}" = 1 ] && [ $# -eq 0 ]; then
  ilog=$(mktemp)
  make --no-print-directory image-test 2>&1 | tee "$ilog"
  irc=${PIPESTATUS[0]}
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$ilog" | tail -n 1)
  rm -f "$ilog"
  if [ -n "$line" ]; then
    read -r ip _ ifl _ is _ <<<"$line"
    passed=$((passed + ip)); failed=$((failed + ifl)); skipped=$((skipped + is)); total=$((total + ip + ifl + is))
  fi
  if [ "$irc" -ne 0 ] && { [ -z "$line" ] || [ "${ifl:-0}" -eq 0 ]; }; then failed=$((failed + 1)); rc=1; fi
  [ "${ifl:-0}" -eq 0 ] || rc=1
fi
# The names again at the end: a CI log is often read from its tail.
[ -z "$failures" ] || printf 'unit tests that failed:\n%s\n' "$failures"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$rc" -eq 0 ] && [ "$total" -gt 0 ] && [ "$failed" -eq 0 ]
