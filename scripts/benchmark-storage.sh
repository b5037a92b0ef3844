#!/usr/bin/env bash
# Measures what one storage read and one write cost in ParityDB (the node's only database) on a
# state snapshot as large as a consortium's after many records, and writes the runtime's
# `DbWeight` to runtime/src/weights/paritydb_weights.rs. Every pallet weight's database part is
# counted with it. Builds medchain-node with the `runtime-benchmarks` feature first. Needs about
# 3 GB of disk and 5 GB of memory at the default size.
# Usage: scripts/benchmark-storage.sh [records=150000]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
node="$(build_benchmark_node)"
records="${1:-150000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$node" build-spec --chain dev --raw > "$work/dev.json"
(cd e2e && node bench/storage-snapshot.js "$work/dev.json" "$work/snapshot.json" "$records")
# What the figures leave out, and why the 95th percentile (plus 10 %) is taken rather than the
# average:
# - the cost grows with the state (with random keys the average write went 10 -> 19 -> 26 µs
#   from 27,000 to 360,000 to 1.35 million keys); the 95th percentile now stands for the
#   average at a few times today's size;
# - the snapshot is read back from the page cache it was just written through, and ParityDB
#   commits asynchronously, so reads and commits are as cheap here as they ever are.
# In the other direction, the trie cache is off (a node has 1 GiB) and the proof recorder on (a
# solochain never records proofs): headroom. Writes are timed in batches of 1,000 keys, fewer
# than a full block writes (~15,000), so each pays a larger share of the root update than in a
# full block.
"$node" benchmark storage --chain "$work/snapshot.json" --base-path "$work/db" \
	--database paritydb --state-version 1 --batch-size 1000 --metric p95 --mul 1.1 \
	--template-path scripts/storage-weight-template.hbs --weight-path "$work"
mv "$work/paritydb_weights.rs" runtime/src/weights/paritydb_weights.rs
