//! # Consortium pallet
//!
//! Who is who on MedChain: the members of the consortium that may seal Proof-of-Work blocks,
//! the organisations of the consortium with their member accounts and roles, and the X25519
//! encryption keys accounts publish so that record keys can be wrapped for them.
//!
//! ## Sealers
//!
//! - The sealer set is filled at genesis and changed only by the governance origin
//!   ([`Config::SealerOrigin`], sudo for now) through [`Pallet::add_sealer`] and
//!   [`Pallet::remove_sealer`]. The set can never become empty.
//! - The node's PoW engine asks [`Pallet::is_sealer`] (through
//!   `medchain_primitives::ConsortiumApi`) at the parent block before accepting a seal.
//! - The runtime checks it again: a block whose `pow_` pre-runtime digest does not name a
//!   sealer fails to execute (see [`Hooks::on_initialize`]).
//! - [`Pallet::block_author`] tells the rest of the runtime who sealed the current block,
//!   e.g. to pay them the transaction fees.
//!
//! ## Organisations and members
//!
//! - Governance ([`Config::OrganisationOrigin`]) registers, updates and deregisters
//!   organisations: a kind (hospital, clinic, lab…), a GS1 GLN (13 digits, check digit
//!   validated, unique) and an admin account.
//! - The admin adds member accounts (practitioners) with roles (clinician, emergency,
//!   pharmacist, auditor…), changes their roles and removes them; each member holds
//!   [`Config::MemberDeposit`] from the admin. An account belongs to one organisation at most.
//! - Deregistering an organisation takes effect at once: its members stop counting as members
//!   anywhere (see the [`Organisations`](medchain_primitives::health::Organisations)
//!   implementation). Their entries can then be removed by anyone, returning the deposits.
//! - Governance records the GS1 Company Prefixes each organisation licenses
//!   ([`Pallet::assign_company_prefix`], [`Pallet::revoke_company_prefix`]): only the holder of
//!   the prefix a GTIN is under may register that product in the supply chain (when it is a
//!   manufacturer), and only the holder of the prefix an SSCC is under may number a new
//!   logistic unit with it, so no member can claim another company's GTINs or SSCCs first. A prefix has one
//!   holder, no held prefix begins with
//!   another, and a deregistered organisation's prefixes are freed. Moving a prefix does not
//!   move the products already registered under it: the supply chain's
//!   `transfer_product` does, by the same governance.
//! - Other pallets see organisations only through the `Organisations` trait.
//!
//! ## Encryption keys
//!
//! - Any account, patients included, publishes an X25519 public key
//!   ([`Pallet::publish_encryption_key`]) holding [`Config::EncryptionKeyDeposit`]; clients wrap
//!   record data keys to it. Publishing again rotates the key.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

use codec::DecodeAll;
use frame_support::{traits::FindAuthor, ConsensusEngineId};

/// The engine id of the `pow_` pre-runtime digest that names a block's author.
pub const POW_ENGINE_ID: ConsensusEngineId = *b"pow_";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		dispatch::WithPostDispatchInfo,
		pallet_prelude::*,
		traits::fungible::{Mutate, MutateHold},
	};
	use frame_system::pallet_prelude::*;
	use medchain_primitives::{
		gs1::{
			gtin_company_prefixes, is_valid_company_prefix, shorter_company_prefixes,
			sscc_company_prefixes, Gtin, Sscc,
		},
		health::{
			sorted_set, MembershipHooks, OrgId, OrgKind, Organisations as OrganisationsTrait, Role,
			Roles, SetError,
		},
	};

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the consortium pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
		/// Who may add and remove sealers (the consortium's governance; sudo for now).
		type SealerOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The largest number of sealers the set may hold.
		#[pallet::constant]
		type MaxSealers: Get<u32>;
		/// The currency deposits are held in.
		type Currency: Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason: From<HoldReason>>;
		/// Who may register, update and deregister organisations (the consortium's governance).
		type OrganisationOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The deposit held from an organisation's admin for each member they add.
		#[pallet::constant]
		type MemberDeposit: Get<BalanceOf<Self>>;
		/// The deposit held from an account for its published encryption key.
		#[pallet::constant]
		type EncryptionKeyDeposit: Get<BalanceOf<Self>>;
		/// The largest number of members an organisation may have.
		#[pallet::constant]
		type MaxMembersPerOrganisation: Get<u32>;
		/// The largest number of GS1 Company Prefixes an organisation may hold.
		#[pallet::constant]
		type MaxCompanyPrefixes: Get<u32>;
		/// Told when a member leaves its organisation or loses a role there, so that access
		/// granted through the membership ends (the record registry removes the key envelopes
		/// the member may no longer read with); `()` if nobody.
		type MembershipHooks: MembershipHooks<Self::AccountId>;
		/// Weights of this pallet's calls, measured by its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Why the consortium pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit for a member of an organisation, held from its admin.
		#[codec(index = 0)]
		MemberDeposit,
		/// The deposit for a published encryption key.
		#[codec(index = 1)]
		EncryptionKeyDeposit,
	}

	/// The accounts that may seal blocks, sorted so membership is a binary search.
	#[pallet::storage]
	pub type Sealers<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxSealers>, ValueQuery>;

	/// The id the next registered organisation will get; ids are never reused.
	#[pallet::storage]
	pub type NextOrganisationId<T: Config> = StorageValue<_, OrgId, ValueQuery>;

	/// The registered organisations, by id.
	#[pallet::storage]
	pub type Organisations<T: Config> =
		StorageMap<_, Twox64Concat, OrgId, Organisation<T::AccountId>>;

	/// The registered organisation holding each GLN, so a GLN names one organisation.
	#[pallet::storage]
	pub type OrganisationByGln<T: Config> = StorageMap<_, Blake2_128Concat, Gln, OrgId>;

	/// The organisation and roles of each member account.
	#[pallet::storage]
	pub type Members<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, MemberOf<T>>;

	/// The X25519 public key each account published.
	#[pallet::storage]
	pub type EncryptionKeys<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, EncryptionKeyOf<T>>;

	/// The organisation holding each GS1 Company Prefix: the GTINs under it are its products'.
	#[pallet::storage]
	pub type CompanyPrefixHolders<T: Config> =
		StorageMap<_, Blake2_128Concat, CompanyPrefix, OrgId>;

	/// For each shorter run of digits, how many held prefixes begin with it: a prefix may not be
	/// assigned while one is held that begins with it (nor while it begins with a held one).
	#[pallet::storage]
	pub type CompanyPrefixExtensions<T: Config> =
		StorageMap<_, Blake2_128Concat, CompanyPrefix, u32, ValueQuery>;

	/// The GS1 Company Prefixes each organisation holds, in the order they were assigned.
	#[pallet::storage]
	pub type CompanyPrefixesOf<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		OrgId,
		BoundedVec<CompanyPrefix, T::MaxCompanyPrefixes>,
		ValueQuery,
	>;

	/// Events of the consortium pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `sealer` may now seal blocks.
		SealerAdded {
			/// The new sealer.
			sealer: T::AccountId,
		},
		/// `sealer` may no longer seal blocks.
		SealerRemoved {
			/// The former sealer.
			sealer: T::AccountId,
		},
		/// Governance registered an organisation.
		OrganisationRegistered {
			/// The new organisation.
			org: OrgId,
			/// Its kind.
			kind: OrgKind,
			/// Its GLN.
			gln: Gln,
			/// Its admin account.
			admin: T::AccountId,
		},
		/// Governance changed an organisation's kind, GLN or admin.
		OrganisationUpdated {
			/// The organisation.
			org: OrgId,
			/// Its kind now.
			kind: OrgKind,
			/// Its GLN now.
			gln: Gln,
			/// Its admin account now.
			admin: T::AccountId,
		},
		/// Governance deregistered an organisation; its members no longer count as members.
		OrganisationDeregistered {
			/// The former organisation.
			org: OrgId,
		},
		/// An organisation's admin added a member.
		MemberAdded {
			/// The organisation.
			org: OrgId,
			/// The new member account.
			member: T::AccountId,
			/// The member's roles.
			roles: Roles,
		},
		/// An organisation's admin changed a member's roles.
		MemberRolesChanged {
			/// The organisation.
			org: OrgId,
			/// The member account.
			member: T::AccountId,
			/// The member's roles now.
			roles: Roles,
		},
		/// A member left an organisation, and the deposit for it was returned.
		MemberRemoved {
			/// The organisation.
			org: OrgId,
			/// The former member account.
			member: T::AccountId,
		},
		/// An account published (or rotated) its X25519 encryption key.
		EncryptionKeyPublished {
			/// The account.
			who: T::AccountId,
			/// The public key.
			key: X25519PublicKey,
		},
		/// An account withdrew its encryption key.
		EncryptionKeyRemoved {
			/// The account.
			who: T::AccountId,
		},
		/// Governance recorded that an organisation holds a GS1 Company Prefix.
		CompanyPrefixAssigned {
			/// The organisation.
			org: OrgId,
			/// The prefix.
			prefix: CompanyPrefix,
		},
		/// An organisation no longer holds a GS1 Company Prefix: governance revoked it, or the
		/// organisation was deregistered. Products already registered under it stay.
		CompanyPrefixRevoked {
			/// The former holder.
			org: OrgId,
			/// The prefix.
			prefix: CompanyPrefix,
		},
	}

	/// Errors of the consortium pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a sealer.
		AlreadySealer,
		/// The account is not a sealer.
		NotSealer,
		/// The last sealer cannot be removed: nobody could seal the next block.
		LastSealer,
		/// The sealer set already holds `MaxSealers` accounts.
		TooManySealers,
		/// The GLN is not 13 digits with a valid GS1 check digit, or is all zeros.
		InvalidGln,
		/// Another registered organisation has this GLN.
		GlnInUse,
		/// No organisation with this id is registered.
		UnknownOrganisation,
		/// Only the organisation's admin may do this.
		NotAdmin,
		/// The account is already a member of an organisation (one organisation per account).
		/// A membership in an organisation that was deregistered anyone may end first
		/// (`removeMember(thatOrganisation, account)`), which returns its deposit.
		AlreadyMember,
		/// The account is not a member of this organisation.
		NotMember,
		/// The organisation already has `MaxMembersPerOrganisation` members.
		TooManyMembers,
		/// A member needs at least one role.
		NoRoles,
		/// A role is listed twice.
		DuplicateRole,
		/// Only the admin, governance or the member may remove a member of a registered
		/// organisation.
		CannotRemoveMember,
		/// The encryption key is not a usable X25519 public key: all zeros, or another point of
		/// small order, with which every shared secret is the same, so anyone could unwrap
		/// what is wrapped for it.
		InvalidEncryptionKey,
		/// The account has published no encryption key.
		NoEncryptionKey,
		/// The organisation id counter would overflow.
		Overflow,
		/// A GS1 Company Prefix is 4 to 12 digits, outside the ranges GS1 licenses to no
		/// company: restricted circulation numbers (`2…`, `02…`, `04…`, and GTIN-8s
		/// `000000…`, `000002…`), coupons and refund receipts (`05…`, `98…`, `99…`), GS1
		/// Global Office's own ranges (`951…`, `952…`, `96…`), and ISSN, ISBN and ISMN numbers
		/// (`977…`–`979…`). Under `00000`, where padded GTIN-8s sit, only a single GTIN-8's 12
		/// digits (`00000` and its first seven).
		InvalidCompanyPrefix,
		/// An organisation already holds this GS1 Company Prefix.
		CompanyPrefixHeld,
		/// An organisation holds a shorter prefix this one begins with, or a longer one that
		/// begins with this one: GS1 never licenses overlapping prefixes.
		CompanyPrefixOverlaps,
		/// The organisation already holds `MaxCompanyPrefixes` prefixes.
		TooManyCompanyPrefixes,
		/// No organisation holds this GS1 Company Prefix.
		UnknownCompanyPrefix,
	}

	/// The sealers and organisations a chain starts with.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The accounts that may seal from block 1; no duplicates. Leave it empty and nobody
		/// can seal.
		pub sealers: Vec<T::AccountId>,
		/// The founding organisations, given ids 0, 1, 2… in this order, each with its
		/// members. Every admin must be endowed with `MemberDeposit` per member, which is held
		/// as if the admin had added them.
		pub organisations: Vec<GenesisOrganisation<T::AccountId>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let mut sealers = self.sealers.clone();
			sealers.sort();
			let before = sealers.len();
			sealers.dedup();
			// Genesis is built by the node from a chain spec, never inside a block: a
			// malformed spec must stop the node at start-up. An empty set is allowed only so
			// the default config builds (FRAME's genesis tooling requires it); such a chain
			// cannot seal a single block, and every preset names its sealers.
			assert_eq!(before, sealers.len(), "duplicate sealer in the genesis config");
			assert!(
				sealers.len() <= T::MaxSealers::get() as usize,
				"more genesis sealers than MaxSealers"
			);
			Sealers::<T>::put(BoundedVec::<_, T::MaxSealers>::truncate_from(sealers));

			for founding in &self.organisations {
				let org = NextOrganisationId::<T>::get();
				let gln = founding.gln_digits().unwrap_or_else(|| {
					panic!("genesis organisation GLN {:?} is not 13 digits", founding.gln)
				});
				Pallet::<T>::do_register_organisation(founding.kind, gln, founding.admin.clone())
					.unwrap_or_else(|e| {
						panic!(
							"genesis organisation {:?} cannot be registered: {e:?}",
							founding.gln
						)
					});
				for prefix in &founding.company_prefixes {
					let prefix = CompanyPrefix::try_from(prefix.as_bytes().to_vec())
						.map_err(|_| Error::<T>::InvalidCompanyPrefix)
						.and_then(|prefix| Pallet::<T>::do_assign_company_prefix(org, prefix));
					if let Err(e) = prefix {
						panic!("genesis company prefix of {:?} refused: {e:?}", founding.gln);
					}
				}
				for (member, roles) in &founding.members {
					let roles = Roles::try_from(roles.clone()).unwrap_or_else(|_| {
						panic!("genesis member of {:?} has too many roles", founding.gln)
					});
					Pallet::<T>::do_add_member(&founding.admin, org, member, roles).unwrap_or_else(
						|e| panic!("genesis member of {:?} cannot be added: {e:?}", founding.gln),
					);
				}
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Rejects a block that is not sealed by a consortium member.
		///
		/// This is the runtime's one intended panic: FRAME rejects a block by failing its
		/// execution, and a block whose `pow_` pre-runtime digest is missing, malformed or
		/// names an account outside the sealer set must not be imported, whatever the node
		/// that built it claims. Honest nodes check the same rule before building or
		/// importing a block, so this never fires for them.
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			let author = Self::block_author();
			assert!(
				author.as_ref().is_some_and(Self::is_sealer),
				"block author is missing or not in the consortium sealer set"
			);
			T::DbWeight::get().reads(2)
		}

		fn integrity_test() {
			assert!(T::MaxSealers::get() > 0, "MaxSealers must allow at least one sealer");
			assert!(
				T::MaxCompanyPrefixes::get() > 0,
				"MaxCompanyPrefixes must allow at least one prefix"
			);
			assert!(
				T::MaxMembersPerOrganisation::get() > 0,
				"MaxMembersPerOrganisation must allow at least one member"
			);
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Let `sealer` seal blocks. Governance only.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_sealer(T::MaxSealers::get()))]
		pub fn add_sealer(origin: OriginFor<T>, sealer: T::AccountId) -> DispatchResult {
			T::SealerOrigin::ensure_origin(origin)?;
			Sealers::<T>::try_mutate(|sealers| {
				let at = sealers.binary_search(&sealer).err().ok_or(Error::<T>::AlreadySealer)?;
				sealers.try_insert(at, sealer.clone()).map_err(|_| Error::<T>::TooManySealers)
			})?;
			Self::deposit_event(Event::SealerAdded { sealer });
			Ok(())
		}

		/// Stop `sealer` from sealing blocks. Governance only; the last sealer stays.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_sealer(T::MaxSealers::get()))]
		pub fn remove_sealer(origin: OriginFor<T>, sealer: T::AccountId) -> DispatchResult {
			T::SealerOrigin::ensure_origin(origin)?;
			Sealers::<T>::try_mutate(|sealers| {
				let at = sealers.binary_search(&sealer).map_err(|_| Error::<T>::NotSealer)?;
				ensure!(sealers.len() > 1, Error::<T>::LastSealer);
				sealers.remove(at);
				Ok::<_, Error<T>>(())
			})?;
			Self::deposit_event(Event::SealerRemoved { sealer });
			Ok(())
		}

		/// Register an organisation of `kind` with GS1 GLN `gln` (13 ASCII digits, check digit
		/// validated, unique), managed by `admin`. Governance only.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::register_organisation())]
		pub fn register_organisation(
			origin: OriginFor<T>,
			kind: OrgKind,
			gln: Gln,
			admin: T::AccountId,
		) -> DispatchResult {
			T::OrganisationOrigin::ensure_origin(origin)?;
			let org = Self::do_register_organisation(kind, gln, admin.clone())?;
			Self::deposit_event(Event::OrganisationRegistered { org, kind, gln, admin });
			Ok(())
		}

		/// Change `org`'s kind, GLN and admin. Governance only. Members and their deposits
		/// stay; deposits return to whichever admin paid them. Its GS1 Company Prefixes stay
		/// (an organisation of any kind may hold them); only a manufacturer registers products
		/// under them.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::update_organisation())]
		pub fn update_organisation(
			origin: OriginFor<T>,
			org: OrgId,
			kind: OrgKind,
			gln: Gln,
			admin: T::AccountId,
		) -> DispatchResult {
			T::OrganisationOrigin::ensure_origin(origin)?;
			ensure!(is_valid_gln(&gln), Error::<T>::InvalidGln);
			Organisations::<T>::try_mutate(org, |maybe_org| {
				let entry = maybe_org.as_mut().ok_or(Error::<T>::UnknownOrganisation)?;
				if entry.gln != gln {
					ensure!(!OrganisationByGln::<T>::contains_key(gln), Error::<T>::GlnInUse);
					OrganisationByGln::<T>::remove(entry.gln);
					OrganisationByGln::<T>::insert(gln, org);
				}
				entry.kind = kind;
				entry.gln = gln;
				entry.admin = admin.clone();
				Ok::<_, Error<T>>(())
			})?;
			Self::deposit_event(Event::OrganisationUpdated { org, kind, gln, admin });
			Ok(())
		}

		/// Deregister `org`. Governance only.
		///
		/// Takes effect at once: its members no longer count as members, so consents and
		/// roles naming the organisation stop working. Its member entries can then be removed
		/// by anyone with [`Pallet::remove_member`], returning the deposits. Its GLN and its
		/// GS1 Company Prefixes are freed; its id is never reused.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::deregister_organisation(T::MaxCompanyPrefixes::get()))]
		pub fn deregister_organisation(
			origin: OriginFor<T>,
			org: OrgId,
		) -> DispatchResultWithPostInfo {
			T::OrganisationOrigin::ensure_origin(origin)?;
			let entry = Organisations::<T>::take(org).ok_or(Error::<T>::UnknownOrganisation)?;
			OrganisationByGln::<T>::remove(entry.gln);
			let prefixes = CompanyPrefixesOf::<T>::take(org);
			let freed = u32::try_from(prefixes.len()).unwrap_or(u32::MAX);
			for prefix in prefixes {
				Self::free_company_prefix(&prefix);
				Self::deposit_event(Event::CompanyPrefixRevoked { org, prefix });
			}
			Self::deposit_event(Event::OrganisationDeregistered { org });
			Ok(Some(T::WeightInfo::deregister_organisation(freed)).into())
		}

		/// Make `member` a member of `org` with `roles`. The organisation's admin only; holds
		/// `MemberDeposit` from the admin.
		///
		/// The key envelopes the new member already holds are listed under `org` (up to 32;
		/// the record registry's `UnneededEnvelopesOfHolderRemoved`, when they hold any, says
		/// how many, and where to go on if there were more), so that revoking a consent naming
		/// `org` finds them.
		#[pallet::call_index(5)]
		#[pallet::weight(
			T::WeightInfo::add_member().saturating_add(T::MembershipHooks::max_weight())
		)]
		pub fn add_member(
			origin: OriginFor<T>,
			org: OrgId,
			member: T::AccountId,
			roles: Roles,
		) -> DispatchResultWithPostInfo {
			let alone = T::WeightInfo::add_member();
			let who = ensure_signed(origin).map_err(|e| e.with_weight(alone))?;
			let roles =
				Self::do_add_member(&who, org, &member, roles).map_err(|e| e.with_weight(alone))?;
			Self::deposit_event(Event::MemberAdded { org, member: member.clone(), roles });
			let hooks_weight = T::MembershipHooks::on_membership_changed(&member);
			Ok(Some(alone.saturating_add(hooks_weight)).into())
		}

		/// Replace the roles of `member` of `org` with `roles`. The organisation's admin only.
		///
		/// A member who loses a role loses what consents naming the organisation with that
		/// role gave them: the key envelopes they may no longer read with are removed, as when
		/// a member leaves ([`Pallet::remove_member`]).
		#[pallet::call_index(6)]
		#[pallet::weight(
			T::WeightInfo::set_member_roles().saturating_add(T::MembershipHooks::max_weight())
		)]
		pub fn set_member_roles(
			origin: OriginFor<T>,
			org: OrgId,
			member: T::AccountId,
			roles: Roles,
		) -> DispatchResultWithPostInfo {
			let alone = T::WeightInfo::set_member_roles();
			let who = ensure_signed(origin).map_err(|e| e.with_weight(alone))?;
			let lost_a_role = Self::do_set_member_roles(&who, org, &member, roles)
				.map_err(|e| e.with_weight(alone))?;
			let hooks_weight = if lost_a_role {
				T::MembershipHooks::on_membership_changed(&member)
			} else {
				Weight::zero()
			};
			Ok(Some(alone.saturating_add(hooks_weight)).into())
		}

		/// Remove `member` from `org` and return the deposit to whoever paid it.
		///
		/// The organisation's admin, governance, or the member leaving may do so; once the
		/// organisation is deregistered, anyone may. What consents naming the organisation
		/// gave the member ends: the key envelopes they may no longer read with are removed,
		/// up to 32 (the record registry's `UnneededEnvelopesOfHolderRemoved`, when they held
		/// any, says how many, and where to go on if there were more).
		#[pallet::call_index(7)]
		#[pallet::weight(
			T::WeightInfo::remove_member().saturating_add(T::MembershipHooks::max_weight())
		)]
		pub fn remove_member(
			origin: OriginFor<T>,
			org: OrgId,
			member: T::AccountId,
		) -> DispatchResultWithPostInfo {
			let alone = T::WeightInfo::remove_member();
			Self::do_remove_member(origin, org, &member).map_err(|e| e.with_weight(alone))?;
			let hooks_weight = T::MembershipHooks::on_membership_changed(&member);
			Ok(Some(alone.saturating_add(hooks_weight)).into())
		}

		/// Publish the caller's X25519 public key, so record keys can be wrapped for them;
		/// publishing again rotates it. Holds `EncryptionKeyDeposit` the first time.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::publish_encryption_key())]
		pub fn publish_encryption_key(
			origin: OriginFor<T>,
			key: X25519PublicKey,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!has_small_order(&key), Error::<T>::InvalidEncryptionKey);
			match EncryptionKeys::<T>::get(&who) {
				Some(existing) => {
					EncryptionKeys::<T>::insert(&who, EncryptionKey { key, ..existing })
				},
				None => {
					let deposit = T::EncryptionKeyDeposit::get();
					Self::hold(HoldReason::EncryptionKeyDeposit, &who, deposit)?;
					EncryptionKeys::<T>::insert(&who, EncryptionKey { key, deposit });
				},
			}
			Self::deposit_event(Event::EncryptionKeyPublished { who, key });
			Ok(())
		}

		/// Withdraw the caller's encryption key and return its deposit.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::remove_encryption_key())]
		pub fn remove_encryption_key(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let existing = EncryptionKeys::<T>::take(&who).ok_or(Error::<T>::NoEncryptionKey)?;
			Self::release(HoldReason::EncryptionKeyDeposit, &who, existing.deposit)?;
			Self::deposit_event(Event::EncryptionKeyRemoved { who });
			Ok(())
		}

		/// Record that `org` holds the GS1 Company Prefix `prefix` (4 to 12 digits, licensed to
		/// it by a GS1 member organisation; a GTIN-8 as `00000` and its first seven digits).
		/// Governance only. It alone may then register products whose GTINs are under it (as a
		/// manufacturer) and number new logistic units with SSCCs under it (as any kind: a
		/// wholesaler numbers its own pallets). No organisation may hold the prefix already,
		/// nor a shorter one it begins with, nor a longer one beginning with it.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::assign_company_prefix())]
		pub fn assign_company_prefix(
			origin: OriginFor<T>,
			org: OrgId,
			prefix: CompanyPrefix,
		) -> DispatchResult {
			T::OrganisationOrigin::ensure_origin(origin)?;
			Self::do_assign_company_prefix(org, prefix.clone())?;
			Self::deposit_event(Event::CompanyPrefixAssigned { org, prefix });
			Ok(())
		}

		/// Record that the GS1 Company Prefix `prefix` is no longer held (a licence ended, or
		/// was given in error). Governance only. Products already registered under it stay
		/// their manufacturer's.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::revoke_company_prefix())]
		pub fn revoke_company_prefix(
			origin: OriginFor<T>,
			prefix: CompanyPrefix,
		) -> DispatchResult {
			T::OrganisationOrigin::ensure_origin(origin)?;
			let org =
				CompanyPrefixHolders::<T>::get(&prefix).ok_or(Error::<T>::UnknownCompanyPrefix)?;
			Self::free_company_prefix(&prefix);
			CompanyPrefixesOf::<T>::mutate_exists(org, |maybe_prefixes| {
				if let Some(prefixes) = maybe_prefixes {
					prefixes.retain(|held| *held != prefix);
					if prefixes.is_empty() {
						*maybe_prefixes = None;
					}
				}
			});
			Self::deposit_event(Event::CompanyPrefixRevoked { org, prefix });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Whether `who` may seal blocks.
		pub fn is_sealer(who: &T::AccountId) -> bool {
			Sealers::<T>::get().binary_search(who).is_ok()
		}

		/// Every account that may seal blocks, sorted.
		pub fn sealers() -> Vec<T::AccountId> {
			Sealers::<T>::get().into_inner()
		}

		/// The author of the block being executed, from its `pow_` pre-runtime digest.
		pub fn block_author() -> Option<T::AccountId> {
			let digest = frame_system::Pallet::<T>::digest();
			let pre_runtime = digest.logs.iter().filter_map(|item| item.as_pre_runtime());
			<Self as FindAuthor<T::AccountId>>::find_author(pre_runtime)
		}

		/// The X25519 public key `who` published, if any.
		pub fn encryption_key(who: &T::AccountId) -> Option<X25519PublicKey> {
			EncryptionKeys::<T>::get(who).map(|entry| entry.key)
		}

		/// Registers an organisation; shared by the call and the genesis config.
		fn do_register_organisation(
			kind: OrgKind,
			gln: Gln,
			admin: T::AccountId,
		) -> Result<OrgId, Error<T>> {
			ensure!(is_valid_gln(&gln), Error::<T>::InvalidGln);
			ensure!(!OrganisationByGln::<T>::contains_key(gln), Error::<T>::GlnInUse);
			let org = NextOrganisationId::<T>::get();
			let next = org.checked_add(1).ok_or(Error::<T>::Overflow)?;
			Organisations::<T>::insert(org, Organisation { kind, gln, admin, members: 0 });
			OrganisationByGln::<T>::insert(gln, org);
			NextOrganisationId::<T>::put(next);
			Ok(org)
		}

		/// Records the registered organisation `org` as the holder of `prefix`; shared by the
		/// call and the genesis config.
		pub(crate) fn do_assign_company_prefix(
			org: OrgId,
			prefix: CompanyPrefix,
		) -> Result<(), Error<T>> {
			ensure!(Organisations::<T>::contains_key(org), Error::<T>::UnknownOrganisation);
			ensure!(is_valid_company_prefix(&prefix), Error::<T>::InvalidCompanyPrefix);
			ensure!(
				!CompanyPrefixHolders::<T>::contains_key(&prefix),
				Error::<T>::CompanyPrefixHeld
			);
			let shorter = Self::shorter_than(&prefix);
			let overlaps = CompanyPrefixExtensions::<T>::get(&prefix) > 0
				|| shorter.iter().any(CompanyPrefixHolders::<T>::contains_key);
			ensure!(!overlaps, Error::<T>::CompanyPrefixOverlaps);
			CompanyPrefixesOf::<T>::try_mutate(org, |prefixes| {
				prefixes.try_push(prefix.clone()).map_err(|_| Error::<T>::TooManyCompanyPrefixes)
			})?;
			for stem in shorter {
				CompanyPrefixExtensions::<T>::mutate(stem, |count| {
					*count = count.saturating_add(1)
				});
			}
			CompanyPrefixHolders::<T>::insert(prefix, org);
			Ok(())
		}

		/// Forgets the holder of `prefix` and its count under each shorter run of digits; the
		/// caller updates the holder's own list.
		fn free_company_prefix(prefix: &CompanyPrefix) {
			CompanyPrefixHolders::<T>::remove(prefix);
			for stem in Self::shorter_than(prefix) {
				CompanyPrefixExtensions::<T>::mutate_exists(stem, |count| {
					*count = count.and_then(|count| count.checked_sub(1)).filter(|left| *left > 0);
				});
			}
		}

		/// The holder of the first of `candidates` (a key's possible company prefixes) that is
		/// held: prefixes never overlap, so at most one is.
		fn holder_of_any<'a>(candidates: impl Iterator<Item = &'a [u8]>) -> Option<OrgId> {
			candidates
				.filter_map(|candidate| CompanyPrefix::try_from(candidate.to_vec()).ok())
				.find_map(CompanyPrefixHolders::<T>::get)
		}

		/// The shorter prefixes `prefix` begins with.
		fn shorter_than(prefix: &CompanyPrefix) -> Vec<CompanyPrefix> {
			shorter_company_prefixes(prefix)
				.filter_map(|stem| CompanyPrefix::try_from(stem.to_vec()).ok())
				.collect()
		}

		/// Adds `member` to `org` on behalf of its admin `who`, holding `MemberDeposit` from
		/// `who`; returns the validated roles. Shared by the call and the genesis config.
		fn do_add_member(
			who: &T::AccountId,
			org: OrgId,
			member: &T::AccountId,
			roles: Roles,
		) -> Result<Roles, DispatchError> {
			let roles = Self::validated_roles(roles)?;
			Organisations::<T>::try_mutate(org, |maybe_org| {
				let entry = maybe_org.as_mut().ok_or(Error::<T>::UnknownOrganisation)?;
				ensure!(entry.admin == *who, Error::<T>::NotAdmin);
				ensure!(!Members::<T>::contains_key(member), Error::<T>::AlreadyMember);
				ensure!(
					entry.members < T::MaxMembersPerOrganisation::get(),
					Error::<T>::TooManyMembers
				);
				entry.members = entry.members.saturating_add(1);
				Ok::<_, Error<T>>(())
			})?;
			let deposit = Deposit { depositor: who.clone(), amount: T::MemberDeposit::get() };
			Self::hold(HoldReason::MemberDeposit, &deposit.depositor, deposit.amount)?;
			Members::<T>::insert(member, Membership { org, roles: roles.clone(), deposit });
			Ok(roles)
		}

		/// Replaces the roles of `member` of `org`, as `who` asks; returns whether the member
		/// lost a role.
		fn do_set_member_roles(
			who: &T::AccountId,
			org: OrgId,
			member: &T::AccountId,
			roles: Roles,
		) -> Result<bool, Error<T>> {
			let roles = Self::validated_roles(roles)?;
			let entry = Organisations::<T>::get(org).ok_or(Error::<T>::UnknownOrganisation)?;
			ensure!(entry.admin == *who, Error::<T>::NotAdmin);
			let lost_a_role = Members::<T>::try_mutate(member, |maybe_member| {
				let membership = maybe_member
					.as_mut()
					.filter(|membership| membership.org == org)
					.ok_or(Error::<T>::NotMember)?;
				let lost_a_role = membership.roles.iter().any(|role| !roles.contains(role));
				membership.roles = roles.clone();
				Ok::<_, Error<T>>(lost_a_role)
			})?;
			Self::deposit_event(Event::MemberRolesChanged { org, member: member.clone(), roles });
			Ok(lost_a_role)
		}

		/// Removes `member` from `org`, as `origin` asks, and returns its deposit.
		fn do_remove_member(
			origin: OriginFor<T>,
			org: OrgId,
			member: &T::AccountId,
		) -> DispatchResult {
			let by_governance = T::OrganisationOrigin::try_origin(origin);
			let membership = Members::<T>::get(member)
				.filter(|membership| membership.org == org)
				.ok_or(Error::<T>::NotMember)?;
			let registered = Organisations::<T>::get(org);
			match by_governance {
				Ok(_) => {},
				Err(origin) => {
					let who = ensure_signed(origin)?;
					let allowed = match &registered {
						Some(entry) => who == entry.admin || who == *member,
						None => true,
					};
					ensure!(allowed, Error::<T>::CannotRemoveMember);
				},
			}
			if registered.is_some() {
				Organisations::<T>::mutate(org, |maybe_org| {
					if let Some(entry) = maybe_org {
						entry.members = entry.members.saturating_sub(1);
					}
				});
			}
			Members::<T>::remove(member);
			Self::release(
				HoldReason::MemberDeposit,
				&membership.deposit.depositor,
				membership.deposit.amount,
			)?;
			Self::deposit_event(Event::MemberRemoved { org, member: member.clone() });
			Ok(())
		}

		/// `roles`, sorted, if there is at least one and none twice.
		fn validated_roles(roles: Roles) -> Result<Roles, Error<T>> {
			sorted_set(roles).map_err(|e| match e {
				SetError::Empty => Error::<T>::NoRoles,
				SetError::Duplicate => Error::<T>::DuplicateRole,
			})
		}

		/// Holds `amount` from `who` for `reason`.
		fn hold(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
			medchain_primitives::deposit::hold::<T::AccountId, T::Currency>(
				&reason.into(),
				who,
				amount,
			)
		}

		/// Returns `amount`, held for `reason`, to `who`.
		fn release(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
			medchain_primitives::deposit::release::<T::AccountId, T::Currency>(
				&reason.into(),
				who,
				amount,
			)
		}
	}

	/// Organisations and members as other pallets see them: a member of a deregistered
	/// organisation is nobody's member.
	impl<T: Config> OrganisationsTrait<T::AccountId> for Pallet<T> {
		fn organisation_of(who: &T::AccountId) -> Option<OrgId> {
			Members::<T>::get(who)
				.map(|membership| membership.org)
				.filter(|org| Organisations::<T>::contains_key(org))
		}

		fn has_role(org: OrgId, who: &T::AccountId, role: Role) -> bool {
			Members::<T>::get(who).is_some_and(|membership| {
				membership.org == org && membership.roles.binary_search(&role).is_ok()
			}) && Organisations::<T>::contains_key(org)
		}

		fn organisation_kind(org: OrgId) -> Option<OrgKind> {
			Organisations::<T>::get(org).map(|entry| entry.kind)
		}

		fn organisation_gln(org: OrgId) -> Option<Gln> {
			Organisations::<T>::get(org).map(|entry| entry.gln)
		}

		fn gtin_prefix_holder(gtin: &Gtin) -> Option<OrgId> {
			Self::holder_of_any(gtin_company_prefixes(gtin))
		}

		fn sscc_prefix_holder(sscc: &Sscc) -> Option<OrgId> {
			Self::holder_of_any(sscc_company_prefixes(sscc))
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl<T: Config> medchain_primitives::health::OrganisationsBenchmarkHelper<T::AccountId>
		for Pallet<T>
	{
		fn member_with_role(who: &T::AccountId, kind: OrgKind, role: Role) -> OrgId {
			let org = NextOrganisationId::<T>::get();
			NextOrganisationId::<T>::put(org.saturating_add(1));
			let gln = benchmark_gln(org);
			Organisations::<T>::insert(
				org,
				Organisation { kind, gln, admin: who.clone(), members: 1 },
			);
			OrganisationByGln::<T>::insert(gln, org);
			Members::<T>::insert(
				who,
				Membership {
					org,
					roles: Roles::truncate_from(alloc::vec![role]),
					deposit: Deposit {
						depositor: who.clone(),
						amount: sp_runtime::traits::Zero::zero(),
					},
				},
			);
			org
		}

		fn hold_prefix_of(org: OrgId, gtin: &Gtin) -> Result<(), &'static str> {
			Self::hold_longest(org, gtin_company_prefixes(gtin))
		}

		fn hold_sscc_prefix_of(org: OrgId, sscc: &Sscc) -> Result<(), &'static str> {
			Self::hold_longest(org, sscc_company_prefixes(sscc))
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl<T: Config> Pallet<T> {
		/// Assigns `org` the longest of a key's possible prefixes `candidates`: every shorter
		/// one is looked up before it is found, the lookup's most expensive case.
		fn hold_longest<'a>(
			org: OrgId,
			candidates: impl Iterator<Item = &'a [u8]>,
		) -> Result<(), &'static str> {
			let prefix = candidates
				.last()
				.and_then(|prefix| CompanyPrefix::try_from(prefix.to_vec()).ok())
				.ok_or("the key has no company prefix")?;
			Self::do_assign_company_prefix(org, prefix).map_err(|e| e.into())
		}
	}
}

/// A valid GLN derived from `seed`, for benchmarks and tests: `seed` in the 12-digit body,
/// then its check digit.
#[cfg(any(test, feature = "runtime-benchmarks"))]
pub fn benchmark_gln(seed: u32) -> Gln {
	let mut gln = *b"5900000000000";
	let mut rest = seed;
	for position in (1..12).rev() {
		gln[position] = b'0' + (rest % 10) as u8;
		rest /= 10;
	}
	for check in b'0'..=b'9' {
		gln[12] = check;
		if is_valid_gln(&gln) {
			break;
		}
	}
	gln
}

/// Reads the author from the first `pow_` pre-runtime digest: exactly an encoded `AccountId`
/// (32 bytes), which is what polkadot.js reads as the block author.
impl<T: Config> FindAuthor<T::AccountId> for Pallet<T> {
	fn find_author<'a, I>(digests: I) -> Option<T::AccountId>
	where
		I: 'a + IntoIterator<Item = (ConsensusEngineId, &'a [u8])>,
	{
		digests
			.into_iter()
			.find(|(engine, _)| *engine == POW_ENGINE_ID)
			.and_then(|(_, mut bytes)| T::AccountId::decode_all(&mut bytes).ok())
	}
}
