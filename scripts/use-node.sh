# Sourced from the project's root (`. scripts/use-node.sh`) by the npm scripts, .ci/run and
# scripts/bootstrap.sh: puts the pinned Node (scripts/node.sh) first on the PATH, so npm, node,
# tsc and jest all run on it, and has node-gyp build native modules against that Node's own headers.
node_bin="$(bash scripts/node.sh)" || return 1
case ":$PATH:" in
  ":$node_bin:"*) ;;
  *) PATH="$node_bin:$PATH" ;;
esac
# Official builds keep their headers beside bin/; without them node-gyp would download headers, or
# use those of another Node that the user's npm config names (nodedir).
if [ -f "$node_bin/../include/node/common.gypi" ]; then
  npm_config_nodedir="$(cd "$node_bin/.." && pwd)"
  export npm_config_nodedir
fi
export PATH
