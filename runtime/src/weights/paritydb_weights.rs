//! The runtime's `DbWeight`: the cost of one storage read and one write in ParityDB, the node's
//! only database, measured by `benchmark storage` on a state snapshot as large as a
//! consortium's after many records (`scripts/benchmark-storage.sh`). Generated: do not edit.
//!
//! DATE: 2026-11-28 (Y/M/D), HOSTNAME: `vm`, CPU: `Intel(R) Xeon(R) Processor`
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
//!   /tmp/tmp.KoDF99tBee/snapshot.json
//!   --base-path
//!   /tmp/tmp.KoDF99tBee/db
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
//!   /tmp/tmp.KoDF99tBee

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
		// - min 1_199, max 6_523_548
		// - average 12_955, median 11_584, std-dev 19464.11
		// - 99th percentile 56_871, 95th 16_979, 75th 13_647
		read: 18_677 * constants::WEIGHT_REF_TIME_PER_NANOS,

		// Time to write one storage item, with its share of a batch's state root update and
		// commit: the *P95Percentile* over batches, times `1.1`, plus `0`.
		//
		// Nanoseconds per key:
		// - min 24_894, max 187_915
		// - average 51_695, median 49_866, std-dev 14824.8
		// - 99th percentile 138_604, 95th 67_137, 75th 54_550
		write: 73_851 * constants::WEIGHT_REF_TIME_PER_NANOS,
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
