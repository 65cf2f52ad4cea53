"""Idle CPU of the appliance in nanoseconds of run time (/proc/PID/task/*/schedstat), not 10 ms ticks.

Usage: python3 bench/idle-cpu.py [PERIOD_MS ...]   (after `make publish-x64 standin`; default: 1000 5000)
For each health period: a fresh appliance with 16 watched cameras, 8 s to settle, then CPU over 30 s,
printed as % of one core by schedstat and by utime+stime ticks, with VmRSS at the end."""
import os, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h


def measure(period_ms, seconds=30.0):
    a = h.Appliance(health={"period_ms": period_ms})
    try:
        a.start()
        a.wait_ready()
        time.sleep(8)
        n0, k0, t0 = h.run_ns(a.pid), h.cpu_ticks(a.pid), time.perf_counter()
        time.sleep(seconds)
        n1, k1, t1 = h.run_ns(a.pid), h.cpu_ticks(a.pid), time.perf_counter()
        ns = h.cpu_ns_between(n0, n1)
        return ns / 1e9 / (t1 - t0) * 100, (k1 - k0) / h.TICKS / (t1 - t0) * 100, h.status_kib(a.pid, "VmRSS") / 1024
    finally:
        a.cleanup()


if __name__ == "__main__":
    for period in [int(x) for x in sys.argv[1:]] or [1000, 5000]:
        ns, ticks, rss = measure(period)
        print(f"health.period_ms {period}: CPU {ns:.3f} % (schedstat), {ticks:.2f} % (ticks), RSS {rss:.1f} MB", flush=True)
