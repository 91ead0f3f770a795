#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine (poppler, qpdf, LibreOffice, the Python
# readers in a private venv), then runs the whole test suite. Safe to run again: every step
# checks first. The tests require these tools when NIANBAO_REQUIRE_TOOLS=1 (set here), so a
# missing tool fails the run instead of skipping checks silently.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
command -v qpdf >/dev/null || need_apt+=(qpdf)
command -v soffice >/dev/null || need_apt+=(libreoffice-writer-nogui libreoffice-calc-nogui)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

VENV="${NIANBAO_VENV:-$PWD/target/test-venv}"
if [ ! -x "$VENV/bin/python" ]; then
  echo "== creating Python venv $VENV"
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -r tests/requirements.txt

export NIANBAO_PYTHON="$VENV/bin/python"
export NIANBAO_REQUIRE_TOOLS=1
cargo build --release --quiet
cargo test --release
