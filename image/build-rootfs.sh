#!/bin/bash
# The image's Debian part: bookworm arm64 from image/packages.txt with mmdebstrap, plus the system
# settings that do not depend on the appliance's build (hostname, user, mounts, network, journald).
# Runs inside userns-run.sh (arm64 maintainer scripts run through that namespace's binfmt_misc).
# Usage: build-rootfs.sh ROOTFS_DIR OUT_DIR
# OUT_DIR receives packages.lock (name version, sorted) and debs/: the arm64 kernel headers matching
# the image kernel, for the test image's out-of-tree modules.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rootfs=$1 out=$2 debs=$2/debs
# mmdebstrap's helpers (mmtarfilter) are "#!/usr/bin/env python3": take the system python, not a
# version-manager shim first on PATH (a shim costs seconds per package).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
mirror=${IMAGE_MIRROR:-$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}
mirror=${mirror:-http://deb.debian.org/debian}
security=${IMAGE_SECURITY_MIRROR:-${mirror%/debian}/debian-security}
include=$(grep -v '^\s*#' "$here/packages.txt" | grep -v '^\s*$' | paste -sd, -)
rm -rf "$rootfs" "$debs"; mkdir -p "$debs"

# Empty packages that stand in for what a headless box never loads (see each one's description); apt takes
# them over Debian's by their higher version. Built by the host's dpkg-deb (nothing emulated) into a folder
# whose path is also free inside the root: apt hands dpkg in the chroot the same path.
stubdir=$(mktemp -d /tmp/lightnvr-stubs.XXXXXX)
trap 'rm -rf "$stubdir"' EXIT
stubs=()
for stub in "$here"/headless-stubs/*/; do
  deb="$stubdir/$(basename "$stub").deb"
  dpkg-deb --root-owner-group --build "$stub" "$deb" >/dev/null
  stubs+=("--include=$deb")
done

# mkinitramfs with MODULES=most takes minutes under qemu-user: list what boots a Raspberry Pi 3/4 (SD,
# USB) and qemu's virt machine (virtio) instead.
initramfs_modules="virtio_pci virtio_mmio virtio_blk virtio_console ext4 vfat nls_cp437 nls_ascii mmc_block sdhci_iproc bcm2835 reset_raspberrypi xhci_pci usb_storage uas"
# Two commands that packages run more than once under qemu-user, each run a minute or more there:
# update-initramfs (the kernel's postinst, then initramfs-tools' trigger fired by udev, kmod, systemd...)
# and update-ca-certificates (ca-certificates' postinst, then its own trigger). During the install they
# are diverted to no-ops; each runs once, real, at the end.
deferred="/usr/sbin/update-initramfs /usr/sbin/update-ca-certificates"
defer='for c in '"$deferred"'; do chroot "$1" dpkg-divert --quiet --local --rename --add "$c" && printf "#!/bin/sh\nexit 0\n" > "$1$c" && chmod 0755 "$1$c" || exit 1; done'
run_deferred='for c in '"$deferred"'; do rm "$1$c" && chroot "$1" dpkg-divert --quiet --local --rename --remove "$c" || exit 1; done
  chroot "$1" update-ca-certificates --fresh >/dev/null && chroot "$1" update-initramfs -c -k "$(ls "$1"/usr/lib/modules | sort -V | tail -1)"'

# The kernel headers for the test image's modules are fetched by the host's apt on the chroot's config
# (MMDEBSTRAP_APT_CONFIG): by then the chroot's resolv.conf points at systemd-resolved, which is not running.
# mmdebstrap's own hooks: merged-usr sets up merged /usr before the essential packages, so bookworm's
# init-system-helpers takes usr-is-merged instead of usrmerge and its perl (tens of MB, a slow postinst);
# eatmydata drops dpkg's fsync per unpacked file, which buys nothing here (the image is written from
# this tree after the build).
mmdebstrap --mode=root --arch=arm64 --variant=minbase --quiet \
  --aptopt='APT::Install-Recommends "false"' \
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
  --hook-dir=/usr/share/mmdebstrap/hooks/eatmydata \
  --include="$include" "${stubs[@]}" \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --essential-hook='mkdir -p "$1"/etc/initramfs-tools/conf.d "$1"/usr/share/initramfs-tools/modules.d' \
  --essential-hook='echo MODULES=list > "$1"/etc/initramfs-tools/conf.d/lightnvr.conf' \
  --essential-hook="printf '%s\n' $initramfs_modules > \"\$1\"/usr/share/initramfs-tools/modules.d/lightnvr" \
  --essential-hook="$defer" \
  --essential-hook='mkdir -p "$1'"$stubdir"'" && cp '"$stubdir"'/*.deb "$1'"$stubdir"'/"' \
  --customize-hook='rm -rf "$1'"$stubdir"'"' \
  --customize-hook='kver=$(ls "$1"/usr/lib/modules | sort -V | tail -1); cd '"$debs"' && APT_CONFIG=$MMDEBSTRAP_APT_CONFIG apt-get download -q "linux-headers-$kver" "linux-headers-${kver%-arm64}-common"' \
  --customize-hook='cp -a '"$here"'/rootfs-overlay/. "$1"/' \
  --customize-hook='sed -i -e "s|^#\?ROOTPART=.*|ROOTPART=LABEL=rootfs|" -e "s|^#\?CMA=.*|CMA=0|" -e "s|^#\?CONSOLES=.*|CONSOLES=\"tty0\"|" "$1"/etc/default/raspi-firmware' \
  --customize-hook="$run_deferred" \
  --customize-hook='chroot "$1" env DEB_MAINT_PARAMS=configure /etc/kernel/postinst.d/z50-raspi-firmware' \
  --customize-hook='echo lightnvr > "$1"/etc/hostname; chmod 0644 "$1"/etc/hostname; printf "127.0.0.1\tlocalhost\n127.0.1.1\tlightnvr\n::1\tlocalhost ip6-localhost ip6-loopback\n" > "$1"/etc/hosts' \
  --customize-hook='chroot "$1" groupadd --system gpio' \
  --customize-hook='chroot "$1" useradd --system --no-create-home --home-dir /var/lib/lightnvr --shell /usr/sbin/nologin --groups gpio,dialout lightnvr' \
  --customize-hook='chroot "$1" passwd --lock root >/dev/null' \
  --customize-hook='chroot "$1" systemctl enable systemd-networkd.service systemd-timesyncd.service avahi-daemon.service lightnvr-growroot.service' \
  --customize-hook='chroot "$1" systemctl mask serial-getty@ttyS1.service' \
  --customize-hook='dpkg-query --admindir="$1"/var/lib/dpkg -W -f="\${Package} \${Version}\n" | sort > '"$out"'/packages.lock' \
  bookworm "$rootfs" \
  "deb $mirror bookworm main non-free-firmware" \
  "deb $mirror bookworm-updates main non-free-firmware" \
  "deb $security bookworm-security main non-free-firmware"
