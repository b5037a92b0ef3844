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
