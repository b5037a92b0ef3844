//! The consortium pallet's identity types: organisations, members, encryption keys.

use crate::Config;
use alloc::{string::String, vec::Vec};
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::traits::fungible::Inspect;
pub use medchain_primitives::gs1::{is_valid_gln, CompanyPrefix, Gln};
use medchain_primitives::health::{OrgKind, Role, Roles};
use scale_info::TypeInfo;

/// An account id of the runtime.
pub type AccountIdOf<T> = <T as frame_system::Config>::AccountId;
/// A balance of the currency deposits are held in.
pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<AccountIdOf<T>>>::Balance;
/// A member as stored for runtime `T`.
pub type MemberOf<T> = Membership<AccountIdOf<T>, BalanceOf<T>>;
/// An encryption key as stored for runtime `T`.
pub type EncryptionKeyOf<T> = EncryptionKey<BalanceOf<T>>;

/// An X25519 public key, to which clients wrap record data keys.
pub type X25519PublicKey = [u8; 32];

/// The X25519 public keys of small order (libsodium's list), as 32 bytes little-endian with
/// the unused top bit clear: 0, 1, the two points of order 8, and `p − 1`, `p`, `p + 1`.
const SMALL_ORDER_X25519_KEYS: [[u8; 32]; 7] = [
	[0; 32],
	[
		1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0,
	],
	[
		0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f, 0xc4,
		0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49,
		0xb8, 0x00,
	],
	[
		0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1, 0x55, 0x9c, 0x83, 0xef,
		0x5b, 0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c, 0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd, 0xd0, 0x9f,
		0x11, 0x57,
	],
	[
		0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0x7f,
	],
	[
		0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0x7f,
	],
	[
		0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0x7f,
	],
];

/// Whether `key` is an X25519 public key of small order: a Diffie-Hellman with it gives the
/// same shared secret (zero) whatever the other side's secret, so a data key wrapped for it
/// would be open to anyone. X25519 ignores the top bit, so it is ignored here too.
pub fn has_small_order(key: &X25519PublicKey) -> bool {
	let mut canonical = *key;
	if let Some(last) = canonical.last_mut() {
		*last &= 0x7f;
	}
	SMALL_ORDER_X25519_KEYS.contains(&canonical)
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

pub use medchain_primitives::deposit::Deposit;

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

/// A founding organisation in the genesis config (chain spec JSON), e.g.
/// `{"kind": "Hospital", "gln": "5790000000005", "admin": "5Grw…", "members":
/// [["5FHn…", ["Clinician", "Emergency"]]]}`.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GenesisOrganisation<AccountId> {
	/// What kind of organisation it is.
	pub kind: OrgKind,
	/// Its GS1 GLN as 13 digits; the check digit is validated.
	pub gln: String,
	/// The account that manages its members; pays each member's deposit.
	pub admin: AccountId,
	/// Its first members and their roles.
	pub members: Vec<(AccountId, Vec<Role>)>,
	/// The GS1 Company Prefixes it holds (4 to 12 digits each), e.g. `["0614141"]`; none if
	/// left out (and left out of a spec when there are none).
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	pub company_prefixes: Vec<String>,
}

impl<AccountId> GenesisOrganisation<AccountId> {
	/// The GLN as stored on chain, if it is 13 characters; the digits and check digit are
	/// validated when the organisation is registered.
	pub fn gln_digits(&self) -> Option<Gln> {
		Gln::try_from(self.gln.as_bytes()).ok()
	}
}
