#!/usr/bin/env python3
"""Detection and snapshot figures (Frames, Detection): the published x64 appliance, the go2rtc
stand-in (or GO2RTC_BINARY), the detector stand-in, 16 cameras that are local TCP listeners, loopback only.

  1. snapshot latency, uncached (our reuse window expired) vs cached (within it), median of N
  2. upstream frame.jpeg calls caused by 100 concurrent clients of one stream (stand-in's count)
  3. the appliance's RSS (VmRSS) and PSS (smaps_rollup) while 16 cameras are detected at 1 fps
     against the detector stand-in for --seconds (default 60), with the detector's request rate

Usage: python3 bench/detect-rss.py [--seconds 60] [--concurrency 2]   (after `make publish-x64 standin`)
--concurrency is frames.concurrency (frame calls to go2rtc at once); the stand-in takes 300 ms per frame,
so 2 at once serve at most ~6.7 frames/s and the feed skips ticks (counted) rather than queueing them.
"""
import argparse, json, os, socket, statistics, subprocess, sys, tempfile, threading, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = os.path.join(ROOT, "build/publish/linux-x64/lightnvr")
GO2RTC = os.environ.get("GO2RTC_BINARY") or os.path.join(ROOT, "build/standin/go2rtc-standin")
DETECTOR = os.path.join(ROOT, "tests/DetectorStandIn/detector_standin.py")
CAMERAS = 16


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def get(url, timeout=10.0):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read()


def wait(cond, deadline_s, what):
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        try:
            v = cond()
            if v:
                return v
        except Exception:
            pass
        time.sleep(0.05)
    raise SystemExit(f"timed out: {what}")


def kib(pid, file, key):
    for line in open(f"/proc/{pid}/{file}"):
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def metric(text, series):
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.split()[-1])
    return 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--concurrency", type=int, default=2)
    ap.add_argument("--samples", type=int, default=10)
    args = ap.parse_args()

    d = tempfile.mkdtemp(prefix="lightnvr-detect-bench-")
    detector = subprocess.Popen([sys.executable, "-u", DETECTOR, "--port", "0"], stdout=subprocess.PIPE, text=True)
    det_port = int(detector.stdout.readline().split()[-1])
    det = f"http://127.0.0.1:{det_port}"
    web, api = free_port(), free_port()
    listeners = []
    for _ in range(CAMERAS + 1):
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", 0)); s.listen(256); listeners.append(s)
    cams = "".join(f"  - name: cam{i:02d}\n    url: rtsp://127.0.0.1:{listeners[i].getsockname()[1]}/live\n"
                   f"    detect:\n      url: {det}/detect/cam{i:02d}\n      interval_ms: 1000\n      threshold: 0.5\n"
                   for i in range(CAMERAS))
    cams += f"  - name: bench\n    url: rtsp://127.0.0.1:{listeners[CAMERAS].getsockname()[1]}/live\n"
    bench_only = f"cameras:\n  - name: bench\n    url: rtsp://127.0.0.1:{listeners[CAMERAS].getsockname()[1]}/live\n"
    with open(f"{d}/streams.yaml", "w") as f:  # the detected cameras come after the snapshot figures
        f.write(bench_only)
    with open(f"{d}/lightnvr.yaml", "w") as f:
        f.write(f"web:\n  listen: 127.0.0.1\n  port: {web}\nstate_dir: {d}\ngo2rtc:\n  binary: {GO2RTC}\n  config_dir: {d}/go2rtc\n"
                f"  api_port: {api}\n  rtsp_port: {free_port()}\n  webrtc_port: {free_port()}\nframes:\n  concurrency: {args.concurrency}\n")
    base = f"http://127.0.0.1:{web}"
    app = subprocess.Popen([APP, "--config", f"{d}/lightnvr.yaml"], stderr=subprocess.DEVNULL)
    try:
        wait(lambda: json.loads(get(base + "/api/status"))["go2rtc"]["status"]["phase"] == "Ready", 30, "go2rtc ready")
        wait(lambda: get(base + "/api/streams/bench/frame.jpeg"), 30, "a first frame")
        frames = lambda: json.loads(get(f"http://127.0.0.1:{api}/standin/stats"))["frames"].get("bench", 0)

        # 1. Latency, with no detection running: uncached = after the 1 s reuse window (go2rtc's own cache=1s
        #    has expired too), cached = right after.
        uncached, cached = [], []
        for _ in range(args.samples):
            time.sleep(1.2)
            t = time.perf_counter(); get(base + "/api/streams/bench/frame.jpeg"); uncached.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter(); get(base + "/api/streams/bench/frame.jpeg"); cached.append((time.perf_counter() - t) * 1000)
        print(f"snapshot latency, median of {args.samples}: uncached {statistics.median(uncached):.1f} ms "
              f"(min {min(uncached):.1f}, max {max(uncached):.1f}; includes the stand-in's 300 ms frame delay), "
              f"cached {statistics.median(cached):.2f} ms (min {min(cached):.2f}, max {max(cached):.2f})")

        # 2. 100 concurrent clients of one stream after the reuse window.
        time.sleep(1.2)
        before = frames()
        go = threading.Barrier(100)
        codes = []
        def client():
            go.wait()
            try:
                with urllib.request.urlopen(base + "/api/streams/bench/frame.jpeg", timeout=30) as r:
                    codes.append(r.status)
            except Exception as e:
                codes.append(str(e))
        threads = [threading.Thread(target=client) for _ in range(100)]
        for t in threads: t.start()
        for t in threads: t.join()
        print(f"100 concurrent clients of one stream: {sum(1 for c in codes if c == 200)} x 200, upstream frame.jpeg calls: {frames() - before}")

        # 3. Memory while 16 cameras are detected (the appliance picks up the changed file by itself).
        with open(f"{d}/streams.yaml.tmp", "w") as f:
            f.write("cameras:\n" + cams)
        os.replace(f"{d}/streams.yaml.tmp", f"{d}/streams.yaml")
        def all_ok():
            return all(json.loads(get(f"{base}/api/streams/cam{i:02d}/detections"))["at"] for i in range(CAMERAS))
        wait(all_ok, 60, "every camera has a detector answer")
        stats0 = json.loads(get(det + "/stats"))["paths"]
        m0 = get(base + "/metrics").decode()
        rss, pss = [], []
        t0 = time.monotonic()
        while time.monotonic() - t0 < args.seconds:
            rss.append(kib(app.pid, "status", "VmRSS")); pss.append(kib(app.pid, "smaps_rollup", "Pss"))
            time.sleep(1)
        elapsed = time.monotonic() - t0
        stats1 = json.loads(get(det + "/stats"))["paths"]
        m1 = get(base + "/metrics").decode()
        requests = sum(stats1[p]["requests"] - stats0.get(p, {"requests": 0})["requests"] for p in stats1)
        maxin = max(v["max_in_flight"] for v in stats1.values())
        skipped = sum(metric(m1, f'lightnvr_detect_skipped_frames_total{{stream="cam{i:02d}"}}') - metric(m0, f'lightnvr_detect_skipped_frames_total{{stream="cam{i:02d}"}}') for i in range(CAMERAS))
        failures = sum(metric(m1, f'lightnvr_detect_failures_total{{stream="cam{i:02d}"}}') for i in range(CAMERAS))
        print(f"{CAMERAS} cameras detected at 1 fps for {elapsed:.0f} s (frames.concurrency {args.concurrency}): "
              f"{requests / elapsed:.1f} detector requests/s, skipped ticks {skipped:.0f}, failures {failures:.0f}, max in flight per camera {maxin}")
        print(f"appliance RSS (VmRSS): min {min(rss)/1024:.1f} MiB, mean {statistics.mean(rss)/1024:.1f} MiB, max {max(rss)/1024:.1f} MiB, "
              f"last {rss[-1]/1024:.1f} MiB; PSS: mean {statistics.mean(pss)/1024:.1f} MiB, max {max(pss)/1024:.1f} MiB")
    finally:
        app.terminate()
        try: app.wait(20)
        except subprocess.TimeoutExpired: app.kill()
        detector.terminate(); detector.wait(10)


if __name__ == "__main__":
    main()
