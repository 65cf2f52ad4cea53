#!/usr/bin/env bash
# For `make run`: makes sure the appliance has a go2rtc to run, or says in one line why not.
# Order: $GO2RTC_BINARY, DIR/go2rtc (fetched earlier), go2rtc at the build default or in PATH; otherwise
# the pinned release is fetched into DIR with install-go2rtc.sh (SHA-256 checked) when GitHub can be
# reached. Never fails: the appliance runs without go2rtc and shows why on its status page.
# Usage: toolchain/find-go2rtc.sh DIR
set -uo pipefail
dir=${1:?usage: find-go2rtc.sh DIR}
if [ -n "${GO2RTC_BINARY:-}" ] || [ -x "$dir/go2rtc" ] || [ -x /usr/local/bin/go2rtc ] || command -v go2rtc >/dev/null; then exit 0; fi
how="point GO2RTC_BINARY at one: GO2RTC_BINARY=/path/to/go2rtc make run; or see the stand-in in make demo"
base=${GO2RTC_DOWNLOAD_BASE:-https://github.com/AlexxIT/go2rtc/releases/download}
if ! curl --silent --head --output /dev/null --connect-timeout 5 --max-time 10 "$base/"; then
  echo "go2rtc: none found and ${base%%/AlexxIT*} cannot be reached to fetch the pinned release; running without it ($how)"
  exit 0
fi
scratch=$(mktemp -d)   # install-go2rtc.sh also writes a starter go2rtc.yaml; make run's config dir has its own
trap 'rm -rf "$scratch"' EXIT
if ! "$(dirname "$0")/install-go2rtc.sh" --install-dir "$dir" --config-dir "$scratch/config" >"$scratch/log" 2>&1; then
  echo "go2rtc: fetching the pinned release failed ($(tail -n 1 "$scratch/log")); running without it ($how)"
fi
exit 0
