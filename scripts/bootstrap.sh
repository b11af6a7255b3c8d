#!/usr/bin/env bash
# Makes a fresh clone runnable: the pinned Node, node modules built for it, the Temporal CLI, the
# fraud worker's Python virtualenv, the compiled code and the workflow bundle. Cheap when everything
# is already there; `npm start` and `npm test` run it first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

. scripts/use-node.sh
echo "[bootstrap] Node $(node --version) ($(command -v node))"
bash scripts/node-modules.sh
echo "[bootstrap] Temporal CLI: $(bash scripts/temporal-cli.sh)"
echo "[bootstrap] Python of the fraud worker: $(bash scripts/python.sh)"
echo "[bootstrap] building (TypeScript, then the workflow bundle)"
npm run --silent build
