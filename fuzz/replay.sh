#!/usr/bin/env bash
# Replays every file of a directory through the release builds, as a user would run them.
#
#   fuzz/replay.sh TARGET DIR
#
# json: `nianbao validate`; html, text, pdf, docx, xlsx: `nianbao import --from TARGET`; export: the
# fuzz target itself (fuzz/target/release/export), which exports the fuzzed report and must succeed.
# A file is bad when nianbao exits above 2 (its documented codes: 0 valid, 1 invalid, 2 unreadable),
# panics, or takes more than 20 s; export's are bad on any non-zero exit. Prints each bad file and
# "TARGET: N files, K bad"; exits 1 when K > 0, 2 when it cannot run.
# Needs `cargo build --release` (for ../target/release/nianbao) and, for export, the fuzz build.
set -u
T=${1:?target} D=${2:?directory}
here=$(cd "$(dirname "$0")" && pwd)
nianbao=$here/../target/release/nianbao
export_target=$here/target/release/export
if [ "$T" = export ]; then
  [ -x "$export_target" ] || { echo "replay.sh: no $export_target; run: cd fuzz && cargo afl build --release" >&2; exit 2; }
else
  [ -x "$nianbao" ] || { echo "replay.sh: no $nianbao; run: cargo build --release" >&2; exit 2; }
fi
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
n=0 bad=0
for f in "$D"/*; do
  [ -f "$f" ] || continue
  n=$((n + 1))
  case $T in
    export)
      timeout 20 "$export_target" < "$f" > "$tmp/log" 2>&1
      rc=$?
      [ $rc -eq 0 ] || { echo "bad (exit $rc): $f"; bad=$((bad + 1)); }
      continue
      ;;
    json)
      cp "$f" "$tmp/in.json"
      timeout 20 "$nianbao" validate "$tmp/in.json" > "$tmp/log" 2>&1
      rc=$?
      ;;
    *)
      cp "$f" "$tmp/in.$T"
      timeout 20 "$nianbao" import "$tmp/in.$T" --from "$T" -o "$tmp/out.json" > "$tmp/log" 2>&1
      rc=$?
      ;;
  esac
  if [ $rc -gt 2 ] || grep -q panicked "$tmp/log"; then
    echo "bad (exit $rc): $f"
    bad=$((bad + 1))
  fi
done
echo "$T: $n files, $bad bad"
[ $bad -eq 0 ]
