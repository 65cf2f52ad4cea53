#!/bin/bash
# Turns the cached Debian root (build-rootfs.sh) into a flashable image: the appliance in its installed
# shape, its unit, go2rtc, the boot partition's settings, then FAT32 + ext4 + MBR without loop devices
# or mounts, compressed, with its SHA-256 and a manifest (packages, then every path with mode and owner).
# Usage: assemble.sh release|test BUILD_DIR OUT_DIR VERSION
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); repo=$(dirname "$here")
variant=$1 build=$2 out=$3 version=$4
base="$build/base" root="$build/$variant/root" work="$build/$variant"
publish="$repo/build/publish/linux-arm64"
case $variant in release) name="lightnvr-$version-arm64" ;; test) name="lightnvr-$version-arm64-test" ;;
  *) echo "variant must be release or test" >&2; exit 2 ;; esac
boot_mib=256

rm -rf "$work"; mkdir -p "$work" "$out"
cp -a "$base" "$root"
# Empty, so every card gets its own id at first boot; its mode varies between mmdebstrap runs (systemd's
# postinst writes 0444, mmdebstrap's cleanup 0644), and the manifest must not.
: > "$root/etc/machine-id"; chmod 0444 "$root/etc/machine-id"
kver=$(ls "$root/usr/lib/modules" | sort -V | tail -1)

# The appliance in its installed shape: /opt/lightnvr holds the binary and its native side files,
# /usr/local/bin/lightnvr points at it (the runtime finds the side files beside the resolved binary).
if [ -x "$repo/toolchain/install-appliance.sh" ]; then
  "$repo/toolchain/install-appliance.sh" "$publish" "$root" /opt/lightnvr /usr/local/bin /etc/systemd/system >/dev/null
else
  install -d -m 0755 "$root/opt/lightnvr"
  install -m 0755 "$publish/lightnvr" "$root/opt/lightnvr/lightnvr"
  install -m 0644 "$publish"/*.so "$root/opt/lightnvr/"
  ln -sf /opt/lightnvr/lightnvr "$root/usr/local/bin/lightnvr"
  install -m 0644 "$repo/board/lightnvr.service" "$root/etc/systemd/system/lightnvr.service"
fi
# The FAT partition's files belong to the appliance's user: vfat takes numeric ids only.
uid=$(awk -F: '$1 == "lightnvr" {print $3}' "$root/etc/passwd")
gid=$(awk -F: '$1 == "lightnvr" {print $3}' "$root/etc/group")
sed -i "s/uid=lightnvr,gid=lightnvr/uid=$uid,gid=$gid/" "$root/etc/fstab"
cp -a "$here/app-overlay/." "$root/"
# The board's system files: the user and its groups (the root already has them from build-rootfs.sh;
# sysusers keeps them on a later systemd-sysusers run) and the device permissions of GPIO chips and LEDs.
install -D -m 0644 "$repo/board/lightnvr.sysusers" "$root/usr/lib/sysusers.d/lightnvr.conf"
install -D -m 0644 "$repo/board/99-lightnvr-board.rules" "$root/etc/udev/rules.d/99-lightnvr-board.rules"
# The unit runs as lightnvr: systemd creates StateDirectory= for it but leaves ConfigurationDirectory=
# as it finds it, and go2rtc's generated config is written into /etc/lightnvr/go2rtc.
install -d -m 0750 -o "$uid" -g "$gid" "$root/etc/lightnvr" "$root/etc/lightnvr/go2rtc"
install -D -m 0755 "$repo/toolchain/install-go2rtc.sh" "$root/usr/local/lib/lightnvr/install-go2rtc.sh"

# go2rtc: a named binary, else the pinned release if it can be fetched now, else on first boot.
go2rtc_source="first boot (lightnvr-go2rtc-install.timer)"
if [ "$variant" = test ]; then
  install -m 0755 "$repo/build/standin-arm64/go2rtc-standin" "$root/usr/local/bin/go2rtc"
  go2rtc_source="the go2rtc stand-in (tests/Go2rtcStandIn, TEST IMAGE)"
elif [ -n "${GO2RTC_BINARY_ARM64:-}" ]; then
  install -m 0755 "$GO2RTC_BINARY_ARM64" "$root/usr/local/bin/go2rtc"
  go2rtc_source="$GO2RTC_BINARY_ARM64"
elif GO2RTC_ARCH=aarch64 timeout 120 "$repo/toolchain/install-go2rtc.sh" --install-dir "$root/usr/local/bin" \
       --config-dir "$root/etc/lightnvr/go2rtc" >"$work/install-go2rtc.log" 2>&1; then
  go2rtc_source="the pinned release (toolchain/install-go2rtc.sh)"
fi
chown -R "$uid:$gid" "$root/etc/lightnvr"
units="lightnvr.service"
[ -e "$root/usr/local/bin/go2rtc" ] || units="$units lightnvr-go2rtc-install.timer"

# The test image's simulated board and root shell; a release image never carries them.
if [ "$variant" = test ]; then
  cp -a "$here/test-overlay/." "$root/"
  "$here/kmod/build-modules.sh" "$base" "$build/kmod"
  install -d "$root/usr/lib/modules/$kver/updates"
  install -m 0644 "$build"/kmod/out/*.ko "$root/usr/lib/modules/$kver/updates/"
  depmod -b "$root" "$kver"
  units="$units lightnvr-sim-board.service lightnvr-sim-led.service serial-getty@hvc1.service"
fi
systemctl --root="$root" --quiet enable $units
# hvc0 is the maintenance console of the test image: no login prompt may compete for it (systemd's
# getty generator starts one on every virtio console otherwise).
[ "$variant" = test ] && systemctl --root="$root" --quiet mask serial-getty@hvc0.service

# The boot partition: the firmware and kernel raspi-firmware put there, and the settings. The board
# section goes in only when this build of the appliance knows it (its own check-config, under qemu-user).
mkdir -p "$work/bootfiles"
cp -r "$root/boot/firmware/." "$work/bootfiles/"
cp "$here/boot/lightnvr.yaml" "$here/boot/streams.yaml" "$work/bootfiles/"
board_yaml="$here/boot/board-$variant.yaml"
cat "$here/boot/lightnvr.yaml" "$board_yaml" > "$work/with-board.yaml"
if "$here/check-config-arm64.sh" "$base" "$root/opt/lightnvr/lightnvr" "$work/with-board.yaml" >"$work/check-config.log" 2>&1; then
  cp "$work/with-board.yaml" "$work/bootfiles/lightnvr.yaml"; board_config=yes
else
  board_config="no (this build does not know the board section: $(head -c 200 "$work/check-config.log" | head -1))"
fi
rm -rf "$root/boot/firmware"; mkdir -m 0755 "$root/boot/firmware"

# Manifest: the package list, then every path (mode, owner); no sizes or times, which change per build.
{
  echo "# $name: packages"
  dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Package} ${Version}\n' | sort
  echo "# $name: files of the root partition"
  (cd "$root" && find . -printf '%M %u:%g %P\n' | sed 's/ $/ \//' | sort -k3)
  echo "# $name: files of the boot partition"
  (cd "$work/bootfiles" && find . -printf '%M %P\n' | sort -k2)
} > "$out/$name.manifest"

# Partitions and disk image, without root or loop devices: mkfs from directories, dd into place, all sparse.
mkfs.vfat -C -F 32 -n BOOT -i 4c4e5652 "$work/boot.vfat" $((boot_mib * 1024)) >/dev/null
mcopy -s -i "$work/boot.vfat" "$work"/bootfiles/* ::/
fsck.vfat -n "$work/boot.vfat" >/dev/null
root_mib=$(( $(du -sm --apparent-size "$root" | cut -f1) * 115 / 100 + 256 ))
E2FSPROGS_FAKE_TIME=${SOURCE_DATE_EPOCH:-} mkfs.ext4 -q -F -L rootfs -d "$root" -E root_owner=0:0 "$work/root.ext4" "${root_mib}M" >/dev/null
img="$work/$name.img"
truncate -s $(( (4 + boot_mib + root_mib) * 1048576 )) "$img"
sfdisk --quiet "$img" <<SFDISK
label: dos
label-id: 0x4c4e5652
unit: sectors
start=8192, size=$((boot_mib * 2048)), type=c, bootable
start=$((8192 + boot_mib * 2048)), size=$((root_mib * 2048)), type=83
SFDISK
dd if="$work/boot.vfat" of="$img" bs=1M seek=4 conv=notrunc,sparse status=none
dd if="$work/root.ext4" of="$img" bs=1M seek=$((4 + boot_mib)) conv=notrunc,sparse status=none
rm -f "$work/boot.vfat" "$work/root.ext4"
# Only the release image is shipped: the test image is booted raw and never compressed.
rm -f "$out/$name.img.zst" "$out/$name.img.zst.sha256"
if [ "$variant" = release ]; then
  zstd -q -T0 -3 -f "$img" -o "$out/$name.img.zst"
  (cd "$out" && sha256sum "$name.img.zst" > "$name.img.zst.sha256")
fi
# The raw image stays in the build dir for the boot test (which boots it with -snapshot or a copy).
ln -sf "$img" "$out/$name.img"
cat > "$out/$name.txt" <<INFO
image=$name
kernel=$kver
raw_bytes=$(stat -c %s "$img")
zst_bytes=$(stat -c %s "$out/$name.img.zst" 2>/dev/null || echo 0)
go2rtc=$go2rtc_source
go2rtc_sha256=$( [ -e "$root/usr/local/bin/go2rtc" ] && sha256sum < "$root/usr/local/bin/go2rtc" | cut -c1-64 || echo none)
board_config=$board_config
INFO
rm -rf "$root"
