#!/bin/bash
# Runs a command in a new user+mount+pid namespace whose uids/gids 0-65535 map 1:1 to the host's
# (so files keep real owners) and which has its own binfmt_misc for arm64 (binfmt-ns.sh).
# The host's binfmt_misc stays untouched. Needs real root; uid_map is written here because
# newuidmap (uidmap) is not installed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sync_fifo=$(mktemp -u /tmp/userns-sync.XXXXXX)
mkfifo -m 600 "$sync_fifo"
trap 'rm -f "$sync_fifo"' EXIT
unshare --user --mount --pid --fork --propagation private \
  bash -c 'read -r _ < "$0"; exec "$@"' "$sync_fifo" "$here/binfmt-ns.sh" "$@" &
upid=$!
while [ "$(readlink /proc/$upid/ns/user)" = "$(readlink /proc/self/ns/user)" ]; do sleep 0.05; done
echo '0 0 65536' > /proc/$upid/uid_map
echo '0 0 65536' > /proc/$upid/gid_map
echo go > "$sync_fifo"
wait $upid
