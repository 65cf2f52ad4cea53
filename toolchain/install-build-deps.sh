#!/usr/bin/env bash
# Installs what building and testing need, idempotently: quiet and quick when all is present.
# Usage: toolchain/install-build-deps.sh [run|test]
set -euo pipefail
need=()
want() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" || need+=("$1"); }

if [ "${1:-test}" = test ]; then
  # Native AOT for linux-x64 and the linux-arm64 cross-link, and qemu to run the arm64 binary.
  for p in clang lld llvm gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static shellcheck; do
    want "$p"
  done
  # Browser tests (Playwright drives Debian's chromium), test cameras (ffmpeg), the stand-in's
  # WebRTC camera peer (node), and the benchmark/soak scripts (python3 with YAML).
  # systemd: `systemd-analyze verify` of board/lightnvr.service.
  for p in chromium fonts-dejavu-core ffmpeg python3 python3-yaml systemd; do
    want "$p"
  done
  # Node only when no node is on PATH: Debian's npm conflicts with a NodeSource node already there.
  command -v node >/dev/null || want nodejs
  command -v npm >/dev/null || want npm
fi
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "dotnet SDK 10 is required (see global.json)" >&2; exit 1; }
