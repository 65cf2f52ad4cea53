#!/bin/bash
# The arm64 appliance's own check-config, run under qemu-user with the image's Debian root as its library
# root: the image is checked by the binary it ships, with the libraries it ships, and building an image
# needs no build of the appliance for the host.
# The library root is the Debian root before the appliance's files go in: qemu-user resolves a path inside it
# only when the path exists there, so a root that has /etc/lightnvr/go2rtc would show check-config that
# folder while the file it creates to test writing lands on the host.
# Usage: check-config-arm64.sh LIBRARY_ROOT BINARY CONFIG
set -euo pipefail
libroot=$1 binary=$2 config=$3
command -v qemu-aarch64-static >/dev/null || { echo "qemu-aarch64-static is missing (make deps installs qemu-user-static)" >&2; exit 2; }
exec qemu-aarch64-static -L "$libroot" "$binary" check-config "$config"
