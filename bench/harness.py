"""The published appliance as a real process, for `make bench` and `make soak`.

One Appliance = its own temp dir (state dir, go2rtc config dir, lightnvr.yaml, streams.yaml, logs), free
ports, N cameras that are local TCP listeners, and go2rtc = the stand-in (build/standin) or GO2RTC_BINARY.
Counting is done from the outside: the stand-in's request log and /proc, never the appliance's own reports
(its status JSON is read only to know the go2rtc phase). Python 3 stdlib + PyYAML.
"""
import base64, glob, json, os, secrets, shutil, signal, socket, subprocess, tempfile, threading, time
import http.client, urllib.error, urllib.parse, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = os.path.join(ROOT, "build/publish/linux-x64/lightnvr")
STANDIN = os.path.join(ROOT, "build/standin/go2rtc-standin")
TICKS = os.sysconf("SC_CLK_TCK")

# ---- Authentication: the ONE place that knows about it. ------------------------------------------
# On by default, as on a real appliance (LIGHTNVR_BENCH_AUTH=0 switches it off): the harness writes a random password to <dir>/admin.password,
# adds `auth: { password_file: <that file> }` to lightnvr.yaml and sends HTTP Basic admin:<password> on
# every request to the appliance. The password is also a soak sentinel (it must never show up anywhere).
AUTH_ON = os.environ.get("LIGHTNVR_BENCH_AUTH", "1") not in ("", "0")


def go2rtc_binary():
    """(path, is_standin): GO2RTC_BINARY when set, else the stand-in built by `make standin`."""
    real = os.environ.get("GO2RTC_BINARY")
    return (real, False) if real else (STANDIN, True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(cond, deadline_s, what, step=0.005):
    """Polls cond() until it returns something truthy (exceptions count as 'not yet'); raises on the deadline."""
    end = time.monotonic() + deadline_s
    last = None
    while True:
        try:
            v = cond()
            if v:
                return v
        except Exception as e:  # not ready yet
            last = e
        if time.monotonic() > end:
            raise TimeoutError(f"timed out after {deadline_s} s waiting for {what}" + (f" (last error: {last})" if last else ""))
        time.sleep(step)


# ---- /proc ---------------------------------------------------------------------------------------
def _stat_fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        head, rest = f.read().rsplit(")", 1)
    return rest.split()  # rest[0] = state (field 3)


def proc_state(pid):
    try:
        return _stat_fields(pid)[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None


def cpu_ticks(pid):
    f = _stat_fields(pid)
    return int(f[11]) + int(f[12])  # utime + stime (fields 14, 15)


def start_ticks(pid):
    return int(_stat_fields(pid)[19])  # starttime (field 22), clock ticks since boot


def ppid(pid):
    return int(_stat_fields(pid)[1])


def status_kib(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return None


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (FileNotFoundError, PermissionError):
        return None


def memory_kib(pid):
    """Resident memory by kind, from /proc/PID/smaps: "private" = private dirty pages (heap, stacks, GC: what
    the process really holds), "binary" = the executable's own resident file pages (clean: the kernel may
    drop them and read them back), "libraries" = other files' resident pages (libc, libcrypto ...)."""
    exe = os.path.realpath(f"/proc/{pid}/exe")
    out = {"private": 0, "binary": 0, "libraries": 0}
    name = None
    try:
        with open(f"/proc/{pid}/smaps") as f:
            for line in f:
                parts = line.split()
                if parts and "-" in parts[0] and not parts[0].endswith(":"):
                    name = parts[5] if len(parts) > 5 else ""
                elif parts[0] == "Private_Dirty:":
                    out["private"] += int(parts[1])
                elif parts[0] == "Rss:" and name and name.startswith("/"):
                    out["binary" if os.path.realpath(name) == exe else "libraries"] += int(parts[1])
    except (FileNotFoundError, PermissionError):
        return None
    return out


def run_ns(pid):
    """Run time in ns per thread id (/proc/PID/task/*/schedstat). A thread that ends between two samples takes its
    time with it (the figure is then a little low), so deltas are taken per thread, never as a difference of sums."""
    times = {}
    for f in glob.glob(f"/proc/{pid}/task/*/schedstat"):
        try:
            with open(f) as s:
                times[f.split("/")[4]] = int(s.read().split()[0])
        except (OSError, ValueError):
            pass  # a thread that ended between glob and open
    return times


def cpu_ns_between(before, after):
    return sum(v - before.get(tid, 0) for tid, v in after.items())


def threads(pid):
    return status_kib(pid, "Threads")


def fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def boot_to_unix(ticks):
    """A starttime in clock ticks since boot, as a unix time (10 ms resolution)."""
    return time.time() - time.clock_gettime(time.CLOCK_BOOTTIME) + ticks / TICKS


def all_pids():
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return ""


# ---- cameras ---------------------------------------------------------------------------------------
class Cameras:
    """N RTSP 'cameras': local TCP listeners that accept and close, so go2rtc's dial succeeds."""

    def __init__(self, n):
        self.socks = []
        for _ in range(n):
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", 0))
            s.listen(128)
            s.settimeout(0.5)
            self.socks.append(s)
        self.ports = [s.getsockname()[1] for s in self.socks]
        self._stop = False
        self._threads = [threading.Thread(target=self._accept, args=(s,), daemon=True) for s in self.socks]
        for t in self._threads:
            t.start()

    def _accept(self, s):
        while not self._stop:
            try:
                c, _ = s.accept()
                c.close()
            except (socket.timeout, OSError):
                continue

    def close(self):
        self._stop = True
        for s in self.socks:
            s.close()


# ---- the appliance ----------------------------------------------------------------------------------
class Http:
    def __init__(self, status, headers, body, ms):
        self.status, self.headers, self.body, self.ms = status, headers, body, ms

    def json(self):
        return json.loads(self.body)


class Appliance:
    def __init__(self, cameras=16, health=None, env=None, prefix="lightnvr-bench-"):
        self.dir = tempfile.mkdtemp(prefix=prefix)
        self.state_dir = os.path.join(self.dir, "state")
        self.config_dir = os.path.join(self.dir, "go2rtc")
        os.makedirs(self.state_dir)
        os.makedirs(self.config_dir)
        self.config_path = os.path.join(self.dir, "lightnvr.yaml")
        self.streams_path = os.path.join(self.dir, "streams.yaml")
        # The logs in a folder of their own: the appliance watches the folder of streams.yaml, and a log written
        # beside it would wake that watcher on every go2rtc request (an installed appliance has no such file there).
        logs = os.path.join(self.dir, "logs")
        os.makedirs(logs)
        self.log_path = os.path.join(logs, "appliance.log")
        self.request_log = os.path.join(logs, "requests.jsonl")
        self.start_log = os.path.join(logs, "starts.log")
        self.go2rtc, self.is_standin = go2rtc_binary()
        self.web, self.api = free_port(), free_port()
        # Every password contains this token: finding it anywhere outside streams.yaml is a leak.
        self.sentinel = "SNTL" + secrets.token_hex(6)
        self.cams = Cameras(cameras)
        self.password = ("pw" + self.sentinel) if AUTH_ON else None
        self.cameras = [self.camera(i) for i in range(cameras)]
        self.write_streams(self.cameras)
        self.config_text = self._config(health or {})
        with open(self.config_path, "w") as f:
            f.write(self.config_text)
        self.env = dict(os.environ, **(env or {}))
        if self.is_standin:
            # go2rtc gets a clean environment from the appliance: the stand-in reads these from the person's go2rtc.yaml.
            with open(os.path.join(self.config_dir, "go2rtc.yaml"), "w") as f:
                f.write(f"standin:\n  request_log: {self.request_log}\n  start_log: {self.start_log}\n")
        self.proc = None
        self.cookie = None  # a session cookie once sign_in() ran; else requests carry HTTP Basic
        self.t_exec = None
        self.base = f"http://127.0.0.1:{self.web}"
        self.go2rtc_url = f"http://127.0.0.1:{self.api}"

    def camera(self, i, port=None):
        # One password with characters that must be percent-encoded in the URL handed to go2rtc.
        pw = f"p@ss#{self.sentinel}" if i == 0 else f"{self.sentinel}-{i:02d}"
        return {"name": f"cam{i:02d}", "url": f"rtsp://127.0.0.1:{port or self.cams.ports[i % len(self.cams.ports)]}/live",
                "username": "admin", "password": pw}

    def _config(self, health):
        lines = ["web:", "  listen: 127.0.0.1", f"  port: {self.web}", f"state_dir: {self.state_dir}", "go2rtc:",
                 f"  binary: {self.go2rtc}", f"  config_dir: {self.config_dir}", f"  api_port: {self.api}",
                 f"  rtsp_port: {free_port()}", f"  webrtc_port: {free_port()}"]
        if health:
            lines += ["health:"] + [f"  {k}: {v}" for k, v in health.items()]
        if AUTH_ON:
            pw_file = os.path.join(self.dir, "admin.password")
            with open(os.open(pw_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
                f.write(self.password + "\n")
            lines += ["auth:", f"  password_file: {pw_file}"]
        return "\n".join(lines) + "\n"

    def write_streams(self, cameras):
        """Writes streams.yaml atomically (as a person's editor would, minus the fsync) with mode 0600."""
        text = "cameras:\n" + "".join(
            f"  - name: {c['name']}\n    url: {c['url']}\n    username: {c['username']}\n    password: {json.dumps(c['password'])}\n"
            + ("" if c.get("enabled", True) else "    enabled: false\n")
            + (f"    detect:\n      url: {c['detect']}\n      interval_ms: 1000\n      threshold: 0.5\n" if c.get("detect") else "")
            for c in cameras)
        tmp = self.streams_path + ".bench-tmp"
        with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write(text)
        os.rename(tmp, self.streams_path)

    # -- process
    def start(self):
        if getattr(self, "log", None):
            self.log.close()
        self.log = open(self.log_path, "ab")
        self.t_exec = time.perf_counter()
        self.proc = subprocess.Popen([APP, "--config", self.config_path], stdout=self.log, stderr=subprocess.STDOUT, env=self.env)
        return self

    @property
    def pid(self):
        return self.proc.pid

    def stop(self, timeout=20):
        """SIGTERM, wait; returns the exit code (None if it had to be SIGKILLed)."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
            return None

    def cleanup(self):
        self.stop()
        for pid in self.go2rtc_pids():  # never leave one behind, even when the appliance failed to
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
        self.cams.close()
        try:
            self.log.close()
        except AttributeError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)

    # -- HTTP
    def request(self, method, path, body=None, timeout=10.0, base=None):
        """One request to the appliance (base=None) or to go2rtc (base=self.go2rtc_url). Never raises on an HTTP status."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request((base or self.base) + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if AUTH_ON and base is None:
            if self.cookie:
                req.add_header("Cookie", self.cookie)
            else:
                req.add_header("Authorization", "Basic " + base64.b64encode(f"admin:{self.password}".encode()).decode())
        t = time.perf_counter()
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return Http(r.status, dict(r.headers), r.read(), (time.perf_counter() - t) * 1000)
        except urllib.error.HTTPError as e:
            return Http(e.code, dict(e.headers), e.read(), (time.perf_counter() - t) * 1000)

    def sign_in(self):
        """Signs in through the login form, as a person does: later requests carry the session cookie (an HMAC
        check) instead of Basic (a PBKDF2 check, once per process). The cookie outlives an appliance restart."""
        if not AUTH_ON:
            return
        conn = http.client.HTTPConnection("127.0.0.1", self.web, timeout=10)
        try:
            conn.request("POST", "/login", urllib.parse.urlencode({"password": self.password, "return": "/"}),
                         {"Content-Type": "application/x-www-form-urlencoded", "Origin": self.base})
            r = conn.getresponse()
            r.read()
            cookie = r.getheader("Set-Cookie")
            if r.status != 303 or not cookie:
                raise RuntimeError(f"sign-in failed: HTTP {r.status}")
            self.cookie = cookie.split(";", 1)[0]
        finally:
            conn.close()

    def get(self, path, timeout=10.0):
        return self.request("GET", path, timeout=timeout)

    def go2rtc_call(self, method, path, timeout=5.0):
        return self.request(method, path, timeout=timeout, base=self.go2rtc_url)

    def go2rtc_status(self):
        """The appliance's view of go2rtc (phase, pid, generation): only to know when to look, never counted."""
        return self.get("/api/status", timeout=5).json()["go2rtc"]["status"]

    def go2rtc_streams(self):
        """The stream names go2rtc itself lists, or None when its API does not answer 200."""
        r = self.go2rtc_call("GET", "/api/streams", timeout=2)
        return set(json.loads(r.body)) if r.status == 200 else None

    def enabled_names(self):
        return {c["name"] for c in self.cameras if c.get("enabled", True)}

    def wait_ready(self, deadline=30, above_generation=0):
        """go2rtc ready (by the appliance's phase) and listing every enabled camera (by go2rtc's own API)."""
        want = self.enabled_names()
        return wait(lambda: (s := self.go2rtc_status())["phase"] == "Ready" and s["generation"] > above_generation
                    and self.go2rtc_streams() == want and s, deadline, f"go2rtc ready with {len(want)} streams", step=0.01)

    # -- counting from the outside
    def go2rtc_pids(self):
        """Live (non-zombie) processes running go2rtc with this appliance's config dir."""
        return [p for p in all_pids() if self.config_dir in cmdline(p) and proc_state(p) not in (None, "Z")
                and p != os.getpid() and (self.proc is None or p != self.proc.pid)]

    def zombie_children(self):
        return [p for p in all_pids() if proc_state(p) == "Z" and _safe_ppid(p) == self.pid]

    def requests(self):
        """The stand-in's request log so far: dicts with time (unix ms), pid, method, path, query."""
        try:
            with open(self.request_log) as f:
                return [json.loads(line) for line in f if line.strip()]
        except FileNotFoundError:
            return []

    def starts(self):
        try:
            with open(self.start_log) as f:
                return [int(x) for x in f.read().split()]
        except FileNotFoundError:
            return []


def _safe_ppid(p):
    try:
        return ppid(p)
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        return None


def percentiles(values, *ps):
    s = sorted(values)
    if not s:
        return [None for _ in ps]
    return [s[min(len(s) - 1, max(0, int(round(p / 100 * len(s) + 0.5)) - 1))] for p in ps]


def git(*args):
    try:
        return subprocess.run(["git", "-C", ROOT, *args], capture_output=True, text=True, timeout=10).stdout.strip()
    except Exception:
        return ""
