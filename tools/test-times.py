#!/usr/bin/env python3
"""Wall and CPU seconds of each CTest test (docs/development.md, Test time).

usage: tools/test-times.py BUILD_DIR [-R REGEX] [-E REGEX] [-j N] [--out FILE]

Runs the tests CTest knows in BUILD_DIR (`ctest --show-only=json-v1`), each
with its own command, working directory and environment, N at a time
(default 1), and prints one line per test: wall seconds, CPU seconds (user +
system of the test and of every process it waited for: os.wait4's rusage),
the CPU share of the wall time and the exit status, slowest first, then the
totals. On a machine shared with other work the CPU figure is the one to
trust: wall time grows with the load, CPU time hardly does. A test that
sleeps has CPU far below wall; a test that computes has them close.
Each test is bounded by its CTest TIMEOUT (default 1500 s).
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time


def tests_of(build, tests_from=None):
    out = subprocess.run(["ctest", "--show-only=json-v1"], cwd=build,
                         check=True, capture_output=True, text=True).stdout
    for t in json.loads(out)["tests"]:
        if "command" not in t:  # a test program not built
            continue
        props = {p["name"]: p["value"] for p in t.get("properties", [])}
        env = dict(os.environ)
        for kv in props.get("ENVIRONMENT", []):
            k, _, v = kv.partition("=")
            env[k] = v
        cmd = t["command"]
        if tests_from:
            src = os.path.dirname(os.path.abspath(os.path.dirname(__file__)))
            cmd = [c.replace(src + "/tests/", tests_from.rstrip("/") + "/tests/")
                   for c in cmd]
        yield {"name": t["name"], "cmd": cmd, "env": env,
               "cwd": props.get("WORKING_DIRECTORY", build),
               "timeout": float(props.get("TIMEOUT", 1500))}


def run_one(t):
    start = time.monotonic()
    p = subprocess.Popen(t["cmd"], cwd=t["cwd"], env=t["env"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    timer = threading.Timer(t["timeout"], lambda: os.killpg(p.pid, signal.SIGKILL))
    timer.start()
    _, status, ru = os.wait4(p.pid, 0)
    timer.cancel()
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - start
    return wall, ru.ru_utime + ru.ru_stime, p.returncode


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("-R", default="")
    ap.add_argument("-E", default="")
    ap.add_argument("-j", type=int, default=1)
    ap.add_argument("--out")
    ap.add_argument("--tests-from", metavar="DIR",
                    help="run the test scripts of another copy of the tree"
                         " (e.g. a `git archive` of the commit before), with"
                         " this build's binary: before/after figures")
    a = ap.parse_args()
    todo = [t for t in tests_of(a.build, a.tests_from)
            if re.search(a.R, t["name"]) and not (a.E and re.search(a.E, t["name"]))]
    rows, lock = [], threading.Lock()

    def worker():
        while True:
            with lock:
                if not todo:
                    return
                t = todo.pop(0)
            wall, cpu, rc = run_one(t)
            line = "%-48s %8.1f %8.1f %5.0f%% %4d" % (t["name"], wall, cpu,
                                                     100 * cpu / max(wall, 1e-3), rc)
            with lock:
                rows.append((wall, line))
                print(line, file=sys.stderr, flush=True)

    t0 = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(max(1, a.j))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    total = time.monotonic() - t0
    out = ["%-48s %8s %8s %6s %4s" % ("test", "wall s", "cpu s", "cpu%", "rc")]
    out += [line for _, line in sorted(rows, reverse=True)]
    walls = sum(r[0] for r in rows)
    cpus = sum(float(line.split()[2]) for _, line in rows)
    out.append("%d tests, -j%d: %.0f s elapsed; sum of walls %.0f s, of CPU %.0f s"
               % (len(rows), a.j, total, walls, cpus))
    text = "\n".join(out) + "\n"
    sys.stdout.write(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
    return 1 if any(line.split()[-1] != "0" for _, line in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
