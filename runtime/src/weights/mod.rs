//! Weights of the upstream pallets whose costs every transaction or block pays, measured on
//! this runtime and machine by `scripts/benchmark-pallets.sh` (with ParityDB's database
//! weights, which the node uses), instead of the figures upstream measured for its own node.

pub use block_weights::BlockExecutionWeight;
pub use extrinsic_weights::ExtrinsicBaseWeight;

pub mod block_weights;
pub mod extrinsic_weights;
pub mod frame_system_extensions;
pub mod pallet_balances;
pub mod pallet_timestamp;
pub mod pallet_transaction_payment;
