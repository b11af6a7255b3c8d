#!/usr/bin/env bash
# Prints where the Temporal server, its SQL tool and its PostgreSQL schemas are, at the server
# version docker-compose.yml pins, building them with `go install` if they are not cached yet.
#
# Everything lives under .cache/temporal-server/v<version>/ (ignored by git): the binaries in bin/,
# and Go's module and build caches, so a rebuild is incremental and the schemas (which ship in the
# server's module) are at a known path.
# Progress goes to stderr; stdout carries only three lines, each NAME=path:
#   TEMPORAL_SERVER, TEMPORAL_SQL_TOOL, TEMPORAL_SCHEMA_DIR
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="v$(sed -n 's|^ *image: temporalio/server:\([0-9.]*\)$|\1|p' "$ROOT/docker-compose.yml")"
[ "$VERSION" != "v" ] || { echo "[temporal-server] no temporalio/server image in docker-compose.yml" >&2; exit 1; }
CACHE="${TEMPORAL_SERVER_CACHE:-$ROOT/.cache/temporal-server}/$VERSION"
MODULE=go.temporal.io/server

export GOMODCACHE="$CACHE/gomod"
export GOCACHE="$CACHE/gobuild"
# -modcacherw: Go makes its module cache read-only, which would stop `rm -rf .cache` from working.
export GOFLAGS="-modcacherw -trimpath -buildvcs=false"

server="$CACHE/bin/temporal-server"
sql_tool="$CACHE/bin/temporal-sql-tool"
schema_dir="$GOMODCACHE/$MODULE@$VERSION/schema/postgresql/v12"

say() { echo "[temporal-server] $*" >&2; }

built() { [ -x "$server" ] && [ -x "$sql_tool" ] && [ -d "$schema_dir" ]; }

build() {
  command -v go >/dev/null || { say "no go toolchain found (https://go.dev/dl/)"; return 1; }
  local log="$CACHE/go-install.log" started
  started=$(date +%s)
  say "building the Temporal server $VERSION and temporal-sql-tool with go install (a few minutes the first time)"
  mkdir -p "$CACHE/bin"
  install() { GOBIN="$CACHE/go-bin" go install "$MODULE/cmd/server@$VERSION" "$MODULE/cmd/tools/sql@$VERSION" >"$log" 2>&1; }
  if ! install; then
    grep -q "verifying" "$log" || { say "go install failed; see $log"; return 1; }
    # As in scripts/temporal-cli.sh: the modules still come from the module proxy, but unverified.
    say "the Go checksum database cannot be reached; retrying with GOSUMDB=off (module hashes are not checked against it)"
    GOSUMDB=off install || { say "go install failed; see $log"; return 1; }
  fi
  mv "$CACHE/go-bin/server" "$server"
  mv "$CACHE/go-bin/sql" "$sql_tool"
  say "built in $(($(date +%s) - started))s"
}

built || build
built || { say "the build left no binaries or no schema under $CACHE"; exit 1; }
echo "TEMPORAL_SERVER=$server"
echo "TEMPORAL_SQL_TOOL=$sql_tool"
echo "TEMPORAL_SCHEMA_DIR=$schema_dir"
