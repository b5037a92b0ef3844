//! # Consortium pallet
//!
//! The members of the MedChain consortium that may seal Proof-of-Work blocks.
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

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

use codec::DecodeAll;
use frame_support::{traits::FindAuthor, ConsensusEngineId};

/// The engine id of the `pow_` pre-runtime digest that names a block's author.
pub const POW_ENGINE_ID: ConsensusEngineId = *b"pow_";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

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
		/// Weights of this pallet's calls, measured by its benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// The accounts that may seal blocks, sorted so membership is a binary search.
	#[pallet::storage]
	pub type Sealers<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxSealers>, ValueQuery>;

	/// Events of the consortium pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `sealer` may now seal blocks.
		SealerAdded { sealer: T::AccountId },
		/// `sealer` may no longer seal blocks.
		SealerRemoved { sealer: T::AccountId },
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
	}

	/// The sealers a chain starts with.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The accounts that may seal from block 1; no duplicates. Leave it empty and nobody
		/// can seal.
		pub sealers: Vec<T::AccountId>,
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
			let sealers: BoundedVec<_, T::MaxSealers> =
				sealers.try_into().expect("more genesis sealers than MaxSealers");
			Sealers::<T>::put(sealers);
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
	}
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
