#!/usr/bin/env bash
# Makes a fresh clone runnable: node modules, the Temporal CLI, the compiled code and the
# workflow bundle. Cheap when everything is already there; `npm start` and `npm test` run it first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[bootstrap] installing node modules"
  # npm install rather than npm ci: see .ci/run.
  npm install --no-audit --no-fund
fi
echo "[bootstrap] Temporal CLI: $(bash scripts/temporal-cli.sh)"
echo "[bootstrap] building (TypeScript, then the workflow bundle)"
npm run --silent build
