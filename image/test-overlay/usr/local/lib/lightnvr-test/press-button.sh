#!/bin/bash
# TEST IMAGE ONLY. Presses the simulated reset button for MS milliseconds (default 300).
set -euo pipefail
sim=$(cat /run/lightnvr-test/gpio-sim-path)
echo pull-down > "$sim/sim_gpio0/pull"
sleep "$(awk "BEGIN { print ${1:-300} / 1000 }")"
echo pull-up > "$sim/sim_gpio0/pull"
