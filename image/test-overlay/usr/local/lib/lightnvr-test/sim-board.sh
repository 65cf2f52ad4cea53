#!/bin/bash
# TEST IMAGE ONLY. A simulated GPIO chip "lnvr-sim" (gpio-sim): line 0 is the reset button, pulled up
# (not pressed). The boot test presses it by pulling the line down (press-button.sh).
set -euo pipefail
modprobe gpio-sim
mountpoint -q /sys/kernel/config || mount -t configfs configfs /sys/kernel/config
cd /sys/kernel/config/gpio-sim
mkdir -p lnvr/bank0/line0
echo 4 > lnvr/bank0/num_lines
echo lnvr-sim > lnvr/bank0/label
echo reset-button > lnvr/bank0/line0/name
echo 1 > lnvr/live
sim=/sys/devices/platform/$(cat lnvr/dev_name)/$(cat lnvr/bank0/chip_name)
echo pull-up > "$sim/sim_gpio0/pull"
# The appliance (user lightnvr, group gpio) opens the chip: wait for udev to hand it to gpio.
chip=/dev/$(cat lnvr/bank0/chip_name)
until [ "$(stat -c %G "$chip" 2>/dev/null)" = gpio ]; do sleep 0.1; done
mkdir -p /run/lightnvr-test
echo "$sim" > /run/lightnvr-test/gpio-sim-path
