#!/usr/bin/env python3
"""`make soak`: the published appliance with 16 cameras against the go2rtc stand-in, a fault every 20-40 s
drawn from a seeded list, the invariants checked every 5 s. Exits 1 on any violation.

  python3 bench/soak.py [--minutes 60] [--seed N] [--summary FILE.json]   (SOAK_MINUTES, SOAK_SEED)

Invariants (a violation is recorded with its time):
  - at most one go2rtc; no zombie child seen twice in a row (a child is a zombie for the instant between its
    death and its reaping); none left 10 s after the appliance exits; the appliance itself never exits;
  - go2rtc's streams equal the enabled cameras: a difference may not last 10 s beyond the latest change or
    the moment go2rtc answers again; go2rtc is back (new process or answering) within 90 s of a fault
    (the supervisor's crash-loop backoff alone reaches 60 s);
  - streams.yaml and lightnvr.yaml parse and equal the last accepted write (ours, or the API's);
  - no camera password (every one carries a random sentinel) in any log, page or API answer, and no file
    holding one readable by group or others;
  - a snapshot answer is a JPEG or a problem+json, within 15 s, never an empty or broken 200;
  - resources, judged on soaks of 15 minutes or more: RSS grows ≤ 10 % from minute 10 to the end, open
    fds and threads end within 10 % + 8 of their minute-10 values. Shorter soaks print them only: in the
    first minutes the GC heap and the thread pool are still finding their size, so growth there is not a leak.
The soak config raises health.max_restarts to 100 (a fault every 30 s would spend the default budget of 5
per 10 minutes; the budget has its own tests) and sets health.warm_up_seconds to 15 (default 120), so a
stalled camera is detected and healed between two faults.
"""
import argparse, collections, concurrent.futures, json, os, random, signal, stat, sys, threading, time
import yaml
import harness as h

KINDS = ["kill", "stop", "api500", "stall", "readd", "empty_frame", "burst", "sighup"]
GO2RTC_FAULTS = {"kill", "stop", "api500"}
# The supervisor's crash-loop backoff reaches 60 s (RestartPacing.Max) when go2rtc dies often; 90 s = that + a margin.
RECOVERY_DEADLINE = 90


class Soak:
    def __init__(self, minutes, seed):
        self.minutes, self.seed = minutes, seed
        self.rng = random.Random(seed)
        self.a = h.Appliance(health={"max_restarts": 100, "warm_up_seconds": 15}, prefix="lightnvr-soak-")
        if not self.a.is_standin:
            raise SystemExit("the soak injects faults through the stand-in's switches: unset GO2RTC_BINARY")
        self.violations = []
        self.faults = collections.Counter()
        self.skipped = collections.Counter()
        self.recoveries = collections.defaultdict(list)
        self.pending = []  # dicts: kind, t0, pid, cam, deadline, go2rtc(bool)
        self.scheduled = []  # (time, fn)
        self.last_change = 0.0
        self.mismatch_since = None
        self.up_since = None
        self.zombies_seen = set()
        self.samples = []  # (t, rss_kib, fds, threads)
        self.offsets = {}
        self.burst_calls = []
        self.checks = 0
        self.expected_streams_file = self.a.cameras

    # ---- helpers
    def now(self):
        return time.monotonic() - self.t_start

    def violate(self, what):
        t = self.now()
        self.violations.append({"t": round(t, 1), "what": what})
        print(f"  VIOLATION at {int(t // 60):02d}:{int(t % 60):02d}: {what}", flush=True)

    def streams(self):
        try:
            return self.a.go2rtc_streams()
        except Exception:
            return None

    def go2rtc_pid(self):
        pids = self.a.go2rtc_pids()
        return pids[0] if len(pids) == 1 else None

    def changed(self):
        self.last_change = self.now()

    def schedule(self, delay, fn):
        self.scheduled.append((self.now() + delay, fn))

    # ---- faults
    def inject(self):
        kind = self.rng.choice(KINDS)
        i = self.rng.randrange(1, 16)
        # SIGHUP toggles cam<i> (so a disabled camera comes back); the other faults need one go2rtc has.
        cam = f"cam{i:02d}" if kind == "sighup" else self._enabled_from(i)
        pid = self.go2rtc_pid()
        if kind in GO2RTC_FAULTS | {"stall", "empty_frame"} and pid is None:
            self.skipped[kind] += 1  # go2rtc is between processes right now
            return
        self.faults[kind] += 1
        t0 = self.now()
        print(f"  {int(t0 // 60):02d}:{int(t0 % 60):02d} fault {kind}" + (f" {cam}" if kind not in GO2RTC_FAULTS else f" pid {pid}"), flush=True)
        if kind == "kill":
            os.kill(pid, signal.SIGKILL)
        elif kind == "stop":
            start = h.start_ticks(pid)
            os.kill(pid, signal.SIGSTOP)
            self.schedule(5, lambda: self._cont(pid, start))
        elif kind == "api500":
            self.a.go2rtc_call("POST", "/standin/api?mode=500")
            self.schedule(10, lambda: self._if_same(pid, "/standin/api?mode=ok"))
        elif kind == "stall":
            self.a.go2rtc_call("POST", f"/standin/camera?src={cam}&state=stalled")
        elif kind == "readd":
            self._readd(cam, t0)
            return
        elif kind == "empty_frame":
            self.a.go2rtc_call("POST", f"/standin/frame?src={cam}&mode=empty")
            time.sleep(1.1)  # past the snapshot reuse window, so the empty answer is really asked for
            self._snapshots(cam, 1, "empty frame")
            self._if_same(pid, f"/standin/frame?src={cam}&mode=auto")
            return
        elif kind == "burst":
            self._snapshots(cam, 50, "burst")
            return
        elif kind == "sighup":
            self._sighup(cam)
        self.pending.append({"kind": kind, "t0": t0, "pid": pid, "cam": cam})

    def _enabled_from(self, i):
        """cam<i>, or the next enabled camera after it: a disabled one is not in go2rtc to be faulted."""
        enabled = self.a.enabled_names()
        for k in range(16):
            name = f"cam{(i + k - 1) % 15 + 1:02d}"
            if name in enabled:
                return name
        return f"cam{i:02d}"

    def _cont(self, pid, start):
        try:
            if h.start_ticks(pid) == start:
                os.kill(pid, signal.SIGCONT)
        except (FileNotFoundError, ProcessLookupError, IndexError):
            pass  # the appliance already replaced it

    def _if_same(self, pid, path):
        if self.go2rtc_pid() == pid:
            try:
                self.a.go2rtc_call("POST", path)
            except Exception:
                pass

    def _readd(self, cam, t0):
        c = next((c for c in self.a.cameras if c["name"] == cam), None)
        if c is None:
            return
        r = self.a.request("DELETE", f"/api/streams/{cam}")
        if r.status != 204:
            self.violate(f"DELETE /api/streams/{cam} answered {r.status}: {r.body[:200]!r}")
            return
        self.a.cameras = [x for x in self.a.cameras if x["name"] != cam]
        self.changed()

        def back():
            body = {k: c[k] for k in ("name", "url", "username", "password")}
            if not c.get("enabled", True):
                body["enabled"] = False
            r = self.a.request("POST", "/api/streams", body)
            if r.status != 201:
                self.violate(f"POST /api/streams {cam} answered {r.status}: {r.body[:200]!r}")
                return
            self.a.cameras = self.a.cameras + [c]
            self.changed()
            self.pending.append({"kind": "readd", "t0": self.now(), "pid": None, "cam": cam})
        self.schedule(3, back)

    def _sighup(self, cam):
        # A person edits streams.yaml: one camera enabled/disabled in turn, then SIGHUP.
        self.a.cameras = [dict(c, enabled=not c.get("enabled", True)) if c["name"] == cam else c for c in self.a.cameras]
        self.a.write_streams(self.a.cameras)
        self.a.proc.send_signal(signal.SIGHUP)
        self.changed()

    def _snapshots(self, cam, n, what):
        n0 = len(self.a.requests())
        barrier = threading.Barrier(n)

        def client():
            barrier.wait()
            try:
                return self.a.get(f"/api/streams/{cam}/frame.jpeg", timeout=15)
            except Exception as e:
                return e
        with concurrent.futures.ThreadPoolExecutor(n) as pool:
            answers = list(pool.map(lambda _: client(), range(n)))
        for r in answers:
            if isinstance(r, Exception):
                self.violate(f"{what}: a snapshot client of {cam} got no answer within 15 s ({r})")
            elif r.status == 200 and not (r.body[:2] == b"\xff\xd8" and r.body[-2:] == b"\xff\xd9"):
                self.violate(f"{what}: {cam} answered 200 with {len(r.body)} bytes that are not a JPEG")
            elif r.status != 200 and "problem+json" not in r.headers.get("Content-Type", ""):
                self.violate(f"{what}: {cam} answered {r.status} {r.headers.get('Content-Type')} instead of problem+json")
        if n > 1:
            self.burst_calls.append(sum(1 for r in self.a.requests()[n0:] if r["path"] == "/api/frame.jpeg"))

    # ---- recoveries
    def settle(self):
        if not self.pending:
            return
        names = self.streams()
        want = self.a.enabled_names()
        reqs = None
        for p in list(self.pending):
            done = False
            if p["kind"] in GO2RTC_FAULTS:
                pid = self.go2rtc_pid()
                done = names == want and pid is not None and (p["kind"] == "api500" or pid != p["pid"])
            elif p["kind"] in ("readd", "sighup"):
                done = names == want
            elif p["kind"] == "stall":
                # Healed when the appliance re-registered it, or go2rtc was replaced (new stream objects).
                reqs = reqs if reqs is not None else self.a.requests()
                t0_unix = time.time() - (self.now() - p["t0"])
                done = any(r["time"] / 1000 >= t0_unix and r["method"] == "PUT" and r["path"] == "/api/streams"
                           and f"name={p['cam']}" in r["query"] for r in reqs) or self.go2rtc_pid() not in (p["pid"], None)
            if done:
                self.recoveries[p["kind"]].append(self.now() - p["t0"])
                self.pending.remove(p)
            elif self.now() - p["t0"] > (150 if p["kind"] == "stall" else RECOVERY_DEADLINE):
                self.pending.remove(p)
                if p["kind"] == "stall":
                    print(f"  note: stalled {p['cam']} not re-registered within 150 s", flush=True)
                    self.recoveries["stall (not healed)"].append(self.now() - p["t0"])
                else:
                    self.violate(f"{p['kind']}: go2rtc not back with the enabled cameras within {RECOVERY_DEADLINE} s (streams {sorted(names or [])})")

    # ---- invariants
    def check(self):
        self.checks += 1
        t = self.now()
        if self.a.proc.poll() is not None:
            self.violate(f"the appliance exited with {self.a.proc.returncode}")
            return False
        pids = self.a.go2rtc_pids()
        if len(pids) > 1:
            self.violate(f"{len(pids)} go2rtc processes: {pids}")
        zombies = set(self.a.zombie_children())
        for z in zombies & self.zombies_seen:
            self.violate(f"zombie child {z} not reaped for 5 s")
        self.zombies_seen = zombies

        names = self.streams()
        if names is None:
            self.up_since = None
        elif self.up_since is None:
            self.up_since = t
        want = self.a.enabled_names()
        if names is not None and names != want:
            self.mismatch_since = self.mismatch_since if self.mismatch_since is not None else t
            if t - max(self.mismatch_since, self.last_change, self.up_since) >= 10:
                self.violate(f"go2rtc streams differ from the enabled cameras for 10 s: missing {sorted(want - names)}, extra {sorted(names - want)}")
                self.mismatch_since = t
        else:
            self.mismatch_since = None

        self._check_files()
        self._check_leaks()
        try:
            self.samples.append((t, h.status_kib(self.a.pid, "VmRSS"), h.fds(self.a.pid), h.threads(self.a.pid)))
        except (FileNotFoundError, ProcessLookupError):
            pass
        return True

    def _check_files(self):
        try:
            with open(self.a.streams_path) as f:
                doc = yaml.safe_load(f)
            got = {c["name"]: (c.get("url"), c.get("username"), c.get("password"), c.get("enabled", True)) for c in doc.get("cameras") or []}
            want = {c["name"]: (c["url"], c["username"], c["password"], c.get("enabled", True)) for c in self.a.cameras}
            if got != want:
                self.violate(f"streams.yaml differs from the last accepted write: {sorted(set(got.items()) ^ set(want.items()), key=str)[:4]}"
                             .replace(self.a.sentinel, "<sentinel>"))
        except Exception as e:
            self.violate(f"streams.yaml does not parse: {e}")
        try:
            with open(self.a.config_path) as f:
                if yaml.safe_load(f) != yaml.safe_load(self.a.config_text):
                    self.violate("lightnvr.yaml differs from the last accepted write")
        except Exception as e:
            self.violate(f"lightnvr.yaml does not parse: {e}")

    def _check_leaks(self):
        token = self.a.sentinel
        for path in ("/", "/api/status", "/api/streams", "/api/streams/cam00", "/api/health", "/metrics"):
            try:
                r = self.a.get(path, timeout=10)
                if token in r.body.decode(errors="replace"):
                    self.violate(f"a camera password in the answer to GET {path}")
            except Exception as e:
                print(f"  note: GET {path} failed: {e}", flush=True)
        # Every file under the soak's dir the appliance or go2rtc writes (our request log holds the stand-in's view):
        # logs must never hold a password; other files may (streams.yaml, go2rtc's config) but only with mode 0600.
        for root, _, files in os.walk(self.a.dir):
            for name in files:
                path = os.path.join(root, name)
                if path in (self.a.request_log, self.a.streams_path + ".bench-tmp"):
                    continue
                log_like = name.endswith(".log") or ".log." in name
                try:
                    st = os.stat(path)
                    if not log_like and not st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
                        continue
                    start = self.offsets.get(path, 0) if log_like else 0
                    start = 0 if st.st_size < start else max(0, start - 64)
                    with open(path, "rb") as f:
                        f.seek(start)
                        text = f.read().decode(errors="replace")
                    self.offsets[path] = st.st_size
                except (FileNotFoundError, PermissionError):
                    continue
                if token in text:
                    self.violate(f"a camera password in {os.path.relpath(path, self.a.dir)}" if log_like else
                                 f"{os.path.relpath(path, self.a.dir)} holds a password with mode {oct(st.st_mode & 0o777)}")


    # ---- run
    def run(self):
        a = self.a
        print(f"soak: {self.minutes} min, seed {self.seed}, 16 cameras, go2rtc {a.go2rtc} (stand-in), dir {a.dir}", flush=True)
        a.start()
        a.wait_ready(deadline=60)
        self.t_start = time.monotonic()
        end = self.minutes * 60
        next_fault = self.rng.uniform(20, 40)
        next_check = 5.0
        while self.now() < end:
            for item in [s for s in self.scheduled if s[0] <= self.now()]:
                self.scheduled.remove(item)
                item[1]()
            if self.now() >= next_fault:
                if self.now() < end - 25:  # the last faults get time to recover before the end
                    self.inject()
                next_fault = self.now() + self.rng.uniform(20, 40)
            self.settle()
            if self.now() >= next_check:
                if not self.check():
                    break
                next_check += 5
            time.sleep(0.2)
        for _, fn in self.scheduled:
            fn()
        deadline = self.now() + 60
        while self.pending and self.now() < deadline:
            self.settle()
            time.sleep(0.2)
        self.settle()
        self.check()
        code = a.stop()
        try:
            h.wait(lambda: not a.go2rtc_pids(), 10, "no go2rtc after the appliance exited", step=0.1)
        except TimeoutError:
            self.violate(f"go2rtc left running after the appliance exited: {a.go2rtc_pids()}")
        if code not in (0, None):
            print(f"  note: the appliance exited with {code}", flush=True)
        self._judge_resources()
        return self.summary(code)

    def _judge_resources(self):
        s = self.samples
        if len(s) < 10:
            return
        judge = self.minutes >= 15
        base = [x for x in s if x[0] >= 600][:6] if judge else s[len(s) // 3:len(s) // 3 + 6]
        tail = s[-5:]
        med = lambda xs, i: sorted(x[i] for x in xs)[len(xs) // 2]
        self.resources = {"from_s": round(base[0][0]), "rss_mb": [round(med(base, 1) / 1024, 1), round(med(tail, 1) / 1024, 1)],
                          "fds": [med(base, 2), med(tail, 2)], "threads": [med(base, 3), med(tail, 3)], "judged": judge,
                          # RSS every 5 minutes (MB), so a leak can be told from a heap that grew once and stayed.
                          "rss_series_mb": [round(x[1] / 1024, 1) for x in s[::60]] + [round(s[-1][1] / 1024, 1)]}
        if not judge:
            return
        r0, r1 = med(base, 1), med(tail, 1)
        if r1 > r0 * 1.10:
            self.violate(f"RSS grew {100 * (r1 - r0) / r0:.1f} % from minute 10 to the end ({r0 / 1024:.1f} → {r1 / 1024:.1f} MB)")
        for i, what in ((2, "open fds"), (3, "threads")):
            if med(tail, i) > med(base, i) * 1.10 + 8:
                self.violate(f"{what} grew from {med(base, i)} to {med(tail, i)}")

    resources = None

    def summary(self, code):
        lines = [f"soak summary: {self.minutes} min, seed {self.seed}, {self.checks} checks, appliance exit code {code}",
                 "faults injected: " + ", ".join(f"{k} {self.faults[k]}" for k in KINDS)
                 + (f" (skipped while go2rtc was between processes: {dict(self.skipped)})" if self.skipped else ""),
                 "recoveries (s):"]
        for kind in KINDS + ["stall (not healed)"]:
            v = self.recoveries.get(kind)
            if v:
                p50, p99 = h.percentiles(v, 50, 99)
                lines.append(f"  {kind:<20} n {len(v):>3}  p50 {p50:6.2f}  p99 {p99:6.2f}  max {max(v):6.2f}")
        if self.burst_calls:
            lines.append(f"snapshot bursts of 50: upstream frame calls per burst {self.burst_calls}")
        if self.resources:
            r = self.resources
            lines.append(f"resources from {r['from_s']} s to the end: RSS {r['rss_mb'][0]} → {r['rss_mb'][1]} MB, fds {r['fds'][0]} → {r['fds'][1]}, "
                         f"threads {r['threads'][0]} → {r['threads'][1]}" + ("" if r["judged"] else " (printed, not judged: soak < 15 min)"))
            lines.append(f"RSS every 5 min (MB): {r['rss_series_mb']}")
        lines.append(f"violations: {len(self.violations)}")
        for v in self.violations:
            lines.append(f"  {int(v['t'] // 60):02d}:{int(v['t'] % 60):02d} {v['what']}")
        text = "\n".join(lines)
        print(text, flush=True)
        return {"minutes": self.minutes, "seed": self.seed, "checks": self.checks, "faults": dict(self.faults),
                "skipped": dict(self.skipped), "recoveries": {k: [round(x, 2) for x in v] for k, v in self.recoveries.items()},
                "burst_calls": self.burst_calls, "resources": self.resources, "violations": self.violations, "text": text}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--minutes", type=float, default=float(os.environ.get("SOAK_MINUTES", "60")))
    p.add_argument("--seed", type=int, default=int(os.environ.get("SOAK_SEED", "0")))
    p.add_argument("--summary", help="also write the summary as JSON here")
    args = p.parse_args()
    seed = args.seed or random.randrange(1, 1 << 31)  # 0 or none: a fresh seed, printed so a run can be repeated
    soak = Soak(args.minutes, seed)
    try:
        result = soak.run()
    except BaseException as e:
        soak.violate(f"the soak itself failed: {type(e).__name__}: {e}")
        result = soak.summary(None)
    finally:
        soak.a.cleanup()
    if args.summary:
        with open(args.summary, "w") as f:
            json.dump(result, f, indent=2)
    return 1 if result["violations"] else 0


if __name__ == "__main__":
    sys.exit(main())
