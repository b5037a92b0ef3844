//! The deposit every MedChain pallet holds for the storage a user's entry occupies.

use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::traits::{fungible::MutateHold, tokens::Precision};
use scale_info::TypeInfo;
use sp_runtime::{traits::Zero, DispatchResult};

/// The storage reads a hold or a release makes from the caller, as the benchmarks count them:
/// the holder's `Balances::Holds` entry. (The caller's account is left out: every extrinsic
/// touches it to pay its fee. A deposit returned to someone else also writes their account;
/// the benchmarks of calls that may do so have someone else pay the deposit.)
pub const HOLD_READS: u64 = 1;
/// The storage writes a hold or a release makes, as the benchmarks count them (see
/// [`HOLD_READS`]).
pub const HOLD_WRITES: u64 = 1;

/// Funds held from `depositor` while a piece of state exists, returned when it is freed.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Deposit<AccountId, Balance> {
	/// The account the funds are held from and returned to.
	pub depositor: AccountId,
	/// The amount held.
	pub amount: Balance,
}

impl<AccountId, Balance: Zero + Copy> Deposit<AccountId, Balance> {
	/// Holds the deposit from its depositor in `Currency`, for `reason`.
	pub fn hold<Currency>(&self, reason: &Currency::Reason) -> DispatchResult
	where
		Currency: MutateHold<AccountId, Balance = Balance>,
	{
		hold::<AccountId, Currency>(reason, &self.depositor, self.amount)
	}

	/// Returns the deposit held for `reason` to its depositor.
	pub fn release<Currency>(&self, reason: &Currency::Reason) -> DispatchResult
	where
		Currency: MutateHold<AccountId, Balance = Balance>,
	{
		release::<AccountId, Currency>(reason, &self.depositor, self.amount)
	}
}

/// Holds `amount` from `who` in `Currency`, for `reason`. A zero deposit (a chain that charges
/// none) holds nothing, so it needs no hold entry and no existential deposit.
pub fn hold<AccountId, Currency: MutateHold<AccountId>>(
	reason: &Currency::Reason,
	who: &AccountId,
	amount: Currency::Balance,
) -> DispatchResult {
	if amount.is_zero() {
		return Ok(());
	}
	Currency::hold(reason, who, amount)
}

/// Returns `amount` held from `who` for `reason`. As much as is still held comes back (the
/// pallets never slash a deposit, so that is all of it); a zero deposit was never held.
pub fn release<AccountId, Currency: MutateHold<AccountId>>(
	reason: &Currency::Reason,
	who: &AccountId,
	amount: Currency::Balance,
) -> DispatchResult {
	if amount.is_zero() {
		return Ok(());
	}
	Currency::release(reason, who, amount, Precision::BestEffort).map(|_released| ())
}
