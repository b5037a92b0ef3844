//! A runtime with the record registry, the consent pallet, balances, a clock and a stand-in
//! for the consortium's organisations, to test the consent pallet in.

use crate as pallet_consent;

include!("../../common/health_test_runtime.rs");
