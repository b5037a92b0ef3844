//! The deposit every MedChain pallet holds for the storage a user's entry occupies.

use codec::{Decode, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Funds held from `depositor` while a piece of state exists, returned when it is freed.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Deposit<AccountId, Balance> {
	/// The account the funds are held from and returned to.
	pub depositor: AccountId,
	/// The amount held.
	pub amount: Balance,
}
