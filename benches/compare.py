#!/usr/bin/env python3
"""Times two nianbao executables side by side, whole process, interleaved run by run.

    python3 benches/compare.py BEFORE NOW [RUNS] [ROUNDS]

BEFORE and NOW are two `nianbao` executables (copy target/release/nianbao aside before a change).
Each round runs every command of COMMANDS below with both executables and `/bin/true` (the host's
floor), RUNS times (default 41), interleaved, so a host that speeds up or slows down during the
round affects both sides alike; it prints the median of each, before → now. ROUNDS (default 3)
repeats the round, since this shared host's speed changes from minute to minute: compare within a
round. Run from the repository root; outputs go to a temporary folder and are written over run
after run, as a clerk re-exporting a report does. Stop other work (fuzzers: SIGSTOP) first.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

SEED = "examples/potou-2023.json"
IMPORT = "tests/fixtures/import"
REPORTS = "tests/fixtures/reports"
# (label, arguments; {out} is the output folder)
COMMANDS = [
    ("--version", ["--version"]),
    ("validate seed", ["validate", SEED]),
    ("seed → HTML", ["export", SEED, "--to", "html", "--quiet", "-o", "{out}/o.html"]),
    ("seed → PDF", ["export", SEED, "--to", "pdf", "--quiet", "-o", "{out}/o.pdf"]),
    ("seed → DOCX", ["export", SEED, "--to", "docx", "--quiet", "-o", "{out}/o.docx"]),
    ("seed → XLSX", ["export", SEED, "--to", "xlsx", "--quiet", "-o", "{out}/o.xlsx"]),
    ("seed → PDF+DOCX+XLSX",
     ["export", SEED, "--to", "pdf,docx,xlsx", "--quiet", "--out-dir", "{out}/three"]),
    ("diff → four formats",
     ["diff", f"{REPORTS}/pingtan_2023.json", f"{REPORTS}/pingtan_2024_e6.json",
      "--to", "pdf,docx,xlsx,html", "--out-dir", "{out}/diff"]),
] + [
    (f"import {name}", ["import", f"{IMPORT}/{name}", "-o", "{out}/" + name + ".json"])
    for name in ["pingtan_2023.html", "shuyang_fgj_2023.html", "shanghai_gov_office_2019.html",
                 "fixture_city_2025.html", "hongze_2023.pdf"]
]


def timed(argv):
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    before, now = (os.path.abspath(p) for p in sys.argv[1:3])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 41
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    with tempfile.TemporaryDirectory() as tmp:
        sides = {}
        for side, exe in (("before", before), ("now", now)):
            out = os.path.join(tmp, side)
            os.makedirs(out)
            sides[side] = [[exe] + [a.replace("{out}", out) for a in args] for _, args in COMMANDS]
        for r in range(1, rounds + 1):
            times = {"true": []}
            times.update({(s, i): [] for s in sides for i in range(len(COMMANDS))})
            # One untimed run of each, so every output exists before the timing starts.
            for s in sides:
                for argv in sides[s]:
                    timed(argv)
            for _ in range(runs):
                times["true"].append(timed(["/bin/true"]))
                for i in range(len(COMMANDS)):
                    for s in sides:
                        times[(s, i)].append(timed(sides[s][i]))
            print(f"round {r} ({time.strftime('%H:%M:%S')}), medians of {runs}: "
                  f"/bin/true {statistics.median(times['true']):.2f} ms")
            for i, (label, _) in enumerate(COMMANDS):
                b = statistics.median(times[("before", i)])
                n = statistics.median(times[("now", i)])
                print(f"  {label:40} {b:8.2f} → {n:8.2f} ms  ({n / b:.2f}×)")


if __name__ == "__main__":
    main()
