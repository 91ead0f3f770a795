#!/usr/bin/env bash
# The committed corpora: fuzz/corpus/<target>.tar.xz, one archive per target, holding every input
# needed to keep all the coverage the runs have found so far (each (edge, hit-count bucket) tuple of
# every input any run kept), chosen by pick.py without a byte budget. Compressed together, a target's
# inputs share most of their bytes (xlsx: 729 inputs, 12.6 MB, in 63 KB), so nothing has to be left
# out to keep the repository small, and a new run starts where the last one stopped.
#
#   fuzz/corpus.sh unpack [TARGET...]          corpus/T.tar.xz -> out/corpus/T/ (replaced)
#   fuzz/corpus.sh grow TARGET [QUEUE_DIR...]  out/corpus/T and the queues -> corpus/T.tar.xz
#
# grow: the union of the unpacked corpus and the queues (e.g. out/sat/T/default/queue) through
# pick.py (every tuple kept), every kept file replayed through the release builds (replay.sh: the
# archive is not written if one is bad), then packed reproducibly (names sorted, times and owners
# zeroed, xz -9e on one thread) and unpacked again into out/corpus/T. With no queue it picks the
# archive again, e.g. after a change to the fuzzed code. Needs the fuzz build, ../target/release,
# GNU tar and xz. Targets: json html text pdf docx xlsx export.
set -euo pipefail
cd "$(dirname "$0")"
targets="json html text pdf docx xlsx export"

known() {
  case " $targets " in
    *" $1 "*) ;;
    *) echo "corpus.sh: no target '$1' (targets: $targets)" >&2; exit 2 ;;
  esac
}

unpack() {
  local T=$1
  known "$T"
  [ -f "corpus/$T.tar.xz" ] || { echo "corpus.sh: no corpus/$T.tar.xz" >&2; exit 2; }
  rm -rf "out/corpus/$T"
  mkdir -p out/corpus
  xz -dc "corpus/$T.tar.xz" | tar -x -C out/corpus --no-same-owner --no-same-permissions
  [ -d "out/corpus/$T" ] || { echo "corpus.sh: corpus/$T.tar.xz holds no $T/" >&2; exit 2; }
  echo "$T: $(find "out/corpus/$T" -type f | wc -l) files in out/corpus/$T"
}

grow() {
  local T=$1
  known "$T"
  shift
  [ -d "out/corpus/$T" ] || unpack "$T"
  local work=out/grow/$T
  rm -rf "$work"
  mkdir -p "$work/union"
  for f in "out/corpus/$T"/*; do cp "$f" "$work/union/corpus-$(basename "$f")"; done
  local q=0 f
  for dir in "$@"; do
    [ -d "$dir" ] || { echo "corpus.sh: no directory $dir" >&2; exit 2; }
    q=$((q + 1))
    for f in "$dir"/id:*; do
      if [ -f "$f" ]; then cp "$f" "$work/union/q$q-$(basename "$f" | tr ':,' '__')"; fi
    done
  done
  echo "$T: union of $(ls "$work/union" | wc -l) files"
  echo -n "before: "
  python3 pick.py "$T" "out/corpus/$T" "$work/before"
  echo -n "after:  "
  python3 pick.py "$T" "$work/union" "$work/$T"
  ./replay.sh "$T" "$work/$T"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --mode=a+r,u+w,go-w --format=ustar \
    -C "$work" -cf - "$T" | xz -9e -T1 -c > "corpus/$T.tar.xz.tmp"
  mv "corpus/$T.tar.xz.tmp" "corpus/$T.tar.xz"
  rm -rf "out/corpus/$T"
  mv "$work/$T" "out/corpus/$T"
  rm -rf "$work"
  echo "$T: corpus/$T.tar.xz, $(stat -c %s "corpus/$T.tar.xz") B, $(ls "out/corpus/$T" | wc -l) files, $(cat "out/corpus/$T"/* | wc -c) B unpacked"
}

case ${1:-} in
  unpack)
    shift
    for T in ${@:-$targets}; do unpack "$T"; done
    ;;
  grow)
    shift
    [ $# -ge 1 ] || { echo "usage: fuzz/corpus.sh grow TARGET [QUEUE_DIR...]" >&2; exit 2; }
    grow "$@"
    ;;
  *)
    sed -n '2,17s/^# \{0,1\}//p' "$0" >&2
    exit 2
    ;;
esac
