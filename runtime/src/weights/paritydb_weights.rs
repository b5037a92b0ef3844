//! The runtime's `DbWeight`: the cost of one storage read and one write in ParityDB, the node's
//! only database, measured by `benchmark storage` on a state snapshot as large as a
//! consortium's after many records (`scripts/benchmark-storage.sh`). Generated: do not edit.
//!
//! DATE: 2026-11-28 (Y/M/D), HOSTNAME: `vm`, CPU: `AMD EPYC`
//! DATABASE: `ParityDb`, STATE-VERSION: `V1`, WARMUPS: 1
//! WRITE-BATCH: 1000 keys
//! METRIC: `Average`, MUL: `1.1`, ADD: `0`
//!
//! Executed command:
//!   /root/.cache/medchain-target/release/medchain-node
//!   benchmark
//!   storage
//!   --chain
//!   /tmp/tmp.NY7Df2cxat/snapshot.json
//!   --base-path
//!   /tmp/tmp.NY7Df2cxat/db
//!   --database
//!   paritydb
//!   --state-version
//!   1
//!   --batch-size
//!   1000
//!   --metric
//!   average
//!   --mul
//!   1.1
//!   --template-path
//!   scripts/storage-weight-template.hbs
//!   --weight-path
//!   /tmp/tmp.NY7Df2cxat

use frame_support::{
	parameter_types,
	weights::{constants, RuntimeDbWeight},
};

parameter_types! {
	/// The cost of a storage read and of a storage write in ParityDB, as measured.
	pub const ParityDbWeight: RuntimeDbWeight = RuntimeDbWeight {
		// Time to read one storage item: the *Average* over every
		// key, times `1.1`, plus `0`.
		//
		// Nanoseconds:
		// - min 1_022, max 4_055_872
		// - average 7_838, median 7_350, std-dev 6033.33
		// - 99th percentile 18_407, 95th 9_805, 75th 8_092
		read: 8_622 * constants::WEIGHT_REF_TIME_PER_NANOS,

		// Time to write one storage item, with its share of a batch's state root update and
		// commit: the *Average* over batches, times `1.1`, plus `0`.
		//
		// Nanoseconds per key:
		// - min 17_413, max 116_462
		// - average 26_213, median 24_462, std-dev 7732.62
		// - 99th percentile 67_079, 95th 33_003, 75th 26_059
		write: 28_835 * constants::WEIGHT_REF_TIME_PER_NANOS,
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
