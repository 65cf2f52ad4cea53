"""Checks of the simulated board in the booted test image: the status LED (uleds, its brightness logged by
uleds-hold.sh), the reset button (gpio-sim, pressed by press-button.sh) and the maintenance console."""
import statistics

from boot_checks import go2rtc_ready, phase
from checks import Skip, expect
from vm import wait_for

PRESS = "/usr/local/lib/lightnvr-test/press-button.sh"
STATE_DIR = "/var/lib/lightnvr"
# LedPatterns.Heartbeat ("set a password"): 100 ms on, 1900 ms off. Not readable over the API then:
# without a password only /setup and /healthz answer.
HEARTBEAT_MS = (100, 1900)
# Held past the 10 s arming time and released before the 15 s cancel: a factory reset.
RESET_HOLD_MS = 12000


def board_feature(info):
    if not info.get("board_config", "").startswith("yes"):
        raise Skip("this build of the appliance has no board section (LED, button, console)")


def led_log(shell, since=0.0):
    """(guest time, brightness) pairs the uleds holder logged, from guest time `since` on."""
    rows = [l.split() for l in shell.ok("cat /run/lightnvr-test/led.log 2>/dev/null || true").split("\n") if l.strip()]
    return [(float(t), int(v)) for t, v in rows if float(t) >= since]


def guest_now(shell):
    return float(shell.ok("date +%s.%N"))


def level_changes(log):
    """The log without rewrites of the same level."""
    return [c for i, c in enumerate(log) if i == 0 or (c[1] > 0) != (log[i - 1][1] > 0)]


def on_off_durations(log):
    on = [b[0] - a[0] for a, b in zip(log, log[1:]) if a[1] > 0 and b[1] == 0]
    off = [b[0] - a[0] for a, b in zip(log, log[1:]) if a[1] == 0 and b[1] > 0]
    return on, off


def near(measured_s, expected_ms):
    """TCG timing is loose: within 60 ms + 50 % of the expected duration."""
    return abs(measured_s - expected_ms / 1000) <= 0.06 + expected_ms / 2000


def led_steady(app, shell, info):
    """Now (go2rtc ready, password set, no camera down) the pattern is solid: the LED is on and stays on."""
    board_feature(info)
    want = wait_for("the solid pattern", 60, lambda: (b := app.json("/api/board"))["led"] == "solid" and b)
    wait_for("the LED on", 30, lambda: (log := led_log(shell)) and log[-1][1] > 0, interval=1)
    t = guest_now(shell)
    wait_for("3 s of guest time", 30, lambda: guest_now(shell) > t + 3, interval=1)
    offs = [c for c in led_log(shell, since=t) if c[1] == 0]
    expect(not offs, f"the LED went off while {want['led']}: {offs[:6]}")
    return f"{want['led']}: on and steady"


def led_blinks_fault_pattern(app, shell, info):
    """go2rtc made unusable (not executable) → fast-blink; the logged on/off times follow its cycle."""
    board_feature(info)
    try:
        shell.ok("chmod -x /usr/local/bin/go2rtc")
        app.request("POST", "/api/go2rtc/restart", timeout=60)
        want = wait_for("the fast-blink pattern", 60, lambda: (b := app.json("/api/board"))["led"] == "fast-blink" and b)
        t, seen = guest_now(shell), set()
        log = wait_for("12 LED changes", 60, lambda: seen.add(app.json("/api/board")["led"])
                       or ((log := led_log(shell, since=t)) and len(log) >= 12 and log), interval=1)
    finally:
        shell.ok("chmod +x /usr/local/bin/go2rtc; sync")
    log = level_changes(log)
    on, off = on_off_durations(log)
    exp_on, exp_off = want["on_off_ms"][0], want["on_off_ms"][1]
    med_on, med_off = statistics.median(on), statistics.median(off)
    expect(near(med_on, exp_on) and near(med_off, exp_off),
           f"on {med_on:.3f} s / off {med_off:.3f} s, pattern {want['led']} {want['on_off_ms']} ms; "
           f"patterns seen meanwhile: {sorted(seen)}; changes: {log[:8]}")
    return f"{want['led']} {want['on_off_ms']} ms: on {med_on * 1000:.0f} ms, off {med_off * 1000:.0f} ms (medians of {len(log)} changes)"


def short_press_restarts_go2rtc(app, shell, info):
    board_feature(info)
    before = go2rtc_ready(app)["pid"]
    presses = app.json("/api/health").get("restart_totals", {}).get("button", 0)
    shell.ok(f"{PRESS} 300")
    after = wait_for("a new go2rtc after a short press", 60,
                     lambda: (s := app.go2rtc()) and phase(s) == "ready" and s.get("pid") != before and s["pid"])
    # /api/health is the health loop's snapshot, published on its next tick after the new go2rtc is ready.
    wait_for("the button restart in /api/health", 30,
             lambda: app.json("/api/health").get("restart_totals", {}).get("button", 0) > presses)
    totals = app.json("/api/health").get("restart_totals", {})
    expect(totals.get("button", 0) == presses + 1, f"restart totals after the press: {totals} (button was {presses})")
    return f"go2rtc pid {before} → {after}, restart reason button"


def maintenance_console_status(maint, info):
    board_feature(info)
    maint.send("\r\nstatus\r\n")
    m = maint.read_until(r"go2rtc[^\r\n]*", 30)
    return f"answered: {m.group(0).decode(errors='replace')[:80]!r}"


def main_pid(shell):
    out = shell.ok("systemctl show lightnvr.service -p MainPID -p ActiveState -p NRestarts")
    return dict(l.split("=", 1) for l in out.split("\n") if "=" in l)


def factory_reset_by_long_press(app, shell, info, edited_value):
    """Held 12 s and released: the person's files and the password move to state_dir/backups/, the FAT
    lightnvr.yaml holds defaults (board wiring kept), and the unit, having exited 75, runs again."""
    board_feature(info)
    before = main_pid(shell)
    expect(before["ActiveState"] == "active", f"the unit before the press: {before}")
    expect(not shell.ok(f"ls {STATE_DIR}/backups 2>/dev/null || true"), "a backups folder exists before the reset")
    since = shell.ok("date '+%Y-%m-%d %H:%M:%S'")
    shell.ok(f"{PRESS} {RESET_HOLD_MS}", deadline_s=RESET_HOLD_MS / 1000 + 30)
    after = wait_for("lightnvr.service running again with a new main pid", 120,
                     lambda: (p := main_pid(shell)) and p["ActiveState"] == "active"
                     and p["MainPID"] not in ("0", before["MainPID"]) and p, interval=1)
    wait_for("the status page after the reset", 60, app.healthz, interval=0.5)
    journal = shell.ok(f"journalctl -u lightnvr.service --since '{since}' -o cat --no-pager")
    expect("status=75" in journal, "systemd did not see exit code 75: " + journal[-600:])
    expect("factory reset by the reset button" in journal, "the appliance did not log the reset: " + journal[-600:])
    backups = shell.ok(f"ls {STATE_DIR}/backups").split()
    expect(len(backups) == 1 and backups[0].startswith("factory-reset-"), f"backups: {backups}")
    folder = f"{STATE_DIR}/backups/{backups[0]}"
    saved = shell.ok(f"ls {folder}").split()
    for name in ("lightnvr.yaml", "streams.yaml", "admin-password"):
        expect(name in saved, f"{name} is not in {folder}: {saved}")
    expect(edited_value in shell.ok(f"cat {folder}/lightnvr.yaml"), "the backed-up lightnvr.yaml is not the person's")
    fresh = shell.ok("cat /boot/firmware/lightnvr.yaml")
    expect("factory reset" in fresh and edited_value not in fresh and "lnvr-sim" in fresh,
           f"the FAT lightnvr.yaml after the reset: {fresh[:400]!r}")
    expect(not shell.ok(f"ls {STATE_DIR}/admin-password 2>/dev/null || true"), "the password file is still in place")
    code, body = app.request("GET", "/api/status")
    expect(code == 401 and b"no admin password yet" in body, f"/api/status with the old password: HTTP {code} {body[:200]!r}")
    return (f"pid {before['MainPID']} exited 75 → pid {after['MainPID']}; {folder} holds {' '.join(sorted(saved))}; "
            "FAT lightnvr.yaml back to defaults with the board kept; the API asks for a password")


def led_heartbeat_without_password(shell, maint, info):
    """No admin password (after the reset) and go2rtc ready: the appliance says heartbeat, and the LED's
    logged on/off times follow 100/1900 ms over three whole cycles."""
    board_feature(info)
    t = guest_now(shell)

    def last_cycles():
        log = level_changes(led_log(shell, since=t))
        on, off = on_off_durations(log[-7:])
        return len(on) >= 3 and len(off) >= 3 and all(near(x, HEARTBEAT_MS[0]) for x in on) \
            and all(near(x, HEARTBEAT_MS[1]) for x in off) and (on, off)
    try:
        on, off = wait_for("three heartbeat cycles on the LED", 120, last_cycles, interval=2)
    except TimeoutError as e:
        raise AssertionError(f"{e}; changes: {level_changes(led_log(shell, since=t))[-10:]}") from None
    maint.send("\r\nstatus\r\n")
    said = maint.read_until(r"LED: ([^\r\n]*)", 30).group(1).decode(errors="replace")
    expect(said.startswith("heartbeat") and "***" not in said, f"the console says LED: {said}")
    return (f"on {statistics.median(on) * 1000:.0f} ms, off {statistics.median(off) * 1000:.0f} ms "
            f"(medians of the last three cycles); console: LED: {said[:60]}")
