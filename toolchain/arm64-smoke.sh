#!/usr/bin/env bash
# make arm64-smoke: the linux-arm64 binary in its installed shape (install-appliance.sh into a temp
# folder, run through the symlink) started as the appliance under qemu-user, with a password from the
# boot-partition file; it must answer /healthz and, signed in, /api/status, then stop on SIGTERM.
# First, without the arm64 zlib, check-config must say so in one line and exit 1.
# zlib and libssl3 for arm64 come from build/arm64-libs (install-build-deps.sh test).
# Usage: toolchain/arm64-smoke.sh [PUBLISH_DIR]   (default build/publish/linux-arm64)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
publish=${1:-$root/build/publish/linux-arm64}
libs=$root/build/arm64-libs
deadline=${ARM64_SMOKE_SECONDS:-120}
say() { echo "arm64-smoke: $*"; }
[ -e "$libs/lib/aarch64-linux-gnu/libz.so.1" ] || { say "$libs is missing: run toolchain/install-build-deps.sh test (make deps)"; exit 1; }

work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
"$root/toolchain/install-appliance.sh" "$publish" "" "$work/opt/lightnvr" "$work/bin" "$work/units" >/dev/null

port=$(python3 -c 'import socket,random
while True:
    p=random.randint(20000,32000)
    try:
        socket.create_server(("127.0.0.1",p)).close(); print(p); break
    except OSError: pass')
password="arm64-smoke-$RANDOM$RANDOM"
printf '%s\n' "$password" > "$work/password.txt"
mkdir -p "$work/state" "$work/cwd"
cat > "$work/lightnvr.yaml" <<EOF
web:
  listen: 127.0.0.1
  port: $port
go2rtc:
  enabled: false
state_dir: $work/state
auth:
  password_file: $work/password.txt
EOF

# Without zlib on the library path the binary must refuse in one line (exit 1), not abort.
if out=$(cd "$work/cwd" && qemu-aarch64-static -L /usr/aarch64-linux-gnu "$work/bin/lightnvr" check-config "$work/lightnvr.yaml" 2>&1); then
  say "check-config without zlib succeeded unexpectedly: $out"; exit 1
elif [ "$out" != "lightnvr: $work/opt/lightnvr/libMonoPosixHelper.so cannot be loaded: libz.so.1: cannot open shared object file: No such file or directory" ]; then
  say "check-config without zlib said: $out"; exit 1
fi

start=$(date +%s%N)
elapsed() { echo "$(( ($(date +%s%N) - start) / 1000000 ))" | awk '{printf "%.1f", $1/1000}'; }
(cd "$work/cwd" && exec qemu-aarch64-static -L /usr/aarch64-linux-gnu \
    -E "LD_LIBRARY_PATH=$libs/lib/aarch64-linux-gnu:$libs/usr/lib/aarch64-linux-gnu" \
    "$work/bin/lightnvr" --config "$work/lightnvr.yaml") > "$work/log" 2>&1 &
pid=$!

until curl -fsS --max-time 5 -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; do
  if ! kill -0 "$pid" 2>/dev/null; then say "the appliance exited before /healthz answered:"; cat "$work/log"; exit 1; fi
  if [ "$(elapsed | cut -d. -f1)" -ge "$deadline" ]; then say "no /healthz within $deadline s:"; cat "$work/log"; exit 1; fi
  sleep 0.1
done
healthz=$(elapsed)
code=$(curl -sS --max-time 60 -u "admin:$password" -o "$work/status.json" -w '%{http_code}' "http://127.0.0.1:$port/api/status" || true)
if [ "$code" != 200 ] || ! grep -q '"version"' "$work/status.json"; then
  say "/api/status answered $code:"; cat "$work/status.json" "$work/log" 2>/dev/null; exit 1
fi
status=$(elapsed)
kill -TERM "$pid"
for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then say "the appliance did not stop within 20 s of SIGTERM:"; cat "$work/log"; exit 1; fi
rc=0; wait "$pid" || rc=$?
pid=""
[ "$rc" -eq 0 ] || { say "the appliance exited $rc after SIGTERM:"; cat "$work/log"; exit 1; }
say "without zlib: one line, exit 1; the installed arm64 appliance under qemu-user answered /healthz after $healthz s, /api/status (signed in) after $status s, stopped cleanly"
