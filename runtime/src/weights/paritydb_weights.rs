//! The runtime's `DbWeight`: the cost of one storage read and one write in ParityDB, the node's
//! only database, measured by `benchmark storage` on a state snapshot as large as a
//! consortium's after many records (`scripts/benchmark-storage.sh`). Generated: do not edit.
//!
//! DATE: 2026-11-29 (Y/M/D), HOSTNAME: `vm`, CPU: `Intel(R) Xeon(R) Processor`
//! SNAPSHOT: `MedChain Development (storage snapshot, 150000 records)`, block Number(0)
//! DATABASE: `ParityDb`, STATE-VERSION: `V1`, WARMUPS: 1
//! MODE: `ImportBlock`, WRITE-BATCH: 1000 keys, TRIE-CACHE: `false`,
//! POV-RECORDER-OFF: `false`
//! METRIC: `P95Percentile`, MUL: `1.1`, ADD: `0`
//!
//! Executed command:
//!   /root/.cache/medchain-target/release/medchain-node
//!   benchmark
//!   storage
//!   --chain
//!   /tmp/tmp.sSJbKlqUxB/snapshot.json
//!   --base-path
//!   /tmp/tmp.sSJbKlqUxB/db
//!   --database
//!   paritydb
//!   --state-version
//!   1
//!   --batch-size
//!   1000
//!   --metric
//!   p95
//!   --mul
//!   1.1
//!   --template-path
//!   scripts/storage-weight-template.hbs
//!   --weight-path
//!   /tmp/tmp.sSJbKlqUxB

use frame_support::{
	parameter_types,
	weights::{constants, RuntimeDbWeight},
};

parameter_types! {
	/// The cost of a storage read and of a storage write in ParityDB, as measured.
	pub const ParityDbWeight: RuntimeDbWeight = RuntimeDbWeight {
		// Time to read one storage item: the *P95Percentile* over every
		// key, times `1.1`, plus `0`.
		//
		// Nanoseconds:
		// - min 1_123, max 20_763_068
		// - average 11_951, median 10_144, std-dev 23550.24
		// - 99th percentile 58_779, 95th 16_941, 75th 12_454
		read: 18_636 * constants::WEIGHT_REF_TIME_PER_NANOS,

		// Time to write one storage item, with its share of a batch's state root update and
		// commit: the *P95Percentile* over batches, times `1.1`, plus `0`.
		//
		// Nanoseconds per key:
		// - min 33_738, max 199_561
		// - average 48_071, median 45_650, std-dev 16028.58
		// - 99th percentile 140_207, 95th 62_185, 75th 51_296
		write: 68_404 * constants::WEIGHT_REF_TIME_PER_NANOS,
	};
}

#[cfg(test)]
mod tests {
	use super::ParityDbWeight;
	use frame_support::weights::constants;

	/// A measurement gone wrong (a cold disk, a busy machine) shows up here, not as fees.
	#[test]
	fn weights_are_within_sane_bounds() {
		let weight = ParityDbWeight::get();
		for (what, one) in [("read", weight.reads(1)), ("write", weight.writes(1))] {
			assert!(one.ref_time() >= constants::WEIGHT_REF_TIME_PER_MICROS, "{what} under 1 µs");
			assert!(one.ref_time() <= constants::WEIGHT_REF_TIME_PER_MILLIS, "{what} over 1 ms");
		}
		assert!(weight.writes(1).ref_time() >= weight.reads(1).ref_time(), "a write is no cheaper");
	}
}
