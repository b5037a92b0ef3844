//! The consortium pallet's identity types: organisations, members, encryption keys.

use crate::Config;
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::traits::fungible::Inspect;
use medchain_primitives::health::{OrgKind, Roles};
use scale_info::TypeInfo;

/// An account id of the runtime.
pub type AccountIdOf<T> = <T as frame_system::Config>::AccountId;
/// A balance of the currency deposits are held in.
pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<AccountIdOf<T>>>::Balance;
/// A member as stored for runtime `T`.
pub type MemberOf<T> = Membership<AccountIdOf<T>, BalanceOf<T>>;
/// An encryption key as stored for runtime `T`.
pub type EncryptionKeyOf<T> = EncryptionKey<BalanceOf<T>>;

/// A GS1 Global Location Number: 13 ASCII digits, the last a GS1 mod-10 check digit
/// (see [`is_valid_gln`]).
pub type Gln = [u8; 13];
/// An X25519 public key, to which clients wrap record data keys.
pub type X25519PublicKey = [u8; 32];

/// Whether `gln` is 13 ASCII digits whose last digit is the GS1 check digit of the first 12:
/// from the right, the digits are weighted 3, 1, 3, 1…; the check digit is
/// `(10 - sum mod 10) mod 10`.
pub fn is_valid_gln(gln: &Gln) -> bool {
	if !gln.iter().all(u8::is_ascii_digit) {
		return false;
	}
	let (body, check) = gln.split_at(12);
	let sum: u32 = body
		.iter()
		.rev()
		.enumerate()
		.map(|(position, digit)| {
			let weight = if position % 2 == 0 { 3 } else { 1 };
			u32::from(digit.saturating_sub(b'0')).saturating_mul(weight)
		})
		.fold(0u32, |total, term| total.saturating_add(term));
	let expected = 10u32.saturating_sub(sum % 10) % 10;
	check.first().is_some_and(|digit| u32::from(digit.saturating_sub(b'0')) == expected)
}

/// An organisation of the consortium (FHIR `Organization`).
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Organisation<AccountId> {
	/// What kind of organisation it is.
	pub kind: OrgKind,
	/// Its GS1 Global Location Number (party GLN, AI 417).
	pub gln: Gln,
	/// The account that manages its members.
	pub admin: AccountId,
	/// How many members it has.
	pub members: u32,
}

/// Funds held from `depositor` while a piece of state exists.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Deposit<AccountId, Balance> {
	/// The account the funds are held from and returned to.
	pub depositor: AccountId,
	/// The amount held.
	pub amount: Balance,
}

/// A member account of an organisation: a practitioner (FHIR `PractitionerRole`).
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Membership<AccountId, Balance> {
	/// The organisation.
	pub org: medchain_primitives::health::OrgId,
	/// What the member does there, sorted.
	pub roles: Roles,
	/// The deposit held from the admin who added the member.
	pub deposit: Deposit<AccountId, Balance>,
}

/// An account's published X25519 public key.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct EncryptionKey<Balance> {
	/// The public key.
	pub key: X25519PublicKey,
	/// The deposit held from the account for it.
	pub deposit: Balance,
}
