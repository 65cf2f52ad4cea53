"""Idle CPU of the appliance in nanoseconds of run time (/proc/PID/task/*/schedstat), not 10 ms ticks.

Usage: python3 bench/idle-cpu.py [PERIOD_MS ...]   (after `make publish-x64 standin`; default: 1000 5000)
For each health period: a fresh appliance with 16 watched cameras, 8 s to settle, then CPU over 30 s,
printed as % of one core by schedstat and by utime+stime ticks, with VmRSS at the end."""
import glob, os, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h


def run_ns(pid):
    """Run time per thread id. A thread that ends between two samples takes its time with it (the figure
    is then a little low), so deltas are taken per thread, never as a difference of sums."""
    times = {}
    for f in glob.glob(f"/proc/{pid}/task/*/schedstat"):
        try:
            with open(f) as s:
                times[f.split("/")[4]] = int(s.read().split()[0])
        except (OSError, ValueError):
            pass  # a thread that ended between glob and open
    return times


def measure(period_ms, seconds=30.0):
    a = h.Appliance(health={"period_ms": period_ms})
    try:
        a.start()
        a.wait_ready()
        time.sleep(8)
        n0, k0, t0 = run_ns(a.pid), h.cpu_ticks(a.pid), time.perf_counter()
        time.sleep(seconds)
        n1, k1, t1 = run_ns(a.pid), h.cpu_ticks(a.pid), time.perf_counter()
        ns = sum(v - n0.get(tid, 0) for tid, v in n1.items())
        return ns / 1e9 / (t1 - t0) * 100, (k1 - k0) / h.TICKS / (t1 - t0) * 100, h.status_kib(a.pid, "VmRSS") / 1024
    finally:
        a.cleanup()


if __name__ == "__main__":
    for period in [int(x) for x in sys.argv[1:]] or [1000, 5000]:
        ns, ticks, rss = measure(period)
        print(f"health.period_ms {period}: CPU {ns:.3f} % (schedstat), {ticks:.2f} % (ticks), RSS {rss:.1f} MB", flush=True)
