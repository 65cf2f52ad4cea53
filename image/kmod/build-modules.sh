#!/bin/bash
# The test image's simulated board: gpio-sim (a GPIO chip whose line pulls a test sets from sysfs) and
# uleds (an LED class device whose brightness writes a test reads back). Neither is built in Debian's
# arm64 kernel, so both are built out of tree here against the image kernel's own headers, with the
# cross compiler. Sources and kbuild come from Debian packages of the same version as the kernel.
# Usage: build-modules.sh ROOTFS WORKDIR   -> WORKDIR/out/{gpio-sim,uleds}.ko
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rootfs=$1 work=$2
kver=$(ls "$rootfs/usr/lib/modules" | sort -V | tail -1)
ver=$(dpkg-query --admindir="$rootfs/var/lib/dpkg" -W -f='${Version}' "linux-image-$kver")
stamp="$work/out/.built-$kver-$ver"
[ -f "$stamp" ] && { echo "modules for $kver ($ver): cached"; exit 0; }
debs="$work/debs"   # kept across builds: linux-source is large
rm -rf "$work/sysroot" "$work/src" "$work/out" "$work/build"; mkdir -p "$debs" "$work/sysroot" "$work/src" "$work/out"
series=${kver%%-*}; series=${series%.*}           # 6.1.0-57-arm64 -> 6.1
fetch() { [ -f "$debs/$1_${ver//:/%3a}_$2.deb" ] || (cd "$debs" && apt-get download -q "$1=$ver"); }
fetch_host() { fetch "$1" "$2" 2>/dev/null || { apt-get update -qq && fetch "$1" "$2"; }; }
fetch_host "linux-kbuild-$series" amd64
fetch_host "linux-source-$series" all
headers=("$(dirname "$rootfs")/debs/linux-headers-${kver}_"*.deb "$(dirname "$rootfs")/debs/linux-headers-${kver%-arm64}-common_"*.deb)
for d in "${headers[@]}" "$debs/linux-kbuild-${series}_${ver}_amd64.deb"; do dpkg-deb -x "$d" "$work/sysroot"; done
dpkg-deb --fsys-tarfile "$debs/linux-source-${series}_${ver}_all.deb" | tar -x -O "./usr/src/linux-source-$series.tar.xz" |
  tar -xJ -C "$work/src" --strip-components=1 \
    "linux-source-$series/drivers/gpio/gpio-sim.c" "linux-source-$series/drivers/gpio/gpiolib.h" \
    "linux-source-$series/kernel/irq/irq_sim.c" "linux-source-$series/drivers/leds/uleds.c"
hdr="$work/sysroot/usr/src/linux-headers-$kver"
common="/usr/src/linux-headers-${kver%-arm64}-common"
sed -i "s|$common|$work/sysroot$common|" "$hdr/Makefile"
b="$work/build"; mkdir -p "$b"
cp "$work/src/drivers/gpio/gpio-sim.c" "$b/gpio-sim-main.c"
cp "$work/src/drivers/gpio/gpiolib.h" "$work/src/drivers/leds/uleds.c" "$work/src/kernel/irq/irq_sim.c" "$b/"
# irq_to_desc is not exported to modules; generic_handle_irq does the same lookup and is.
sed -i 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq(irqnum);/' "$b/irq_sim.c"
cp "$here/Kbuild" "$b/Kbuild"
make -s -C "$hdr" M="$b" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- modules
aarch64-linux-gnu-strip --strip-debug "$b/gpio-sim.ko" "$b/uleds.ko"
cp "$b/gpio-sim.ko" "$b/uleds.ko" "$work/out/"
touch "$stamp"
echo "modules for $kver ($ver): $(ls "$work/out" | tr '\n' ' ')"
