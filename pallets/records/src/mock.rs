//! A runtime with the record registry, the consent pallet, balances, a clock and a stand-in
//! for the consortium's organisations, to test the record registry in.

use crate as pallet_records;

include!("../../common/health_test_runtime.rs");
