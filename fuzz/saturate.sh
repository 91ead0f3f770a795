#!/usr/bin/env bash
# Runs AFL++ targets one at a time, each until it saturates or its time budget ends.
#
#   fuzz/saturate.sh END_EPOCH OUTROOT TARGET...
#
# END_EPOCH: Unix time by which every listed target must be done. The budget of each target is
#   (END_EPOCH - now) / (targets left) times its weight below, recomputed when it starts, so time a
#   saturated target leaves over goes to the next ones. With BUDGET=rest every target gets all the time
#   left to END_EPOCH (no weights): the first runs until it saturates, the next starts only if it did.
# Saturated: nothing new found (AFL's `last_find`, corpus_count, saved_crashes, saved_hangs in
#   out/T/default/fuzzer_stats) for 10 minutes of CPU time (600 s, SAT_SECS) spent by afl-fuzz and the
#   target it runs (utime + stime of afl-fuzz and its descendants, from /proc). Counting CPU seconds,
#   not wall seconds, keeps the criterion honest on a shared machine: a fuzzer that gets a tenth of a
#   core (nice, other builds, SIGSTOP while benchmarks are measured) must still spend 10 full CPU
#   minutes without a find. The budget below is in CPU seconds too.
# Writes OUTROOT/T/default/... (AFL's output) and a line per target to OUTROOT/summary.tsv:
#   target, wall s, CPU s, paused s (wall), execs, execs/s, corpus_count, last_find age (CPU s), saturated, crashes, hangs,
#   age of the last find that reached a new edge (CPU s; AFL marks those "+cov" in the queue; the other finds
#   only change how often known edges run, in AFL's hit-count buckets 1, 2, 3, 4-7, 8-15, 16-31, 32-127, 128+)
# Input: out/corpus/T, the committed corpus/T.tar.xz unpacked (`corpus.sh unpack T`, done here when
#   out/corpus/T is missing), or INPUT_ROOT/T when INPUT_ROOT is set and that directory exists.
set -u
END=$1
OUT=$2
shift 2
SAT=${SAT_SECS:-600}
POLL=${POLL_SECS:-10}
cd "$(dirname "$0")" || exit 2
weight() {
  case $1 in
    json | text) echo 1.25 ;;
    html | export) echo 1.3 ;;
    *) echo 1.0 ;;
  esac
}
stat_of() { sed -n "s/^$2 *: *//p" "$1" | head -n 1; }
# CPU seconds (user + system, children reaped included) of a process and all its descendants.
tree_cpu() {
  local pids=$1 all=$1 kids
  while [ -n "$pids" ]; do
    kids=$(pgrep -d ' ' -P "$(echo $pids | tr ' ' ,)" 2> /dev/null)
    all="$all $kids"
    pids=$kids
  done
  for p in $all; do cat "/proc/$p/stat" 2> /dev/null; done |
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); t += $12 + $13 + $14 + $15 } END { printf "%d", t / hz }'
}
mkdir -p "$OUT"
left=$#
for T in "$@"; do
  now=$(date +%s)
  if [ "${BUDGET:-}" = rest ]; then
    budget=$((END - now))
  else
    budget=$(awk -v e="$END" -v n="$now" -v l="$left" -v w="$(weight "$T")" 'BEGIN { b = int((e - n) / l * w); if (b > e - n) b = e - n; print b }')
  fi
  left=$((left - 1))
  if [ "$budget" -lt 60 ]; then
    echo "$T: no time left ($budget s), skipped" >&2
    continue
  fi
  echo "$(date -u +%H:%M:%S) $T: budget $budget s" >&2
  rm -rf "${OUT:?}/$T"
  input="out/corpus/$T"
  if [ -n "${INPUT_ROOT:-}" ] && [ -d "$INPUT_ROOT/$T" ]; then
    input="$INPUT_ROOT/$T"
  elif [ ! -d "$input" ]; then
    ./corpus.sh unpack "$T" >&2 || exit 2
  fi
  echo "$(date -u +%H:%M:%S) $T: input $input ($(ls "$input" | wc -l) files)" >&2
  # AFL_NO_AFFINITY: afl-fuzz binds itself to a core it sees free, and two runs started together both
  # saw core 0 free (3 December, 11:38): one core did the work of two while the other idled. The
  # kernel's scheduler spreads them instead.
  AFL_NO_AFFINITY=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
    cargo afl fuzz -t 2000 -i "$input" -o "$OUT/$T" "target/release/$T" > "$OUT/$T.log" 2>&1 &
  cargo_pid=$!
  stats="$OUT/$T/default/fuzzer_stats"
  start=$(date +%s)
  paused=0 cpu=0 cpu_base=0 cpu_at_find=0 prev_mark="" age=0 sat=no afl_pid=""
  cpu_at_edge=0 prev_edges="" edge_age=0
  while kill -0 "$cargo_pid" 2> /dev/null; do
    sleep "$POLL"
    now=$(date +%s)
    [ -f "$stats" ] && afl_pid=$(stat_of "$stats" fuzzer_pid)
    state=$(awk '{ print $3 }' "/proc/$afl_pid/stat" 2> /dev/null)
    if [ "$state" = T ]; then
      paused=$((paused + POLL))
      continue
    fi
    [ -n "$afl_pid" ] && cpu=$(tree_cpu "$afl_pid")
    if [ "$now" -ge "$END" ]; then
      echo "$(date -u +%H:%M:%S) $T: END_EPOCH reached ($cpu CPU s; last find ${age} CPU s ago, last new edge ${edge_age})" >&2
      break
    fi
    if [ "$cpu" -ge "$budget" ]; then
      echo "$(date -u +%H:%M:%S) $T: budget over ($cpu CPU s; last find ${age} CPU s ago, last new edge ${edge_age})" >&2
      break
    fi
    [ -f "$stats" ] || continue
    mark="$(stat_of "$stats" last_find) $(stat_of "$stats" corpus_count) $(stat_of "$stats" saved_crashes) $(stat_of "$stats" saved_hangs)"
    if [ "$mark" != "$prev_mark" ]; then
      prev_mark=$mark
      cpu_at_find=$cpu
    fi
    age=$((cpu - cpu_at_find))
    edges=$(find "$OUT/$T/default/queue" -maxdepth 1 -name '*+cov*' 2> /dev/null | wc -l)
    if [ "$edges" != "$prev_edges" ]; then
      prev_edges=$edges
      cpu_at_edge=$cpu
    fi
    edge_age=$((cpu - cpu_at_edge))
    favs=$(stat_of "$stats" pending_favs)
    if [ "$age" -ge "$SAT" ]; then
      sat=yes
      [ "$favs" = 0 ] && sat="yes (pending_favs 0)"
      echo "$(date -u +%H:%M:%S) $T: saturated (nothing new for ${age} CPU s, pending_favs $favs)" >&2
      break
    fi
  done
  # afl-fuzz is a child of cargo-afl, a child of cargo: stop it by its pid (it then writes its stats).
  [ -n "$afl_pid" ] || afl_pid=$(pgrep -x afl-fuzz -P "$(pgrep -P "$cargo_pid" | tr '\n' ,)0")
  [ -n "$afl_pid" ] && kill -INT $afl_pid 2> /dev/null
  wait "$cargo_pid"
  end=$(date +%s)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$T" $((end - start)) "$cpu" "$paused" \
    "$(stat_of "$stats" execs_done)" "$(stat_of "$stats" execs_per_sec)" "$(stat_of "$stats" corpus_count)" \
    "$age" "$sat" "$(stat_of "$stats" saved_crashes)" "$(stat_of "$stats" saved_hangs)" "$edge_age" >> "$OUT/summary.tsv"
done
