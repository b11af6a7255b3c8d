#!/usr/bin/env bash
# Installs the node modules when they are missing or older than package-lock.json, and rebuilds the
# native ones (better-sqlite3) when they were built for another Node ABI than the `node` on the PATH.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

abi="$(node -p process.versions.modules)"
stamp=node_modules/.node-abi

if [ -d node_modules ] && [ "$(cat "$stamp" 2>/dev/null)" != "$abi" ]; then
  echo "[node-modules] rebuilding native modules for Node $(node --version) (ABI $abi, they were built for ABI $(cat "$stamp" 2>/dev/null || echo unknown))"
  npm rebuild
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[node-modules] installing node modules on Node $(node --version)"
  # npm ci: exactly the versions package-lock.json pins, or a clear failure if it and package.json disagree.
  npm ci --no-audit --no-fund
fi
echo "$abi" >"$stamp"
