#!/usr/bin/env bash
# Regenerates pallets/*/src/weights.rs and runtime/src/weights/ from benchmarks run on the Wasm
# runtime of the dev chain. Builds medchain-node with the `runtime-benchmarks` feature first.
# Usage: scripts/benchmark-pallets.sh [pallet ...]   (default: all of them; ours by short
# name, e.g. records, upstream ones by full name, e.g. pallet_balances)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
node="$(build_benchmark_node)"

# Ours write pallets/*/src/weights.rs with our template. The upstream pallets whose costs every
# transaction pays (the transaction extensions, fees, the transfer users compare against, the
# timestamp inherent) are measured on this runtime too, into runtime/src/weights/ with the
# CLI's default template; `overhead`, the base weights of a block and of an extrinsic (a signed
# remark), into runtime/src/weights/{block,extrinsic}_weights.rs.
ours=(consortium difficulty records consent supply_chain pinning)
upstream=(frame_system_extensions pallet_transaction_payment pallet_balances pallet_timestamp)
selected=("$@")
[ ${#selected[@]} -gt 0 ] || selected=("${ours[@]}" "${upstream[@]}" overhead)
# Median slopes, not the CLI's default least squares: on a shared VM a burst of noise at a few
# component values can tilt the least-squares line (stop 25 measured records.register at a
# 1,093 us intercept against 271-309 us runs), while the median of the slopes between
# measured points ignores such outliers.
analysis=(--output-analysis median-slopes)
for name in "${selected[@]}"; do
	common=(--chain dev --extrinsic '*' --wasm-execution compiled --steps 50 --repeat 20
		"${analysis[@]}")
	if [ "$name" = overhead ]; then
		"$node" benchmark overhead --chain dev --wasm-execution compiled \
			--weight-path runtime/src/weights
		# The runtime reaches these crates through frame_support.
		sed -i -e 's/^use sp_core::parameter_types;/use frame_support::parameter_types;/' \
			-e 's/sp_weights::/frame_support::weights::/g' \
			runtime/src/weights/block_weights.rs runtime/src/weights/extrinsic_weights.rs
	elif [[ " ${upstream[*]} " == *" $name "* ]]; then
		output="runtime/src/weights/${name}.rs"
		"$node" benchmark pallet "${common[@]}" --pallet "$name" --output "$output"
		# The CLI names the trait after the benchmarked pallet; the extensions' lives in
		# frame_system.
		if [ "$name" = frame_system_extensions ]; then
			sed -i 's/frame_system_extensions::WeightInfo/frame_system::ExtensionsWeightInfo/' "$output"
		fi
	else
		"$node" benchmark pallet "${common[@]}" --pallet "pallet_${name}" \
			--template scripts/frame-weight-template.hbs \
			--output "pallets/${name//_/-}/src/weights.rs"
	fi
done
