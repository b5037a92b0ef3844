#!/usr/bin/env bash
# The whole test suite: pallet, PoW and runtime unit tests and the end-to-end test against a
# running dev node, all in the release profile so one build serves tests and the node.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
scripts/setup.sh
cargo fmt --all -- --check
cargo test --release --workspace
