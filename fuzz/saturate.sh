#!/usr/bin/env bash
# Runs AFL++ targets one at a time, each until it saturates or its time budget ends.
#
#   fuzz/saturate.sh END_EPOCH OUTROOT TARGET...
#
# END_EPOCH: Unix time by which every listed target must be done. The budget of each target is
#   (END_EPOCH - now) / (targets left) times its weight below, recomputed when it starts, so time a
#   saturated target leaves over goes to the next ones.
# Saturated: AFL's `last_find` (out/T/default/fuzzer_stats) is 10 minutes old (600 s, SAT_SECS), or
#   pending_favs is 0 and nothing was found for 10 minutes. Time during which afl-fuzz is stopped
#   (SIGSTOP, e.g. while benchmarks are measured) does not count towards the age of the last find.
# Writes OUTROOT/T/default/... (AFL's output) and a line per target to OUTROOT/summary.tsv:
#   target, wall s, active s, paused s, execs, execs/s, corpus_count, last_find age s (active), saturated, crashes, hangs
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
mkdir -p "$OUT"
left=$#
for T in "$@"; do
  now=$(date +%s)
  budget=$(awk -v e="$END" -v n="$now" -v l="$left" -v w="$(weight "$T")" 'BEGIN { b = int((e - n) / l * w); if (b > e - n) b = e - n; print b }')
  left=$((left - 1))
  if [ "$budget" -lt 60 ]; then
    echo "$T: no time left ($budget s), skipped" >&2
    continue
  fi
  echo "$(date -u +%H:%M:%S) $T: budget $budget s" >&2
  rm -rf "${OUT:?}/$T"
  AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
    cargo afl fuzz -t 2000 -i "corpus/$T" -o "$OUT/$T" "target/release/$T" > "$OUT/$T.log" 2>&1 &
  cargo_pid=$!
  stats="$OUT/$T/default/fuzzer_stats"
  start=$(date +%s)
  paused=0 paused_at_find=0 prev_find="" age=0 sat=no afl_pid=""
  while kill -0 "$cargo_pid" 2> /dev/null; do
    sleep "$POLL"
    now=$(date +%s)
    [ -f "$stats" ] && afl_pid=$(stat_of "$stats" fuzzer_pid)
    state=$(awk '{ print $3 }' "/proc/$afl_pid/stat" 2> /dev/null)
    if [ "$state" = T ]; then
      paused=$((paused + POLL))
      continue
    fi
    if [ $((now - start - paused)) -ge "$budget" ]; then
      echo "$(date -u +%H:%M:%S) $T: budget over (last find ${age} s ago)" >&2
      break
    fi
    [ -f "$stats" ] || continue
    find=$(stat_of "$stats" last_find)
    [ "$find" = 0 ] && find=$(stat_of "$stats" start_time)
    if [ "$find" != "$prev_find" ]; then
      prev_find=$find
      paused_at_find=$paused
    fi
    age=$((now - find - (paused - paused_at_find)))
    favs=$(stat_of "$stats" pending_favs)
    if [ "$age" -ge "$SAT" ]; then
      sat=yes
      [ "$favs" = 0 ] && sat="yes (pending_favs 0)"
      echo "$(date -u +%H:%M:%S) $T: saturated (last find ${age} s ago, pending_favs $favs)" >&2
      break
    fi
  done
  # afl-fuzz is a child of cargo-afl, a child of cargo: stop it by its pid (it then writes its stats).
  [ -n "$afl_pid" ] || afl_pid=$(pgrep -x afl-fuzz -P "$(pgrep -P "$cargo_pid" | tr '\n' ,)0")
  [ -n "$afl_pid" ] && kill -INT $afl_pid 2> /dev/null
  wait "$cargo_pid"
  end=$(date +%s)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$T" $((end - start)) $((end - start - paused)) "$paused" \
    "$(stat_of "$stats" execs_done)" "$(stat_of "$stats" execs_per_sec)" "$(stat_of "$stats" corpus_count)" \
    "$age" "$sat" "$(stat_of "$stats" saved_crashes)" "$(stat_of "$stats" saved_hangs)" >> "$OUT/summary.tsv"
done
