#!/usr/bin/env bash
# The whole test suite: pallet, PoW and runtime unit tests, the node's end-to-end test, and the
# @polkadot/api flows of e2e/ against a running dev node, all in the release profile so one build
# serves tests and the node. Ends with one line totalling every test's results.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
scripts/setup.sh
cargo fmt --all -- --check
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
cargo test --release --workspace --no-fail-fast 2>&1 | tee "$log" || status=$?
# The flows use the node binary the tests above built.
(cd e2e && npm test) 2>&1 | tee -a "$log" || status=$?
awk '/^test result:/ { passed += $4; failed += $6 }
	/^# pass / { passed += $3 } /^# fail / { failed += $3 }
	END { printf "tests: %d passed, %d failed\n", passed, failed }' "$log"
exit "$status"
