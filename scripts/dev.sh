#!/usr/bin/env bash
# Builds and runs a development node: Alice seals blocks, state is thrown away on exit.
# Extra arguments go to the node, e.g. `scripts/dev.sh --mining-threads 2`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
scripts/setup.sh
cargo build --release -p medchain-node
exec "$CARGO_TARGET_DIR/release/medchain-node" --dev --tmp "$@"
