//! Weights of the upstream pallets whose costs every transaction or block pays, measured on
//! this runtime and machine by `scripts/benchmark-pallets.sh`, instead of the figures upstream
//! measured for its own node; and the database weights every pallet's weights count reads and
//! writes with ([`ParityDbWeight`]), measured by `scripts/benchmark-storage.sh`.
//!
//! Known over-charges, both kept on purpose:
//! - [`ExtrinsicBaseWeight`] is measured as upstream measures it, on a signed `system.remark`:
//!   it includes checking the signature and running the transaction extensions, whose own
//!   weights ([`frame_system_extensions`], [`pallet_transaction_payment`]) are charged on top.
//!   Up to their measured compute (about 100 µs) is counted twice, as on every chain that
//!   follows upstream, so figures stay comparable with theirs.
//! - [`pallet_timestamp`]'s `set` includes the difficulty adjustment's read and write of its
//!   last timestamp, which `pallet_difficulty` also charges in `on_initialize`: one read and
//!   one write per block.

pub use block_weights::BlockExecutionWeight;
pub use extrinsic_weights::ExtrinsicBaseWeight;
pub use paritydb_weights::ParityDbWeight;

pub mod block_weights;
pub mod extrinsic_weights;
pub mod frame_system_extensions;
pub mod pallet_balances;
pub mod pallet_timestamp;
pub mod pallet_transaction_payment;
pub mod paritydb_weights;
