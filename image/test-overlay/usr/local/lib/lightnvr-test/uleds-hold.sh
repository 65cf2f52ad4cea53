#!/bin/bash
# TEST IMAGE ONLY. Holds /dev/uleds open so that the LED "lightnvr:status" exists (uleds removes it
# when the file is closed) and logs every brightness the appliance sets, with a timestamp, to
# /run/lightnvr-test/led.log, where the boot test reads the blink pattern back.
set -euo pipefail
name='lightnvr:status'
modprobe uleds
mkdir -p /run/lightnvr-test
exec 3<>/dev/uleds
# struct uleds_user_dev { char name[64]; int max_brightness; } in one write (68 bytes), max 1.
pad=$(printf '%*s' $((64 - ${#name})) '' | sed 's/ /\\000/g')
printf "${name}${pad}\\001\\000\\000\\000" >&3
while v=$(dd bs=4 count=1 status=none <&3 | od -An -tu4 | tr -d ' '); do
  echo "$(date +%s.%N) $v" >> /run/lightnvr-test/led.log
done
