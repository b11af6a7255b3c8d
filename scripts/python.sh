#!/usr/bin/env bash
# Prints the path of the fraud service's Python, making its virtualenv (.cache/python/venv) first if
# it is missing or older than services/fraud/pyproject.toml. Cheap when it is up to date; bootstrap and
# CI run it. Progress goes to stderr; stdout carries only the path.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${FRAUD_VENV:-$ROOT/.cache/python/venv}"
PROJECT="$ROOT/services/fraud"
STAMP="$VENV/.installed"

say() { echo "[python] $*" >&2; }

if [ -f "$STAMP" ] && [ "$STAMP" -nt "$PROJECT/pyproject.toml" ] && "$VENV/bin/python" -c 'import fraud' 2>/dev/null; then
  echo "$VENV/bin/python"; exit 0
fi

PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      PYTHON="$candidate"; break
    fi
  done
fi
[ -n "$PYTHON" ] || { say "no Python 3.11 or newer on the PATH (set PYTHON)"; exit 1; }

say "making $VENV with $("$PYTHON" --version) and installing services/fraud"
mkdir -p "$(dirname "$VENV")"
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --editable "$PROJECT[dev]" >&2
touch "$STAMP"
echo "$VENV/bin/python"
