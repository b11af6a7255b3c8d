#!/usr/bin/env bash
# Prints the bin folder of a Node that satisfies the pinned version (.nvmrc: the same major, no
# older), installing the pinned one if there is none.
#
# Resolution order:
#   1. `node` on the PATH, if it satisfies the pin (no download for a machine that has it)
#   2. the project-local cache (.cache/node/<version>, ignored by git)
#   3. install the pinned version into that cache from the npm package node-<os>-<arch>
#      (Node's official binary and headers; it carries no npm, so npm stays the machine's)
# Progress goes to stderr; stdout carries only the folder, so callers can do PATH="$(bash scripts/node.sh):$PATH".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PINNED="$(tr -d '[:space:]' <"$ROOT/.nvmrc")"
CACHE="$ROOT/.cache/node/$PINNED"

say() { echo "[node] $*" >&2; }

# True when the node binary $1 runs and is $PINNED's major at $PINNED or later.
satisfies() {
  local version
  version="$("$1" -p 'process.versions.node' 2>/dev/null)" || return 1
  [ "${version%%.*}" = "${PINNED%%.*}" ] &&
    [ "$(printf '%s\n%s\n' "$PINNED" "$version" | sort -V | head -n1)" = "$PINNED" ]
}

if on_path="$(command -v node 2>/dev/null)" && satisfies "$on_path"; then
  dirname "$on_path"; exit 0
fi

if satisfies "$CACHE/bin/node"; then
  echo "$CACHE/bin"; exit 0
fi

case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) say "no Node package for $(uname -s)"; exit 1 ;; esac
case "$(uname -m)" in x86_64 | amd64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) say "no Node package for $(uname -m)"; exit 1 ;; esac
package="node-$os-$arch@$PINNED"

say "$(command -v node >/dev/null && node --version || echo 'no node') on the PATH; installing Node $PINNED ($package from the npm registry) into $CACHE"
mkdir -p "$(dirname "$CACHE")"
download="$(mktemp -d "$CACHE.download.XXXXXX")"
trap 'rm -rf "$download"' EXIT
tarball="$(cd "$download" && npm pack --silent "$package")"
tar -xzf "$download/$tarball" -C "$download"
# Unpacked beside the cache and moved into place whole, so an interrupted install leaves no half a Node.
rm -rf "$CACHE"
mv "$download/package" "$CACHE"
satisfies "$CACHE/bin/node" || { say "the installed $CACHE/bin/node does not run"; exit 1; }
echo "$CACHE/bin"
