#!/usr/bin/env python3
"""Quick figures for closing notes until `make bench` exists: the published x64 binary, the go2rtc
stand-in (or GO2RTC_BINARY), 16 cameras that are local TCP listeners. Loopback only.
Usage: python3 bench/quick-figures.py   (after `make publish standin`)"""
import json, os, signal, socket, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = os.path.join(ROOT, "build/publish/linux-x64/lightnvr")
GO2RTC = os.environ.get("GO2RTC_BINARY") or os.path.join(ROOT, "build/standin/go2rtc-standin")

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def get(url, timeout=1.0):
    with urllib.request.urlopen(url, timeout=timeout) as r: return r.read()

def wait(cond, deadline_s, what):
    end = time.perf_counter() + deadline_s
    while time.perf_counter() < end:
        try:
            v = cond()
            if v: return v
        except Exception: pass
        time.sleep(0.002)
    raise SystemExit(f"timed out: {what}")

def proc_stat(pid):
    with open(f"/proc/{pid}/stat") as f: parts = f.read().rsplit(")", 1)[1].split()
    return int(parts[11]) + int(parts[12])  # utime + stime (fields 14, 15)

def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"): return int(line.split()[1])

def main():
    d = tempfile.mkdtemp(prefix="lightnvr-figures-")
    web, api = free_port(), free_port()
    cams = []
    for i in range(16):
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", 0)); s.listen(64); cams.append(s)
    with open(f"{d}/streams.yaml", "w") as f:
        f.write("cameras:\n" + "".join(f"  - name: cam{i:02d}\n    url: rtsp://127.0.0.1:{c.getsockname()[1]}/live\n" for i, c in enumerate(cams)))
    with open(f"{d}/lightnvr.yaml", "w") as f:
        f.write(f"web:\n  listen: 127.0.0.1\n  port: {web}\nstate_dir: {d}\ngo2rtc:\n  binary: {GO2RTC}\n  config_dir: {d}/go2rtc\n"
                f"  api_port: {api}\n  rtsp_port: {free_port()}\n  webrtc_port: {free_port()}\n")
    base = f"http://127.0.0.1:{web}"
    status = lambda: json.loads(get(base + "/api/status"))["go2rtc"]["status"]
    names = lambda: len(json.loads(get(f"http://127.0.0.1:{api}/api/streams")))
    t0 = time.perf_counter()
    app = subprocess.Popen([APP, "--config", f"{d}/lightnvr.yaml"], stderr=subprocess.DEVNULL)
    wait(lambda: get(base + "/"), 10, "first HTTP 200")
    print(f"exec -> first HTTP 200 of the status page: {(time.perf_counter()-t0)*1000:.0f} ms")
    st = wait(lambda: (s := status())["phase"] == "Ready" and names() == 16 and s, 20, "ready with 16 streams")
    print(f"go2rtc spawn -> ready: {st['startup_ms']} ms; go2rtc {st['version']} ({GO2RTC})")
    for label, sig in (("kill -9", signal.SIGKILL), ("SIGSTOP", signal.SIGSTOP)):
        before = status()
        t = time.perf_counter(); os.kill(before["pid"], sig)
        wait(lambda: (s := status())["phase"] == "Ready" and s["generation"] > before["generation"] and names() == 16, 30, label)
        print(f"{label} go2rtc -> new go2rtc ready with 16 streams: {(time.perf_counter()-t)*1000:.0f} ms")
    time.sleep(5)
    c0, w0 = proc_stat(app.pid), time.perf_counter(); time.sleep(30); c1, w1 = proc_stat(app.pid), time.perf_counter()
    print(f"appliance idle with 16 cameras watched: RSS {rss_kib(app.pid)/1024:.1f} MB, CPU {(c1-c0)/os.sysconf('SC_CLK_TCK')/(w1-w0)*100:.2f} % of one core (30 s)")
    app.send_signal(signal.SIGTERM); app.wait(20)
    for c in cams: c.close()

main()
