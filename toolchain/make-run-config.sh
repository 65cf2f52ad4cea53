#!/usr/bin/env bash
# Writes the config `make run` uses: web on 127.0.0.1:8080, all state inside the checkout (DIR),
# go2rtc from $GO2RTC_BINARY when set. An existing file is kept (a person may have edited it).
set -euo pipefail
dir=$(realpath -m "${1:-run}")
mkdir -p "$dir/state" "$dir/go2rtc"
cfg="$dir/lightnvr.yaml"
[ -f "$cfg" ] && exit 0
{
  echo "# Written by 'make run'; edit freely, it is kept."
  echo "web:"
  echo "  listen: 127.0.0.1"
  echo "  port: 8080"
  echo "go2rtc:"
  [ -n "${GO2RTC_BINARY:-}" ] && echo "  binary: $(realpath "$GO2RTC_BINARY")"
  echo "  config_dir: $dir/go2rtc"
  echo "state_dir: $dir/state"
} > "$cfg"
chmod 600 "$cfg"
