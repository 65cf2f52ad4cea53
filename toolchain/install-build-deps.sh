#!/usr/bin/env bash
# Installs what building and testing need, idempotently: quiet and quick when all is present.
# Usage: toolchain/install-build-deps.sh [run|demo|test]
set -euo pipefail
mode=${1:-test}
need=()
want() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" || need+=("$1"); }

if [ "$mode" = demo ] || [ "$mode" = test ]; then
  # Native AOT for linux-x64 (the appliance and the go2rtc stand-in), the stand-in's WebRTC camera
  # peer (node) and HLS (ffmpeg), and the demo, benchmark and soak scripts (python3).
  for p in clang lld llvm ffmpeg python3; do
    want "$p"
  done
  # Node only when no node is on PATH: Debian's npm conflicts with a NodeSource node already there.
  command -v node >/dev/null || want nodejs
  command -v npm >/dev/null || want npm
fi
if [ "$mode" = test ]; then
  # The linux-arm64 cross-link, qemu to run the arm64 binary, script checks, browser tests
  # (Playwright drives Debian's chromium; firefox-esr is driven over its own WebDriver BiDi) and the
  # benchmark's YAML.
  for p in gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static shellcheck \
           chromium firefox-esr fonts-dejavu-core python3-yaml systemd; do
    want "$p"
  done
  # The SD-card image (image/): mmdebstrap with a private binfmt_misc, the FAT and ext4 partitions
  # without mounts, qemu to boot it, and the cross compiler for the test image's kernel modules.
  # systemd: `systemd-analyze verify` of board/lightnvr.service.
  for p in mmdebstrap arch-test qemu-system-arm dosfstools mtools fdisk e2fsprogs zstd curl kmod; do
    want "$p"
  done
fi
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "dotnet SDK 10 is required (see global.json)" >&2; exit 1; }

# The arm64 appliance run under qemu-user (make arm64-smoke) loads zlib (libMonoPosixHelper.so links
# libz.so.1) and libssl3 (the runtime's crypto); the cross sysroot has neither. They come from Debian's
# arm64 packages, unpacked (not installed) into build/arm64-libs; the smoke puts them on the library path.
if [ "$mode" = test ]; then
  libs="$(cd "$(dirname "$0")/.." && pwd)/build/arm64-libs"
  if [ ! -e "$libs/lib/aarch64-linux-gnu/libz.so.1" ] || [ ! -e "$libs/usr/lib/aarch64-linux-gnu/libssl.so.3" ]; then
    echo "unpacking zlib1g:arm64 and libssl3:arm64 into $libs"
    export DEBIAN_FRONTEND=noninteractive
    dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
    apt-cache show zlib1g:arm64 libssl3:arm64 >/dev/null 2>&1 || apt-get update -qq
    debs=$(mktemp -d) && chmod 755 "$debs"   # apt downloads as the _apt user
    (cd "$debs" && apt-get download -qq zlib1g:arm64 libssl3:arm64 >/dev/null)
    rm -rf "$libs.tmp" && mkdir -p "$libs.tmp"
    for deb in "$debs"/*.deb; do dpkg -x "$deb" "$libs.tmp"; done
    rm -rf "$debs" "$libs" && mv "$libs.tmp" "$libs"
  fi
fi
