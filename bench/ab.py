#!/usr/bin/env python3
"""Before and after in one session on one machine: two published x64 binaries, alternated A B B A ...

Usage: python3 bench/ab.py BIN_A BIN_B [ROUNDS]   (default 2 rounds; after `make standin`)
A binary may carry DOTNET_* settings: 'build/publish/linux-x64/lightnvr|DOTNET_GCgen0size=0x100000'.
Each round and binary: exec → first 200 of the status page (median of 3 restarts), then the idle figures of
`make bench` (the burst, 60 s quiet, 5 windows of 12 s: RSS and its parts, CPU by schedstat) and the RSS
growth after eight refused 10 MB bodies. The figures of one machine's two runs can be compared; figures of
two machines cannot (a start measured 49 ms on one and 124 ms on another of the same kind).
"""
import os, statistics, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h
import bench as b


def first_200(env):
    a = h.Appliance(env=env)
    try:
        a.start(); a.wait_ready(); a.sign_in(); a.stop(); a.start()
        h.wait(lambda: a.get("/", timeout=2).status == 200, 30, "the status page", step=0.002)
        return (time.perf_counter() - a.t_exec) * 1000
    finally:
        a.cleanup()


def one(spec):
    path, *settings = spec.split("|")
    env = dict(s.split("=", 1) for s in settings)
    h.APP = os.path.abspath(path)
    start = statistics.median(first_200(env) for _ in range(3))
    cpu, rss, _, _, threads, _, kinds, body = b.idle(env=env)
    m = lambda xs: statistics.median(xs)
    return (f"size {os.path.getsize(h.APP) / 1048576:.2f} MiB, first 200 {start:.0f} ms, RSS {m(rss):.1f} MB "
            f"(private {m(k['private'] for k in kinds) / 1024:.1f}, binary {m(k['binary'] for k in kinds) / 1024:.1f}, "
            f"libraries {m(k['libraries'] for k in kinds) / 1024:.1f}), CPU {m(cpu):.3f} %, threads {threads}, "
            f"8 bodies {body:+.2f} MB")


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    specs, rounds = sys.argv[1:3], int(sys.argv[3]) if len(sys.argv) > 3 else 2
    print(f"load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores", flush=True)
    for r in range(rounds):
        for label, spec in (zip("AB", specs) if r % 2 == 0 else reversed(list(zip("AB", specs)))):
            print(f"round {r + 1} {label} {spec}: {one(spec)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
