#!/bin/sh
# Inside a private user+mount namespace (Linux >= 6.7): this namespace's own binfmt_misc, so arm64
# programs run through qemu-user without registering anything on the host.
set -e
mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
printf '%s' ':qemu-aarch64:M::\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/usr/bin/qemu-aarch64-static:OCF' \
  > /proc/sys/fs/binfmt_misc/register
exec "$@"
