//! The runtime's `DbWeight`: the cost of one storage read and one write in ParityDB, the node's
//! only database, measured by `benchmark storage` on a state snapshot as large as a
//! consortium's after many records (`scripts/benchmark-storage.sh`). Generated: do not edit.
//!
//! DATE: 2026-11-28 (Y/M/D), HOSTNAME: `vm`, CPU: `AMD EPYC`
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
//!   /tmp/tmp.HuoXGlKQNo/snapshot.json
//!   --base-path
//!   /tmp/tmp.HuoXGlKQNo/db
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
//!   /tmp/tmp.HuoXGlKQNo

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
		// - min 1_002, max 4_050_254
		// - average 8_088, median 7_611, std-dev 6079.65
		// - 99th percentile 19_138, 95th 10_115, 75th 8_462
		read: 11_127 * constants::WEIGHT_REF_TIME_PER_NANOS,

		// Time to write one storage item, with its share of a batch's state root update and
		// commit: the *P95Percentile* over batches, times `1.1`, plus `0`.
		//
		// Nanoseconds per key:
		// - min 17_384, max 81_123
		// - average 31_422, median 30_301, std-dev 6260.59
		// - 99th percentile 62_317, 95th 38_888, 75th 32_918
		write: 42_777 * constants::WEIGHT_REF_TIME_PER_NANOS,
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
