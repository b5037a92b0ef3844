#!/usr/bin/env bash
# The whole test suite: pallet, PoW and runtime unit tests, the node's end-to-end test, the
# @polkadot/api flows of e2e/ against a running dev node, and the zombienet network test (three
# sealers and a full node, flows included), all in the release profile so one build serves tests
# and the node. Ends with one line totalling every test's results; each zombienet assertion
# counts as one test. MEDCHAIN_SKIP_ZOMBIENET=1 leaves the network test out (about 7 minutes).
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
zombienet_log=$(mktemp)
trap 'rm -f "$log" "$zombienet_log"' EXIT
if [ "${MEDCHAIN_SKIP_ZOMBIENET:-0}" != 1 ]; then
	zombienet/run.sh 2>&1 | tee "$zombienet_log" || status=$?
fi
{
	awk '/^test result:/ { passed += $4; failed += $6 }
		/^# pass / { passed += $3 } /^# fail / { failed += $3 }
		END { print passed + 0, failed + 0 }' "$log"
	# The flows zombienet runs print their own totals; count its assertions instead.
	awk '/✅/ { passed += 1 } /❌/ { failed += 1 } END { print passed + 0, failed + 0 }' \
		"$zombienet_log"
} | awk '{ passed += $1; failed += $2 } END { printf "tests: %d passed, %d failed\n", passed, failed }'
exit "$status"
