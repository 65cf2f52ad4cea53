#!/usr/bin/env bash
# Lays out the installed shape of the appliance from a publish folder:
#   PREFIX/lightnvr            the AOT binary (0755)
#   PREFIX/*.so                its native side files (0644), found beside the real binary at run time
#   BINDIR/lightnvr            a symlink to PREFIX/lightnvr, for the command line
#   UNITDIR/lightnvr.service   the systemd unit, ExecStart pointing into PREFIX
# The binary loads its side files from the directory of the real executable (the symlink is resolved),
# so the folder must travel whole; copying the binary alone is what this script exists to prevent.
#
# Usage: toolchain/install-appliance.sh PUBLISH_DIR [DESTDIR] [PREFIX] [BINDIR] [UNITDIR]
#   DESTDIR is prepended to every path written (a root filesystem being built); links and the unit
#   name the paths as they will be on the running system.
set -euo pipefail
publish=${1:?usage: install-appliance.sh PUBLISH_DIR [DESTDIR] [PREFIX] [BINDIR] [UNITDIR]}
destdir=${2:-}
prefix=${3:-/opt/lightnvr}
bindir=${4:-/usr/local/bin}
unitdir=${5:-/etc/systemd/system}
unit="$(cd "$(dirname "$0")/.." && pwd)/board/lightnvr.service"

for p in "$prefix" "$bindir" "$unitdir"; do
  case "$p" in /*) ;; *) echo "install-appliance.sh: $p is not an absolute path" >&2; exit 2 ;; esac
done
[ -x "$publish/lightnvr" ] || { echo "install-appliance.sh: no binary at $publish/lightnvr; run make publish first" >&2; exit 1; }
shopt -s nullglob
side=("$publish"/*.so)
[ "${#side[@]}" -gt 0 ] || { echo "install-appliance.sh: no native side files (*.so) in $publish" >&2; exit 1; }

# Each file is written beside its final name and renamed over it: a running appliance keeps its
# open binary, the next start gets the new one whole.
put() { # put SOURCE TARGET MODE
  local tmp
  tmp=$(mktemp "$(dirname "$2")/.$(basename "$2").XXXXXX")
  cp "$1" "$tmp" && chmod "$3" "$tmp" && mv -f "$tmp" "$2"
}

mkdir -p "$destdir$prefix" "$destdir$bindir" "$destdir$unitdir"
for lib in "${side[@]}"; do put "$lib" "$destdir$prefix/$(basename "$lib")" 0644; done
put "$publish/lightnvr" "$destdir$prefix/lightnvr" 0755
ln -sfn "$prefix/lightnvr" "$destdir$bindir/lightnvr"
sed "s|^ExecStart=/opt/lightnvr/lightnvr|ExecStart=$prefix/lightnvr|" "$unit" > "$destdir$unitdir/.lightnvr.service.tmp"
chmod 0644 "$destdir$unitdir/.lightnvr.service.tmp"
mv -f "$destdir$unitdir/.lightnvr.service.tmp" "$destdir$unitdir/lightnvr.service"
echo "installed $prefix/lightnvr with ${#side[@]} side file(s), $bindir/lightnvr -> $prefix/lightnvr, $unitdir/lightnvr.service${destdir:+ (under $destdir)}"
