#!/usr/bin/env bash
# Remakes .cargo/text-order.txt, the order in which .cargo/link-static lays out the functions of the
# `nianbao` executable: the functions that the common commands below run, each command adding the
# ones not yet listed, in the order callgrind lists them, so the code of the quick commands (start,
# validate, HTML export, HTML import) comes first and is not interleaved with the rest.
#
#   .cargo/text-order.sh [NIANBAO]      (default target/release/nianbao; needs valgrind)
#
# Rerun it after large changes to which code these commands run, then rebuild. A stale list is
# not wrong, it only lays out less well. Each line is a symbol as linked here and its size;
# link-static matches a name whose hash differs in another build by its hashless stem and size.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/nianbao}
command -v valgrind > /dev/null || { echo "text-order.sh: needs valgrind" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
i=0
while IFS= read -r cmd; do
  i=$((i + 1))
  # shellcheck disable=SC2086 # the command line is split on purpose
  valgrind --tool=callgrind --demangle=no --compress-strings=no \
    --callgrind-out-file="$work/$i.out" "$bin" $cmd > /dev/null 2>&1 || true
  [ -s "$work/$i.out" ] || { echo "text-order.sh: callgrind failed on: $cmd" >&2; exit 1; }
done << COMMANDS
--version
validate examples/potou-2023.json --quiet
export examples/potou-2023.json --to html --quiet -o $work/o.html
import tests/fixtures/import/pingtan_2023.html -o $work/o1.json
import tests/fixtures/import/shuyang_fgj_2023.html -o $work/o2.json
import tests/fixtures/import/pingtan_2019.txt -o $work/o3.json
export examples/potou-2023.json --to docx --quiet -o $work/o.docx
export examples/potou-2023.json --to xlsx --quiet -o $work/o.xlsx
export examples/potou-2023.json --to pdf --quiet -o $work/o.pdf
import tests/fixtures/import/hongze_2023.pdf -o $work/o4.json
import tests/fixtures/import/template_wps_2021.docx -o $work/o5.json
diff tests/fixtures/reports/pingtan_2023.json tests/fixtures/reports/pingtan_2024_e6.json --to pdf,docx,xlsx,html --out-dir $work/d
COMMANDS
# Every function with a cost (fn=) or called (cfn=), first appearance first. Under valgrind glibc
# picks its AVX2/SSE string functions; the AVX-512/EVEX ones a real CPU may pick follow them.
for j in $(seq 1 "$i"); do
  sed -n 's/^c\{0,1\}fn=//p' "$work/$j.out"
done | awk '
  /^0x/ { next }
  {
    emit($0)
    s = $0
    if (s ~ /_avx2/) { t = s; sub(/_avx2/, "_evex", t); emit(t); t = s; sub(/_avx2/, "_avx512", t); emit(t) }
    if (s ~ /_avx_unaligned_erms/) {
      t = s; sub(/_avx_/, "_avx512_", t); emit(t); t = s; sub(/_avx_/, "_evex_", t); emit(t)
    }
    if (s ~ /_sse(2|42)/) { t = s; sub(/_sse(2|42)/, "_evex", t); emit(t); t = s; sub(/_sse(2|42)/, "_avx2", t); emit(t) }
  }
  function emit(x) { if (!(x in seen)) { seen[x] = 1; print x } }
' > "$work/names"
# Each name with its size in this executable (nm), by which link-static tells apart the instances
# of a generic function when the hash differs.
nm -P --defined-only "$bin" | awk 'NR == FNR { size[$1] = $4; next } { print ($1 in size && size[$1] != "") ? $1 " " size[$1] : $1 }' - "$work/names" > .cargo/text-order.txt
echo "text-order.sh: $(wc -l < .cargo/text-order.txt) functions in .cargo/text-order.txt"
