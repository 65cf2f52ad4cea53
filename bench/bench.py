#!/usr/bin/env python3
"""`make bench`: the appliance's start, recovery, snapshot and idle-cost figures on the published x64 AOT binary, against the go2rtc stand-in (or the
go2rtc GO2RTC_BINARY names). Timed figures are the median of REPS runs, shown with min and max, beside
their goal; no figure is a pass/fail threshold (the machines here are noisy). Counting is by the stand-in's
request log and /proc. Writes bench/results.json and appends bench/history.jsonl.

  BENCH_REPS=5        repetitions per timed figure (at least 5 for the committed results)
  BENCH_GC=1          also compare GC modes on idle RSS/CPU (DOTNET_gcConcurrent / gcServer / GCgen0size)
  GO2RTC_BINARY=...   a real go2rtc instead of the stand-in (figures that need the stand-in say n/a)
"""
import concurrent.futures, datetime, json, os, signal, socket, statistics, subprocess, sys, threading, time
import harness as h

DETECTOR = os.path.join(h.ROOT, "tests/DetectorStandIn/detector_standin.py")
REPS = max(1, int(os.environ.get("BENCH_REPS", "5")))
rows = []
notes = []


def row(figure, values, goal, unit="", note=""):
    vals = [v for v in values if v is not None]
    r = {"figure": figure, "unit": unit, "goal": goal, "n": len(vals), "note": note,
         "median": round(statistics.median(vals), 2) if vals else None,
         "min": round(min(vals), 2) if vals else None, "max": round(max(vals), 2) if vals else None}
    rows.append(r)
    print(f"  {figure}: {r['median']} {unit} (min {r['min']}, max {r['max']}, n {r['n']}; goal {goal}) {note}", flush=True)


def first(reqs, pred):
    return next((r for r in reqs if pred(r)), None)


def startup_and_faults():
    """Per repetition a fresh appliance: exec → first 200, spawn → ready, ready → streams, then kill -9, then SIGSTOP."""
    first200, spawn_ready, ready_streams, kill_ms, stop_s = [], [], [], [], []
    for rep in range(REPS):
        a = h.Appliance()
        try:
            # A provisioned appliance restarting under a signed-in person's open page: the first start
            # hashes the boot password file (once in a box's life); the timed one is the second.
            a.start()
            a.wait_ready()
            a.sign_in()
            a.stop()
            a.start()
            h.wait(lambda: a.get("/", timeout=2).status == 200, 30, "first HTTP 200 of the status page", step=0.002)
            first200.append((time.perf_counter() - a.t_exec) * 1000)
            st = a.wait_ready()
            seen16 = time.time()
            if a.is_standin:
                pid = st["pid"]
                spawn = h.boot_to_unix(h.start_ticks(pid))
                reqs = [r for r in a.requests() if r["pid"] == pid]
                ready = first(reqs, lambda r: r["path"] == "/api" and r["method"] == "GET")
                if ready:
                    spawn_ready.append(ready["time"] / 1000 - spawn)
                    # Registered = go2rtc lists all 16 streams: from its config when the appliance wrote them there,
                    # else after the reconciler's PUTs. The later of the two evidences, from the request log.
                    puts = [r for r in reqs if r["method"] == "PUT" and r["path"] == "/api/streams"]
                    listed = first(reqs, lambda r: r["path"] == "/api/streams" and r["method"] == "GET" and r["time"] >= ready["time"])
                    done = max([p["time"] for p in puts] + [listed["time"] if listed else ready["time"]])
                    ready_streams.append(done - ready["time"])
            time.sleep(1)
            # kill -9 → a new go2rtc, ready, with 16 streams.
            t = time.perf_counter()
            os.kill(st["pid"], signal.SIGKILL)
            st2 = a.wait_ready(above_generation=st["generation"])
            kill_ms.append((time.perf_counter() - t) * 1000)
            # SIGSTOP → the health loop calls it hung, kills it, a new one comes up with 16 streams. From the steady state
            # of an appliance: every camera live and the loop on its calm period (health.calm_period_ms), where a hang is
            # seen last.
            calm(a)
            t = time.perf_counter()
            os.kill(st2["pid"], signal.SIGSTOP)
            a.wait_ready(above_generation=st2["generation"], deadline=60)
            stop_s.append(time.perf_counter() - t)
        finally:
            a.cleanup()
    # ms → ms (spawn_ready is in s)
    row("exec → first HTTP 200 of the status page", first200, "≤ 60", "ms")
    row("go2rtc spawn → ready (first GET /api)", [x * 1000 for x in spawn_ready], "report", "ms",
        "" if a.is_standin else "n/a: needs the stand-in's request log")
    row("go2rtc ready → 16 streams registered", ready_streams, "≤ 200", "ms",
        "streams come from the generated config; the later of that and the reconciler's last PUT")
    row("kill -9 go2rtc → new go2rtc ready with 16 streams", kill_ms, "≤ 1000", "ms")
    row("SIGSTOP go2rtc → new go2rtc ready with 16 streams", stop_s, "≤ 8", "s")


def burst(a):
    """What an idle appliance has just lived through: 100 snapshot clients at once, a detection run of every camera
    against the detector stand-in, the status page, the metrics and a diagnostics bundle."""
    barrier = threading.Barrier(100)

    def client():
        barrier.wait()
        return a.get("/api/streams/cam05/frame.jpeg", timeout=30).status
    with concurrent.futures.ThreadPoolExecutor(100) as pool:
        list(pool.map(lambda _: client(), range(100)))
    for path in ("/", "/metrics", "/api/status", "/api/diagnostics"):
        a.get(path, timeout=30)
    if not a.is_standin:
        return
    detector = subprocess.Popen([sys.executable, "-u", DETECTOR, "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        det = f"http://127.0.0.1:{int(detector.stdout.readline().split()[-1])}"
        a.write_streams([dict(c, detect=f"{det}/detect/{c['name']}") for c in a.cameras])
        h.wait(lambda: all(a.get(f"/api/streams/{c['name']}/detections").json().get("at") for c in a.cameras), 90,
               "every camera has a detector answer", step=0.5)
        time.sleep(10)  # ten ticks of 16 cameras at 1 fps
        a.write_streams(a.cameras)
        h.wait(lambda: all(a.get(f"/api/streams/{c['name']}/detections").json()["detector"] == "off" for c in a.cameras), 30,
               "detection off again", step=0.5)
    finally:
        detector.terminate()
        detector.wait(10)


def eight_bodies(a):
    """Eight clients at once each announce and push a 10 MB body to a JSON route; each is refused (413) before it is read."""
    def send():
        with socket.create_connection(("127.0.0.1", a.web), timeout=30) as s:
            head = (f"POST /api/streams HTTP/1.1\r\nHost: 127.0.0.1:{a.web}\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {10 * 1048576}\r\n" + (f"Cookie: {a.cookie}\r\n" if a.cookie else "") + "\r\n")
            s.sendall(head.encode())
            chunk = b"x" * 65536
            try:
                for _ in range(160):
                    s.sendall(chunk)
            except OSError:
                pass  # the appliance answered and closed: the rest of the body is refused unread
            try:
                return s.recv(64).split(b" ")[1].decode()
            except (OSError, IndexError):
                return "closed"
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda _: send(), range(8)))


def calm(a, deadline=60):
    """Waits until every camera is live and the health loop looks every calm period: two stream-list reads at
    least 2.5 s apart in the stand-in's request log (without the stand-in: every camera live, then 3.5 s)."""
    h.wait(lambda: all(s["state"] == "Live" for s in a.get("/api/health").json()["streams"]), deadline, "every camera live")
    if not a.is_standin:
        time.sleep(3.5)
        return

    def spaced():
        t = [r["time"] for r in a.requests() if r["path"] == "/api/streams" and r["method"] == "GET" and r["time"] >= ready_at]
        return len(t) >= 2 and t[-1] - t[-2] >= 2500
    ready_at = time.time() * 1000  # the request log's times are unix ms
    h.wait(spaced, deadline, "the calm period", step=0.2)


def idle(env=None, windows=5, window_s=12.0, settle_s=10.0, after_burst_s=60.0, bodies=True):
    """Idle appliance, 16 cameras registered and watched, after a burst and a minute of quiet: CPU per window
    (schedstat, ns), RSS and its parts at each window's end; then eight refused 10 MB bodies and another quiet minute."""
    a = h.Appliance(env=env)
    try:
        a.start()
        a.wait_ready()
        a.sign_in()
        time.sleep(settle_s)
        burst(a)
        time.sleep(after_burst_s)
        cpu, rss, pss, kinds = [], [], [], []
        n0 = len(a.requests())
        t_start = time.time()
        for _ in range(windows):
            c0, w0 = h.run_ns(a.pid), time.perf_counter()
            time.sleep(window_s)
            c1, w1 = h.run_ns(a.pid), time.perf_counter()
            cpu.append(h.cpu_ns_between(c0, c1) / 1e9 / (w1 - w0) * 100)
            rss.append(h.status_kib(a.pid, "VmRSS") / 1024)
            p = h.pss_kib(a.pid)
            pss.append(p / 1024 if p else None)
            kinds.append(h.memory_kib(a.pid))
        reqs = a.requests()[n0:]
        rate = {}
        for r in reqs:
            k = f"{r['method']} {r['path']}"
            rate[k] = rate.get(k, 0) + 1
        per_s = {k: round(v / (time.time() - t_start), 2) for k, v in sorted(rate.items())}
        thr, fd = h.threads(a.pid), h.fds(a.pid)
        body_growth = None
        if bodies:
            before = h.status_kib(a.pid, "VmRSS")
            answers = eight_bodies(a)
            time.sleep(after_burst_s)
            body_growth = (h.status_kib(a.pid, "VmRSS") - before) / 1024
            if any(x not in ("413", "closed") for x in answers):
                notes.append(f"8 x 10 MB bodies: answers {answers}")
        return cpu, rss, pss, per_s, thr, fd, [k for k in kinds if k], body_growth
    finally:
        a.cleanup()


def idle_rows():
    total = 5 * 12.0
    runs = [idle() for _ in range(max(1, REPS // 2))]
    cpu = [x for r in runs for x in r[0]]
    rss = [x for r in runs for x in r[1]]
    pss = [x for r in runs for x in r[2]]
    kinds = [x for r in runs for x in r[6]]
    per_s, thr, fd = runs[-1][3], runs[-1][4], runs[-1][5]
    note = "after a burst (100 snapshot clients, 10 s detection of 16 cameras, status page, metrics, diagnostics) and 60 s quiet"
    row(f"appliance RSS, idle, 16 cameras watched ({int(total)} s)", rss, "≤ 22", "MB", "VmRSS at the end of each 12 s window, " + note)
    row(f"appliance PSS, idle, 16 cameras watched ({int(total)} s)", pss, "report", "MB", "smaps_rollup")
    for kind, goal, what in (("private", "≤ 10", "private dirty pages (GC heap, native heap, stacks)"),
                             ("binary", "report", "the executable's own resident file pages (clean, reclaimable)"),
                             ("libraries", "report", "shared libraries' resident pages (libc, libcrypto ...)")):
        row(f"… of the RSS: {kind}", [k[kind] / 1024 for k in kinds], goal, "MB", what)
    row("appliance CPU, idle, 16 cameras (% of one core)", cpu, "≤ 0.10", "%", f"schedstat, {len(cpu)} windows of 12 s")
    row("RSS after 8 × 10 MB request bodies, then 60 s idle", [r[7] for r in runs], "≤ +2", "MB", "growth over the idle RSS just before")
    notes.append(f"idle: go2rtc API requests per second by the appliance: {per_s}; threads {thr}, fds {fd}")
    print("  " + notes[-1], flush=True)


def gc_rows():
    modes = [("as built", {}), ("gcConcurrent=1", {"DOTNET_gcConcurrent": "1"}), ("gcConcurrent=0", {"DOTNET_gcConcurrent": "0"}),
             ("gcServer=1", {"DOTNET_gcServer": "1"}), ("GCgen0size=0x400000 (4 MB)", {"DOTNET_GCgen0size": "0x400000"})]
    for label, env in modes:
        cpu, rss, pss, _, thr, _, _, _ = idle(env=env, windows=3, window_s=10.0, settle_s=8.0, bodies=False)
        row(f"GC {label}: idle RSS", rss, "lowest", "MB")
        row(f"GC {label}: idle CPU", cpu, "lowest", "%", f"threads {thr}")


def stall_and_snapshots():
    # warm_up_seconds 5 instead of 120: the default warm-up alone would take 2 minutes per repetition, and
    # the figure is detection + re-registration (3 flat 1 s samples after the warm-up, then DELETE + PUT).
    a = h.Appliance(health={"warm_up_seconds": 5})
    try:
        a.start()
        a.wait_ready()
        if not a.is_standin:
            notes.append("stall and snapshot counting need the stand-in: skipped")
            return
        time.sleep(10)  # every stream past its warm-up and live
        gens0 = len(set(a.starts()))
        reregister = []
        for k in range(REPS):
            cam = f"cam{k + 1:02d}"
            t0 = time.time()
            a.go2rtc_call("POST", f"/standin/camera?src={cam}&state=stalled")
            put = h.wait(lambda: first(a.requests(), lambda r: r["time"] / 1000 >= t0 and r["method"] == "PUT"
                                       and r["path"] == "/api/streams" and f"name={cam}" in r["query"]), 60, f"{cam} re-registered", step=0.05)
            reregister.append(put["time"] / 1000 - t0)
        restarts = len(set(a.starts())) - gens0
        row("1 camera of 16 stalled → its re-registration", reregister, "report", "s", "warm_up_seconds: 5")
        row("… go2rtc restarts during those stalls", [restarts], "0", "count")

        calls, p50s, p99s = [], [], []
        for k in range(REPS):
            cam = f"cam{k + 8:02d}"
            time.sleep(1.2)  # past the 1 s reuse of the previous rep
            n0 = len(a.requests())
            barrier = threading.Barrier(100)

            def client():
                barrier.wait()
                return a.get(f"/api/streams/{cam}/frame.jpeg", timeout=30)
            with concurrent.futures.ThreadPoolExecutor(100) as pool:
                answers = list(pool.map(lambda _: client(), range(100)))
            ok = sum(1 for r in answers if r.status == 200 and r.body[:2] == b"\xff\xd8")
            calls.append(sum(1 for r in a.requests()[n0:] if r["path"] == "/api/frame.jpeg"))
            p50, p99 = h.percentiles([r.ms for r in answers], 50, 99)
            p50s.append(p50)
            p99s.append(p99)
            if ok != 100:
                notes.append(f"snapshot burst {k}: {ok}/100 answers were a JPEG")
        row("100 concurrent snapshot clients → upstream frame calls", calls, "1", "count")
        row("… client latency p50", p50s, "report", "ms", "stand-in frame delay 300 ms")
        row("… client latency p99", p99s, "report", "ms")

        cached, uncached = [], []
        for k in range(REPS):
            time.sleep(1.2)
            uncached.append(a.get("/api/streams/cam03/frame.jpeg").ms)
            cached.append(a.get("/api/streams/cam03/frame.jpeg").ms)
        row("snapshot latency, uncached", uncached, "report", "ms", "stand-in frame delay 300 ms")
        row("snapshot latency, cached (within 1 s)", cached, "report", "ms")
    finally:
        a.cleanup()


def sizes():
    for arch, goal in (("arm64", "≤ 12"), ("x64", "report")):
        p = os.path.join(h.ROOT, f"build/publish/linux-{arch}/lightnvr")
        row(f"{arch} binary size", [os.path.getsize(p) / 1048576] if os.path.exists(p) else [], goal, "MB",
            "" if os.path.exists(p) else "not built (make publish-arm64)")


def go2rtc_version(path):
    try:
        return subprocess.run([path, "--version"], capture_output=True, text=True, timeout=5).stdout.strip()
    except Exception as e:
        return f"unknown ({e})"


def table():
    lines = ["| figure | median | min | max | n | goal |", "|---|---|---|---|---|---|"]
    for r in rows:
        f = lambda v: "—" if v is None else (f"{v:.2f}" if abs(v) < 10 else f"{v:.0f}" if abs(v) >= 100 else f"{v:.1f}")
        lines.append(f"| {r['figure']} ({r['unit']}) | {f(r['median'])} | {f(r['min'])} | {f(r['max'])} | {r['n']} | {r['goal']} |")
    return "\n".join(lines)


def main():
    t0 = time.perf_counter()
    path, standin = h.go2rtc_binary()
    version = go2rtc_version(path)
    print(f"go2rtc used: {path} ({'stand-in' if standin else 'GO2RTC_BINARY'}): {version}")
    print(f"appliance: {h.APP}; {os.cpu_count()} cores; {REPS} repetitions; auth {'on' if h.AUTH_ON else 'off'}", flush=True)
    for part in (sizes, startup_and_faults, stall_and_snapshots, idle_rows):
        print(f"[{part.__name__}]", flush=True)
        part()
    if os.environ.get("BENCH_GC") == "1":
        print("[gc modes]", flush=True)
        gc_rows()
    took = time.perf_counter() - t0
    result = {"commit": h.git("rev-parse", "--short", "HEAD"), "dirty": bool(h.git("status", "--porcelain", "--untracked-files=no")),
              "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "go2rtc": {"path": path, "standin": standin, "version": version}, "cores": os.cpu_count(),
              "load_average": [round(x, 1) for x in os.getloadavg()],
              "reps": REPS, "seconds": round(took), "rows": rows, "notes": notes}
    with open(os.path.join(h.ROOT, "bench/results.json"), "w") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(h.ROOT, "bench/history.jsonl"), "a") as f:
        f.write(json.dumps(result, ensure_ascii=False) + "\n")
    print()
    print(table())
    for n in notes:
        print("note:", n)
    print(f"\n{len(rows)} figures in {took:.0f} s, load average {result['load_average']} on {os.cpu_count()} cores; written to bench/results.json, appended to bench/history.jsonl")


if __name__ == "__main__":
    sys.exit(main())
