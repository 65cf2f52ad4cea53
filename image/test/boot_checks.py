"""Checks run against the booted test image (first boot, then the reboot after a power cut)."""
import re
import socket
import threading
import time

from checks import Skip, expect
from vm import wait_for

TEST_CANDIDATE = "192.0.2.77:8555"   # edited into the FAT lightnvr.yaml before boot (TEST-NET-1)


def phase(status):
    return str(status.get("phase", "")).lower()


def go2rtc_ready(app, deadline_s=120):
    return wait_for("go2rtc ready under the appliance", deadline_s,
                    lambda: (s := app.go2rtc()) and phase(s) == "ready" and s.get("pid") and s)


def password_from_fat(app, shell):
    # The first Basic request costs a PBKDF2 run (600 000 rounds), long under TCG: a generous deadline.
    wait_for("Basic auth with the password from the FAT", 180,
             lambda: app.request("GET", "/api/status", timeout=120)[0] == 200, interval=2)
    expect(app.request("GET", "/api/status", auth=False)[0] == 401, "the API answers without the password")
    left = shell.ok("ls /boot/firmware")
    expect("lightnvr-password.txt" not in left, "lightnvr-password.txt is still on the FAT after it was applied")
    return "Basic auth with it works, without it 401; the file was deleted"


def config_from_fat(app):
    status = app.json("/api/status")
    config = status["config"]
    expect(config["path"] == "/boot/firmware/lightnvr.yaml", f"config path {config['path']}")
    expect(config["valid"] and not config["errors"], f"config errors: {config['errors']}")
    files = wait_for("the edited value in go2rtc's generated config", 60,
                     lambda: (d := app.diagnostics()) and TEST_CANDIDATE in d.get("go2rtc.generated.yaml", "") and d)
    expect(TEST_CANDIDATE in files["lightnvr.yaml"], "the edited value is not in the config the appliance read")
    return f"{TEST_CANDIDATE} from /boot/firmware/lightnvr.yaml reached go2rtc.generated.yaml"


def go2rtc_under_appliance(app, shell):
    s = go2rtc_ready(app)
    out = shell.ok(f"ps -o ppid=,comm= -p {s['pid']}; pidof lightnvr")
    lines = out.split("\n")
    ppid, comm = lines[0].split()
    expect(ppid == lines[1].strip(), f"go2rtc (pid {s['pid']}) has parent {ppid}, the appliance is {lines[1]}")
    return f"go2rtc {s.get('version')} pid {s['pid']}, child of lightnvr {ppid}"


def status_page_names_stand_in(app):
    status = app.go2rtc()
    if "stand_in" not in status:
        raise Skip("this build of the appliance does not tell the stand-in apart yet")
    expect(status["stand_in"] is True, f"/api/status does not see the stand-in: {status}")
    code, body = app.request("GET", "/")
    expect(code == 200 and b"stand-in" in body, f"status page (HTTP {code}) does not say stand-in")
    return "/api/status stand_in: true; the page says so"


def api_loopback_only(vm, shell):
    # The host reaches the guest's 1984 through a forward: nothing may answer there.
    answered = b""
    try:
        with socket.create_connection(("127.0.0.1", vm.api_probe_port), timeout=5) as c:
            c.settimeout(5)
            c.sendall(b"GET /api HTTP/1.0\r\nHost: x\r\n\r\n")
            answered = c.recv(100)
    except OSError:
        pass
    expect(not answered, f"go2rtc's API answered through the forward: {answered!r}")
    listen = shell.ok("ss -Htln")
    lan = sorted({m.group(2) for m in re.finditer(r"\s(\S+):(\d+)\s", listen)
                  if not m.group(1).startswith(("127.", "[::1]", "[::ffff:127."))})
    api = [l for l in listen.split("\n") if ":1984 " in l]
    expect(api and all("127.0.0.1:1984" in l for l in api), f"1984 listeners: {api}")
    expect(set(lan) <= {"8080", "8555"}, f"TCP ports open to the LAN: {lan} (only 8080 and 8555 may be)")
    return f"1984 on 127.0.0.1 only; LAN TCP ports: {' '.join(lan)}"


def unit_props(shell):
    out = shell.ok("systemctl show lightnvr.service -p ActiveState -p SubState -p Type -p StatusText "
                   "-p WatchdogUSec -p WatchdogTimestampMonotonic -p User")
    return dict(l.split("=", 1) for l in out.split("\n") if "=" in l)


def unit_active_with_status(shell):
    p = wait_for("lightnvr.service active with a STATUS= text", 60,
                 lambda: (p := unit_props(shell)) and p["ActiveState"] == "active" and p["StatusText"] and p)
    expect(p["Type"] == "notify", f"Type={p['Type']}")
    return f"active ({p['SubState']}), STATUS={p['StatusText']!r}, user {p['User'] or 'root'}"


def runs_as_lightnvr_and_writes(app, shell):
    """The unit's user owns the processes and can still write go2rtc's config and the FAT's files."""
    s = go2rtc_ready(app)
    users = shell.ok(f"ps -o user= -p $(pidof lightnvr) -p {s['pid']}").split()
    expect(users and set(users) == {"lightnvr"}, f"appliance and go2rtc run as {users}")
    generated = shell.ok("find /etc/lightnvr/go2rtc -type f -user lightnvr -newer /etc/hostname")
    expect(generated, "nothing in /etc/lightnvr/go2rtc was written by lightnvr since boot: "
           + shell.ok("ls -la /etc/lightnvr/go2rtc"))
    uid = shell.ok("id -u lightnvr").strip()
    fat = shell.ok("stat -c '%u %n' /boot/firmware/lightnvr.yaml /boot/firmware/streams.yaml").split("\n")
    expect(all(l.split()[0] == uid for l in fat), f"FAT files not owned by lightnvr ({uid}): {fat}")
    return f"appliance and go2rtc run as lightnvr; wrote {generated.split()[0]}; FAT files owned by uid {uid}"


def watchdog_armed(shell):
    p = unit_props(shell)
    if p["WatchdogUSec"] in ("0", "infinity", ""):
        unit = shell.ok("systemctl cat lightnvr.service")
        if "WatchdogSec" not in unit:
            raise Skip("the unit has no WatchdogSec= yet")
        raise AssertionError(f"WatchdogSec= is set but WatchdogUSec={p['WatchdogUSec']}")
    expect(p["WatchdogUSec"] == "30s", f"WatchdogUSec={p['WatchdogUSec']} (the unit says WatchdogSec=30)")
    first = p["WatchdogTimestampMonotonic"]
    wait_for("a watchdog ping (WATCHDOG=1)", 60,
             lambda: unit_props(shell)["WatchdogTimestampMonotonic"] not in (first, "0"), interval=1)
    return f"WatchdogUSec={p['WatchdogUSec']}, pings arrive"


def root_grown(shell, grown_by_bytes):
    out = shell.ok("lsblk -bdno SIZE /dev/vda /dev/vda2; findmnt -bno SIZE /; systemctl is-active lightnvr-growroot")
    disk, part, fs, state = out.split()[:4]
    disk, part, fs = int(disk), int(part), int(fs)
    expect(disk - part < 300 * 2**20, f"root partition {part} not grown to the disk {disk}")
    expect(fs > part - 64 * 2**20 - grown_by_bytes // 2, f"ext4 {fs} bytes not grown into the partition {part}")
    return f"disk {disk >> 20} MiB, root partition {part >> 20} MiB, ext4 {fs >> 20} MiB"


def avahi_and_login(shell):
    out = shell.ok("hostname; systemctl is-active avahi-daemon; passwd -S root | cut -d' ' -f2; "
                   "systemctl list-unit-files 'ssh*' --no-legend | wc -l")
    host, avahi, root_pw, ssh_units = out.split()
    expect(host == "lightnvr" and avahi == "active", f"hostname {host}, avahi {avahi}")
    expect(root_pw == "L", f"root password state {root_pw} (must be locked)")
    expect(ssh_units == "0", "an ssh unit is installed")
    return "lightnvr.local announced by avahi, root locked, no ssh"


def ffmpeg_makes_a_jpeg(shell):
    """go2rtc's frame.jpeg runs ffmpeg: it must load all its libraries on the box (whose Mesa drivers are an
    empty package) and encode a JPEG."""
    out = shell.ok("ffmpeg -hide_banner -loglevel error -f lavfi -i testsrc=size=320x240 -frames:v 1 -c:v mjpeg "
                   "-f image2 -y /tmp/frame-check.jpg && head -c 2 /tmp/frame-check.jpg | od -An -tx1 && "
                   "stat -c %s /tmp/frame-check.jpg && dpkg-query -W -f='${Version}' libgl1-mesa-dri", deadline_s=120)
    lines = out.split("\n")
    magic, size, mesa = lines[-3].split(), int(lines[-2]), lines[-1]
    expect(magic == ["ff", "d8"], f"not a JPEG: starts {magic}")
    expect(size > 1000, f"JPEG of {size} bytes")
    return f"a {size}-byte JPEG from testsrc; libgl1-mesa-dri {mesa}"


def power_cut_during_writes(vm, app, burst_s=4.0):
    """A burst of camera writes (streams.yaml on the FAT) and qemu killed in the middle of it."""
    body = lambda i: {"name": "powercut", "url": f"rtsp://192.0.2.10:554/stream{i}", "enabled": False}
    status, text = app.request("POST", "/api/streams", body(0))
    expect(status in (200, 201, 409), f"POST camera: HTTP {status} {text[:200]!r}")
    attempted, accepted, stop = {body(0)["url"]}, [], threading.Event()

    def writer(start):
        i = start
        while not stop.is_set():
            attempted.add(body(i)["url"])
            try:
                st, _ = app.request("PUT", "/api/streams/powercut", body(i), timeout=5)
                if st in (200, 201):
                    accepted.append(body(i)["url"])
            except OSError:
                pass
            i += 2
    threads = [threading.Thread(target=writer, args=(k,), daemon=True) for k in (1, 2)]
    for t in threads:
        t.start()
    wait_for("some accepted writes", 30, lambda: len(accepted) >= 3, interval=0.05)
    time.sleep(burst_s / 2)  # the kill lands while writes are in flight, not at a quiet moment
    vm.power_cut()
    stop.set()
    for t in threads:
        t.join(10)
    return attempted, accepted


def config_intact_after_power_cut(app, attempted, streams_yaml_text):
    urls = re.findall(r"rtsp://192\.0\.2\.10:554/stream\d+", streams_yaml_text)
    expect(len(urls) == 1 and urls[0] in attempted,
           f"streams.yaml as the cut left it: {streams_yaml_text[:300]!r}")
    cam = app.json("/api/streams/powercut")
    expect(cam["url"] in attempted, f"the appliance reads url {cam['url']}")
    status = app.json("/api/status")["config"]
    expect(status["valid"] and not status["errors"], f"config after the cut: {status}")
    version = urls[0].rsplit("/", 1)[1] if urls else "the one before the burst"
    return f"{len(attempted)} writes attempted; streams.yaml holds one whole version ({version}), the appliance reads it"


def clean_shutdown(vm, shell):
    pids = shell.ok("pidof lightnvr; pidof go2rtc || true").split()
    t0 = time.monotonic()
    vm.monitor("system_powerdown")
    # systemd shortens status lines to the console's width: match the unit name, which stays.
    stopped = wait_for("`Stopped lightnvr.service` on the console", 60,
                       lambda: vm.console.first(r"Stopped .*lightnvr\.service", after=t0))
    exited = vm.wait_exit(60)
    dt = stopped - t0
    expect(dt <= 10, f"the appliance and go2rtc stopped {dt:.1f} s after the power button")
    return f"pids {pids} stopped {dt:.1f} s after system_powerdown; qemu exited: {exited} after {time.monotonic() - t0:.1f} s"
