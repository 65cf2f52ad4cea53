"""How long a go2rtc left over from a SIGKILLed appliance lives after the next appliance starts, when
go2rtc is started through a wrapper script that execs it (the pid file's executable no longer matches).
Needs `make publish-x64 standin`. Usage: python3 bench/leftover-go2rtc.py [RUNS]"""
import os, subprocess, time, socket, json, base64, urllib.request, sys, signal, tempfile
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = f"{root}/build/publish/linux-x64/lightnvr"
standin = f"{root}/build/standin/go2rtc-standin"
d = tempfile.mkdtemp(prefix="leftover-go2rtc-")
os.makedirs(d + "/state")
def free():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p
web, api, rtsp, rtc = free(), free(), free(), free()
wrapper = d + "/go2rtc-wrapper.sh"
open(wrapper, "w").write(f"#!/bin/sh\nexec '{standin}' \"$@\"\n"); os.chmod(wrapper, 0o755)
cfg = d + "/lightnvr.yaml"
open(cfg, "w").write(f"web:\n  listen: 127.0.0.1\n  port: {web}\nstate_dir: {d}/state\nauth:\n  password_file: {d}/none\ngo2rtc:\n  binary: {wrapper}\n  config_dir: {d}/go2rtc\n  api_port: {api}\n  rtsp_port: {rtsp}\n  webrtc_port: {rtc}\n")
pw = "measure-leftover-pw"
subprocess.run([binary, "passwd", "--config", cfg], input=pw + "\n", text=True, check=True, capture_output=True)
auth = "Basic " + base64.b64encode(f"admin:{pw}".encode()).decode()
def status():
    try:
        r = urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{web}/api/status", headers={"Authorization": auth}), timeout=2)
        return json.loads(r.read())
    except Exception:
        return None
def wait_ready():
    t = time.time()
    while time.time() - t < 60:
        s = status()
        if s and s["go2rtc"]["status"]["phase"] == "Ready": return s["go2rtc"]["status"]["pid"]
        time.sleep(0.02)
    raise SystemExit("not ready")
def alive(pid, start):
    try:
        f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return f[19] == start and f[0] not in "ZX"
    except FileNotFoundError:
        return False
figures = []
for run in range(int(sys.argv[1]) if len(sys.argv) > 1 else 5):
    a = subprocess.Popen([binary, "--config", cfg], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pid = wait_ready()
    start = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[19]
    a.send_signal(signal.SIGKILL); a.wait()
    assert alive(pid, start)
    t0 = time.monotonic()
    b = subprocess.Popen([binary, "--config", cfg], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while alive(pid, start) and time.monotonic() - t0 < 30: time.sleep(0.002)
    figures.append((time.monotonic() - t0) * 1000)
    newpid = wait_ready()
    assert newpid != pid
    b.send_signal(signal.SIGTERM); b.wait(timeout=20)
print("leftover go2rtc lived after the next start (ms):", ", ".join(f"{f:.0f}" for f in figures))
subprocess.run(["rm", "-rf", d])
