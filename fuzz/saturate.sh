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
# INSTANCES=N (default 1) runs each target as N afl-fuzz processes in AFL's parallel mode, one per
#   core (`-M main`, `-S sec1` ..., syncing their finds every minute, AFL_SYNC_TIME=1): the CPU seconds
#   are those of all N process trees together, and a find of any instance (an input it found, or one
#   it imported from another) counts as a find, so the criterion is the same 600 CPU s as with one.
#   The budget is N times as many CPU seconds.
# Writes OUTROOT/T/default/... (AFL's output; OUTROOT/T/main/, OUTROOT/T/sec1/, ... with INSTANCES) and
#   a line per target to OUTROOT/summary.tsv (execs, execs/s, crashes and hangs summed over instances,
#   corpus_count of the first):
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
N=${INSTANCES:-1}
case $N in '' | *[!0-9]* | 0) echo "saturate.sh: INSTANCES must be a positive number" >&2; exit 2 ;; esac
names=default
if [ "$N" -gt 1 ]; then
  names=main
  for i in $(seq 1 $((N - 1))); do names="$names sec$i"; done
fi
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
  budget=$((budget * N)) # CPU seconds of N processes over that wall time
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
  cargo_pids=""
  for name in $names; do
    case $name in main) role="-M main" ;; sec*) role="-S $name" ;; *) role="" ;; esac
    log="$OUT/$T.log"
    [ "$name" = default ] || log="$OUT/$T.$name.log"
    # shellcheck disable=SC2086 # $role is empty or two words
    AFL_NO_AFFINITY=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SYNC_TIME=1 \
      cargo afl fuzz -t 2000 $role -i "$input" -o "$OUT/$T" "target/release/$T" > "$log" 2>&1 &
    cargo_pids="$cargo_pids $!"
  done
  first=${names%% *}
  stats="$OUT/$T/$first/fuzzer_stats"
  start=$(date +%s)
  paused=0 cpu=0 cpu_at_find=0 prev_mark="" age=0 sat=no afl_pids=""
  declare -A pid_of=() cpu_of=() # each instance's afl-fuzz pid and the most CPU seconds seen of it
  cpu_at_edge=0 prev_edges="" edge_age=0
  running() { for p in $cargo_pids; do kill -0 "$p" 2> /dev/null && return 0; done; return 1; }
  while running; do
    sleep "$POLL"
    now=$(date +%s)
    # One read of each instance's stats a poll: its pid, and what changes when it finds something.
    afl_pids="" mark=""
    for name in $names; do
      f="$OUT/$T/$name/fuzzer_stats"
      [ -f "$f" ] || continue
      pid_of[$name]=$(stat_of "$f" fuzzer_pid)
      afl_pids="$afl_pids ${pid_of[$name]}"
      mark="$mark $(stat_of "$f" last_find) $(stat_of "$f" corpus_count) $(stat_of "$f" saved_crashes) $(stat_of "$f" saved_hangs)"
    done
    afl_pid=${afl_pids# }
    afl_pid=${afl_pid%% *}
    state=$(awk '{ print $3 }' "/proc/$afl_pid/stat" 2> /dev/null)
    if [ "$state" = T ]; then
      paused=$((paused + POLL))
      continue
    fi
    # Each instance's seconds only grow: one that has exited (killed from outside, say) has no /proc
    # entry left to count, and keeps the seconds it was last seen with.
    cpu=0
    for name in "${!pid_of[@]}"; do
      c=$(tree_cpu "${pid_of[$name]}")
      [ "$c" -gt "${cpu_of[$name]:-0}" ] && cpu_of[$name]=$c
      cpu=$((cpu + ${cpu_of[$name]:-0}))
    done
    if [ "$now" -ge "$END" ]; then
      echo "$(date -u +%H:%M:%S) $T: END_EPOCH reached ($cpu CPU s; last find ${age} CPU s ago, last new edge ${edge_age})" >&2
      break
    fi
    if [ "$cpu" -ge "$budget" ]; then
      echo "$(date -u +%H:%M:%S) $T: budget over ($cpu CPU s; last find ${age} CPU s ago, last new edge ${edge_age})" >&2
      break
    fi
    [ -f "$stats" ] || continue
    if [ "$mark" != "$prev_mark" ]; then
      prev_mark=$mark
      cpu_at_find=$cpu
    fi
    age=$((cpu - cpu_at_find))
    edges=$(for name in $names; do find "$OUT/$T/$name/queue" -maxdepth 1 -name '*+cov*' ! -name '*sync:*'; done 2> /dev/null | wc -l)
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
  if [ -z "$afl_pids" ]; then
    afl_pids=$(for cargo_pid in $cargo_pids; do pgrep -x afl-fuzz -P "$(pgrep -P "$cargo_pid" | tr '\n' ,)0"; done)
  fi
  for p in $afl_pids; do kill -INT "$p" 2> /dev/null; done
  for cargo_pid in $cargo_pids; do wait "$cargo_pid"; done
  end=$(date +%s)
  sum_of() { for name in $names; do stat_of "$OUT/$T/$name/fuzzer_stats" "$1"; done | awk '{ s += $1 } END { print s + 0 }'; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$T" $((end - start)) "$cpu" "$paused" \
    "$(sum_of execs_done)" "$(sum_of execs_per_sec)" "$(stat_of "$stats" corpus_count)" \
    "$age" "$sat" "$(sum_of saved_crashes)" "$(sum_of saved_hangs)" "$edge_age" >> "$OUT/summary.tsv"
done
