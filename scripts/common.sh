# Sourced by the scripts: one target directory outside the checkout, shared by every
# build, test and CI run, so a rebuild after a small change is incremental.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/medchain-target}"

# Builds medchain-node with the `runtime-benchmarks` feature (a long, separate build: every
# FRAME crate is rebuilt with benchmarks compiled in) and prints the binary's path. Each step
# returns on failure itself: `set -e` does not reach into `$(…)`.
build_benchmark_node() {
	scripts/setup.sh >&2 || return
	# frame-benchmarking-cli brings a test runtime whose Wasm build cannot find itself in this
	# workspace's metadata; without the hint each Wasm project resolves its own dependencies.
	WASM_BUILD_WORKSPACE_HINT=/nonexistent cargo build --release -p medchain-node \
		--features runtime-benchmarks >&2 || return
	echo "$CARGO_TARGET_DIR/release/medchain-node"
}
