#!/bin/bash
# make image / make image-test: the cached Debian root, then the image of one variant.
# Usage: image/build.sh release|test VERSION, or image/build.sh base (only the cached Debian root: make
# image builds it while the appliance is being published, which it does not need)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); repo=$(dirname "$here")
variant=$1 version=${2:-}
build="$repo/build/image" out="$repo/out"
start=$(date +%s)
[ "$(id -u)" = 0 ] || { echo "make image needs root (mmdebstrap --mode=root, file owners in the image)" >&2; exit 1; }

# The Debian part changes only with the package list or the system settings: rebuilt when their hash changes.
key=$(cd "$here" && { cat packages.txt build-rootfs.sh userns-run.sh binfmt-ns.sh; find rootfs-overlay headless-stubs -type f | sort | xargs -r sha256sum; find rootfs-overlay -printf '%M %P\n' | sort; } | sha256sum | cut -c1-16)
if [ -f "$build/base.key" ] && [ "$(cat "$build/base.key")" = "$key" ] && [ -d "$build/base/usr" ]; then
  echo "image: Debian root cached ($key)"
else
  echo "image: building the Debian bookworm arm64 root (mmdebstrap, a few minutes)"
  rm -f "$build/base.key"; mkdir -p "$build"
  t=$(date +%s)
  "$here/userns-run.sh" "$here/build-rootfs.sh" "$build/base" "$build" > "$build/rootfs.log" 2>&1 ||
    { tail -n 40 "$build/rootfs.log" >&2; echo "image: mmdebstrap failed, log: $build/rootfs.log" >&2; exit 1; }
  echo "image: Debian root built in $(( $(date +%s) - t )) s"
  echo "$key" > "$build/base.key"
fi
[ "$variant" = base ] && exit 0
"$here/assemble.sh" "$variant" "$build" "$out" "$version"
name="lightnvr-$version-arm64"; [ "$variant" = release ] || name="$name-$variant"
info="$out/$name.txt"
awk -F= '
  /^raw_bytes=/ {raw=$2} /^zst_bytes=/ {zst=$2} /^go2rtc=/ {g=$2} /^board_config=/ {b=$2} /^kernel=/ {k=$2}
  END {
    if (zst > 0) printf "image: out/%s.img.zst  %.0f MB compressed, %.0f MB raw, kernel %s\n", name, zst/1048576, raw/1048576, k
    else printf "image: out/%s.img  %.0f MB raw, kernel %s\n", name, raw/1048576, k
    printf "image: go2rtc: %s; board settings: %s\n", g, b
  }' name="$name" "$info"
echo "image: built in $(( $(date +%s) - start )) s"
