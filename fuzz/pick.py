#!/usr/bin/env python3
"""Keeps a coverage-greedy subset of an AFL corpus within a byte budget.

    fuzz/pick.py TARGET IN_DIR OUT_DIR [BUDGET_BYTES]

Runs afl-showmap on every file of IN_DIR (a `cargo afl cmin` output, an AFL queue, or a union of
corpus and queues) and copies to OUT_DIR, greedily, the file that adds the most not yet covered
(edge, hit-count bucket) tuples per byte, until the budget is spent or no file adds a tuple. Without
a budget every tuple of IN_DIR is kept (fuzz/corpus.sh). Prints the tuples kept out of all.
"""
import heapq, os, shutil, subprocess, sys, tempfile, glob

target, src, dst = sys.argv[1], sys.argv[2], sys.argv[3]
budget = int(sys.argv[4]) if len(sys.argv) > 4 else float("inf")
here = os.path.dirname(os.path.abspath(__file__))
showmap = glob.glob(os.path.expanduser("~/.local/share/afl.rs/rustc-*/afl.rs-*/afl/bin/afl-showmap"))[0]
binary = os.path.join(here, "target/release", target)
files = sorted(f for f in os.listdir(src) if os.path.isfile(os.path.join(src, f)))
cov = {}
with tempfile.TemporaryDirectory() as tmp:
    # Batch mode: one forkserver for the whole directory, one map per input named like it.
    subprocess.run([showmap, "-q", "-t", "2000", "-i", src, "-o", tmp, "--", binary],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=dict(os.environ, AFL_SKIP_CPUFREQ="1"))
    for f in files:
        try:
            cov[f] = set(open(os.path.join(tmp, f)).read().split())
        except FileNotFoundError:
            cov[f] = set()
size = {f: os.path.getsize(os.path.join(src, f)) for f in files}
everything = set().union(*cov.values()) if cov else set()
covered, kept, spent = set(), [], 0
# Lazy greedy: a file's gain only shrinks as coverage grows, so a stale score is an upper bound.
heap = [(-len(cov[f]) / (size[f] + 64), size[f], f) for f in files if cov[f]]
heapq.heapify(heap)
while heap:
    _, _, f = heapq.heappop(heap)
    new = cov[f] - covered
    if not new:
        continue
    score = -len(new) / (size[f] + 64)
    if heap and score > heap[0][0]:
        heapq.heappush(heap, (score, size[f], f))
        continue
    if spent + size[f] > budget:
        continue
    kept.append(f)
    covered |= new
    spent += size[f]
os.makedirs(dst, exist_ok=True)
for i, f in enumerate(sorted(kept, key=lambda f: size[f])):
    shutil.copy(os.path.join(src, f), os.path.join(dst, "%s-%04d" % (target, i)))
print(f"{target}: {len(kept)} of {len(files)} files, {spent} B, {len(covered)} of {len(everything)} tuples")
