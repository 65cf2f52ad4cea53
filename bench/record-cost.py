#!/usr/bin/env python3
"""Recording figures (Recording): the published x64 appliance and the go2rtc stand-in (its stream.mp4 is
real H.264 fMP4 from ffmpeg, ~18 KB/s), four cameras that are local TCP listeners, of which 0, 1 and 4 record.

  For each case: the appliance's CPU (utime+stime from /proc/PID/stat over --seconds, after a warm-up)
  and its RSS (VmRSS, mean and max of samples every 2 s); at the end, the gap between consecutive
  segments from each camera's index (next start - previous end; negative = the two overlapped).

Usage: python3 bench/record-cost.py [--seconds 60] [--segment 30] [--cases 0,1,4]   (after `make publish-x64 standin`)
The 15-minute check: --cases 1 --segment 300 --warmup 0 --seconds 930 (three whole 300 s segments).
"""
import argparse, glob, json, os, socket, statistics, subprocess, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = os.environ.get("LIGHTNVR_APP") or os.path.join(ROOT, "build/publish/linux-x64/lightnvr")
GO2RTC = os.environ.get("GO2RTC_BINARY") or os.path.join(ROOT, "build/standin/go2rtc-standin")
CAMERAS = 4
TICK = os.sysconf("SC_CLK_TCK")


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def wait(cond, deadline_s, what):
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        try:
            if cond():
                return
        except Exception:
            pass
        time.sleep(0.1)
    raise SystemExit(f"timed out: {what}")


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14 and 15)


def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def index_segments(rec, cam):
    out = []
    for path in sorted(glob.glob(f"{rec}/{cam}/*/index.jsonl")):
        for line in open(path):
            try:
                e = json.loads(line)
            except ValueError:
                continue
            if e.get("kind") == "segment":
                out.append(e)
    return sorted(out, key=lambda e: e["start"])


def stamp(s):
    from datetime import datetime
    return datetime.fromisoformat(s).timestamp()


def run(recording, args, listeners):
    d = tempfile.mkdtemp(prefix="lightnvr-record-bench-")
    rec = f"{d}/rec"; os.makedirs(rec)
    web = free_port()
    cams = "".join(f"  - name: cam{i}\n    url: rtsp://127.0.0.1:{listeners[i].getsockname()[1]}/live\n    record: {'true' if i < recording else 'false'}\n"
                   for i in range(CAMERAS))
    open(f"{d}/streams.yaml", "w").write("cameras:\n" + cams)
    open(f"{d}/lightnvr.yaml", "w").write(
        f"web:\n  listen: 127.0.0.1\n  port: {web}\nstate_dir: {d}\ngo2rtc:\n  binary: {GO2RTC}\n  config_dir: {d}/go2rtc\n"
        f"  api_port: {free_port()}\n  rtsp_port: {free_port()}\n  webrtc_port: {free_port()}\n"
        f"auth:\n  password_file: {d}/none.txt\nrecord:\n  dir: {rec}\n  segment_seconds: {args.segment}\n")
    app = subprocess.Popen([APP, "--config", f"{d}/lightnvr.yaml"], stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    try:
        wait(lambda: urllib.request.urlopen(f"http://127.0.0.1:{web}/healthz", timeout=2).status == 200, 30, "healthz")
        if recording:
            wait(lambda: all(glob.glob(f"{rec}/cam{i}/*/*.mp4.partial") for i in range(recording)), 60, "every recording camera writing")
        time.sleep(args.warmup)
        c0, t0, rss = cpu_seconds(app.pid), time.monotonic(), []
        while time.monotonic() - t0 < args.seconds:
            rss.append(rss_kib(app.pid)); time.sleep(2)
        cpu = (cpu_seconds(app.pid) - c0) / (time.monotonic() - t0) * 100
        gaps = []
        for i in range(recording):
            segs = index_segments(rec, f"cam{i}")
            gaps += [stamp(b["start"]) - stamp(a["end"]) for a, b in zip(segs, segs[1:])]
        for i in range(recording):
            for e in index_segments(rec, f"cam{i}"):
                print(f"  cam{i} {e['file']}: {e['start']} → {e['end']}, {e['bytes']} bytes", flush=True)
        return cpu, statistics.mean(rss) / 1024, max(rss) / 1024, gaps
    finally:
        app.terminate()
        try: app.wait(20)
        except subprocess.TimeoutExpired: app.kill()
        subprocess.run(["rm", "-rf", d])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--segment", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=15)
    ap.add_argument("--cases", default="0,1,4", help="how many of the 4 cameras record, per run")
    args = ap.parse_args()
    listeners = []
    for _ in range(CAMERAS):
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", 0)); s.listen(256); listeners.append(s)
    base = None
    all_gaps = []
    for recording in (int(c) for c in args.cases.split(",")):
        cpu, rss, rss_max, gaps = run(recording, args, listeners)
        all_gaps += gaps
        extra = "" if base is None else f" (+{cpu - base[0]:.2f} % CPU, +{rss - base[1]:.1f} MiB RSS against none; per camera {(cpu - base[0]) / recording:.2f} % and {(rss - base[1]) / recording:.1f} MiB)"
        print(f"{recording} of {CAMERAS} cameras recording: CPU {cpu:.2f} % of one core, RSS mean {rss:.1f} MiB (max {rss_max:.1f}){extra}", flush=True)
        if base is None:
            base = (cpu, rss)
    if all_gaps:
        print(f"gap between consecutive segments ({len(all_gaps)} pairs, {args.segment} s segments, 3 s overlap): "
              f"max {max(all_gaps):+.2f} s, median {statistics.median(all_gaps):+.2f} s (negative = overlap, no media lost)")


if __name__ == "__main__":
    main()
