"""A check = a name, a body that raises on failure or Skip when the feature is not in this build."""
import time
import traceback


class Skip(Exception):
    pass


class Results:
    def __init__(self):
        self.rows = []

    def check(self, name, body):
        t = time.monotonic()
        try:
            note = body()
            status = "PASS"
        except Skip as s:
            status, note = "SKIP", str(s)
        except Exception as e:  # every failure is reported and the run goes on with the next check
            status, note = "FAIL", f"{type(e).__name__}: {e}"
            if not isinstance(e, (AssertionError, TimeoutError, RuntimeError)):
                note += "\n" + traceback.format_exc(limit=3)
        dt = time.monotonic() - t
        self.rows.append((status, name, note))
        print(f"{status} image: {name} ({dt:.1f} s){': ' + str(note) if note else ''}", flush=True)
        return status == "PASS"

    def fail_rest(self, names, reason):
        for n in names:
            self.rows.append(("FAIL", n, reason))
            print(f"FAIL image: {n}: {reason}", flush=True)

    def summary(self):
        counts = {s: sum(1 for r in self.rows if r[0] == s) for s in ("PASS", "FAIL", "SKIP")}
        print(f"{counts['PASS']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped")
        return counts["FAIL"] == 0 and counts["PASS"] > 0


def expect(condition, message):
    if not condition:
        raise AssertionError(message)
