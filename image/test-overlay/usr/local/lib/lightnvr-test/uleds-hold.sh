#!/bin/bash
# TEST IMAGE ONLY. Holds /dev/uleds open so that the LED "lightnvr:status" exists (uleds removes it
# when the file is closed) and logs every brightness the appliance sets, with a timestamp, to
# /run/lightnvr-test/led.log, where the boot test reads the blink pattern back. One perl process reads
# the device: a shell loop forking per change is slower than a 100 ms blink under qemu's TCG, and
# uleds hands a slow reader only the latest level, so the log would show longer periods than the LED's.
# Only perl-base is in the image (no Time::HiRes): the time is clock_gettime(CLOCK_REALTIME), arm64
# syscall 113, the clock `date +%s.%N` reads.
set -euo pipefail
modprobe uleds
mkdir -p /run/lightnvr-test
# struct uleds_user_dev { char name[64]; int max_brightness; } in one write (68 bytes), max 1.
exec perl -e '
  sub now { my $ts = pack("q q", 0, 0); syscall(113, 0, $ts) == 0 or die "clock_gettime: $!\n"; my ($s, $ns) = unpack("q q", $ts); $s + $ns / 1e9 }
  open(my $dev, "+<", "/dev/uleds") or die "/dev/uleds: $!\n";
  syswrite($dev, pack("Z64 l", $ARGV[0], 1)) == 68 or die "uleds: cannot create $ARGV[0]: $!\n";
  open(my $log, ">>", "/run/lightnvr-test/led.log") or die "led.log: $!\n";
  select((select($log), $| = 1)[0]);
  while (sysread($dev, my $level, 4) == 4) { printf $log "%.6f %d\n", now(), unpack("l", $level) }
' 'lightnvr:status'
