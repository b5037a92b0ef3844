#!/usr/bin/env bash
# Measures what one storage read and one write cost in ParityDB (the node's only database) on a
# state snapshot as large as a consortium's after many records, and writes the runtime's
# `DbWeight` to runtime/src/weights/paritydb_weights.rs. Every pallet weight's database part is
# counted with it. Builds medchain-node with the `runtime-benchmarks` feature first, like
# scripts/benchmark-pallets.sh. Needs about 3 GB of disk and 5 GB of memory at the default size.
# Usage: scripts/benchmark-storage.sh [records=150000]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
scripts/setup.sh
WASM_BUILD_WORKSPACE_HINT=/nonexistent cargo build --release -p medchain-node --features runtime-benchmarks
node="$CARGO_TARGET_DIR/release/medchain-node"
records="${1:-150000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$node" build-spec --chain dev --raw > "$work/dev.json" 2>/dev/null
(cd e2e && node bench/storage-snapshot.js "$work/dev.json" "$work/snapshot.json" "$records")
# Writes are measured in batches of 1,000 keys, about what a full block of health-record
# transactions writes: upstream's default (100,000) spreads the state root's update over far
# more writes than a block makes. The average, plus 10 %, as upstream's own runtimes take it.
"$node" benchmark storage --chain "$work/snapshot.json" --base-path "$work/db" \
	--database paritydb --state-version 1 --batch-size 1000 --metric average --mul 1.1 \
	--template-path scripts/storage-weight-template.hbs --weight-path "$work"
mv "$work/paritydb_weights.rs" runtime/src/weights/paritydb_weights.rs
