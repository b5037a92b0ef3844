#!/usr/bin/env bash
# Runs the zombienet tests: three sealers and a full node from the release build of
# medchain-node, on a raw spec of the `local` chain. Usage: zombienet/run.sh [file.zndsl]
set -euo pipefail
cd "$(dirname "$0")"
source ../scripts/common.sh
[ -x "$CARGO_TARGET_DIR/release/medchain-node" ] || (cd .. && cargo build --release -p medchain-node)
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
[ -d ../e2e/node_modules ] || (cd ../e2e && npm ci --no-audit --no-fund --loglevel=error)
work="$(mktemp -d /tmp/medchain-zombienet.XXXXXX)"
trap 'rm -rf "$work"' EXIT
"$CARGO_TARGET_DIR/release/medchain-node" build-spec --chain local --raw 2>/dev/null >"$work/local-raw.json"
export MEDCHAIN_RAW_SPEC="$work/local-raw.json"
export PATH="$CARGO_TARGET_DIR/release:$PATH"
npx zombienet --provider native --dir "$work/network" test "${1:-medchain.zndsl}"
