#!/usr/bin/env bash
# Writes the config `make run` uses: web on 127.0.0.1:8080, all state inside the checkout (DIR),
# go2rtc from $GO2RTC_BINARY when set, else the one find-go2rtc.sh fetched into run/bin.
# A file without our header line was edited by a person and is kept.
set -euo pipefail
dir=$(realpath -m "${1:-run}")
mkdir -p "$dir/state" "$dir/go2rtc"
cfg="$dir/lightnvr.yaml"
header="# Written by 'make run' (delete this line to keep your edits)."
if [ -f "$cfg" ] && [ "$(head -n 1 "$cfg")" != "$header" ]; then exit 0; fi
{
  echo "$header"
  echo "web:"
  echo "  listen: 127.0.0.1"
  echo "  port: 8080"
  echo "go2rtc:"
  if [ -n "${GO2RTC_BINARY:-}" ]; then echo "  binary: $(realpath "$GO2RTC_BINARY")"
  elif [ -x "$dir/bin/go2rtc" ]; then echo "  binary: $dir/bin/go2rtc"; fi   # fetched by find-go2rtc.sh
  echo "  config_dir: $dir/go2rtc"
  echo "state_dir: $dir/state"
} > "$cfg.tmp"
chmod 600 "$cfg.tmp"
mv -f "$cfg.tmp" "$cfg"
