#!/usr/bin/env bash
# Regenerates pallets/*/src/weights.rs from the pallets' benchmarks, run on the Wasm runtime
# of the dev chain. Builds medchain-node with the `runtime-benchmarks` feature first (a long,
# separate build: every FRAME crate is rebuilt with benchmarks compiled in).
# Usage: scripts/benchmark-pallets.sh [pallet ...]   (default: all of ours)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
scripts/setup.sh
# frame-benchmarking-cli brings a test runtime whose Wasm build cannot find itself in this
# workspace's metadata; without the hint each Wasm project resolves its own dependencies.
WASM_BUILD_WORKSPACE_HINT=/nonexistent cargo build --release -p medchain-node --features runtime-benchmarks
node="$CARGO_TARGET_DIR/release/medchain-node"

pallets=("$@")
[ ${#pallets[@]} -gt 0 ] || pallets=(consortium difficulty records consent supply_chain pinning)
for pallet in "${pallets[@]}"; do
	"$node" benchmark pallet --chain dev --pallet "pallet_${pallet}" --extrinsic '*' \
		--wasm-execution compiled --steps 50 --repeat 20 \
		--template scripts/frame-weight-template.hbs \
		--output "pallets/${pallet//_/-}/src/weights.rs"
done
