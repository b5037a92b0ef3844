//! # Supply-chain pallet
//!
//! Drug traceability from manufacturer to patient, the way GS1 EPCIS 2.0, the US Drug Supply
//! Chain Security Act (DSCSA) and the EU Falsified Medicines Directive (Delegated Regulation
//! 2016/161, FMD) describe it. Every saleable pack has a GS1 identifier (an [`Sgtin`]: GTIN +
//! serial, with its lot and expiry), every logistic unit an SSCC, every organisation a GLN,
//! and every step of a pack's life is an EPCIS event in its history.
//!
//! ## Lifecycle
//! - A manufacturer registers its products ([`Pallet::register_product`]), under its GS1
//!   Company Prefixes; governance moves a product to another manufacturer when a product
//!   line changes hands ([`Pallet::transfer_product`]). A manufacturer commissions
//!   packs of a (GTIN, lot, expiry) batch, up to [`Config::MaxCommissionPerCall`] per call
//!   ([`Pallet::commission`]).
//! - Custodians pack items into SSCC containers and unpack them ([`Pallet::aggregate`],
//!   [`Pallet::disaggregate`]); containers nest up to [`Config::MaxNestingDepth`] levels. A
//!   new container is numbered under a GS1 Company Prefix of the organisation packing it.
//! - A seller ships top-level items to a buyer with the hash of the DSCSA transaction
//!   information and statement ([`Pallet::ship`]); the buyer receives ([`Pallet::receive`]) or
//!   rejects them back to the seller ([`Pallet::reject`]). Custody changes only then. A
//!   shipment left overdue, or addressed to an organisation that left, its seller may cancel
//!   ([`Pallet::cancel_shipment`]). Goods go back up the supply chain, recalled or expired
//!   ones included, as a return ([`Pallet::ship_return`]), received or rejected the same way.
//! - A pharmacist dispenses a pack (FMD Art. 25, [`Pallet::dispense`]); any custodian may
//!   decommission one for another reason ([`Pallet::decommission`]); the same organisation
//!   may revert either within [`Config::RevertWindow`] (FMD Art. 13,
//!   [`Pallet::revert_decommission`]).
//! - The lot's manufacturer or a regulator recalls a lot ([`Pallet::recall`]).
//! - A custodian or a regulator quarantines a suspect pack ([`Pallet::mark_suspect`]); a
//!   regulator clears it ([`Pallet::clear_suspect`]) or confirms it illegitimate
//!   ([`Pallet::confirm_illegitimate`], DSCSA).
//! - Packs out of the supply chain for good, and empty containers, are purged after
//!   [`Config::RetentionPeriod`] ([`Pallet::purge_pack`], [`Pallet::purge_container`]); a
//!   lot's last pack takes its batch with it and retires the lot number ([`RetiredLots`]).
//!
//! ## Custody
//! Custody is single and always known: every item has one [`Position`]. A top-level item is
//! held by one organisation or in one shipment; an item in a container stores only its parent,
//! and is wherever its outermost container is. Shipping or receiving a container is therefore
//! one write whatever it holds, and finding a pack's custodian follows at most
//! `MaxNestingDepth - 1` parents.
//!
//! ## Recall, expiry and quarantine without iteration
//! A pack stores a reference to its [`Batch`] (GTIN, lot, expiry, manufacturer, recall),
//! stored once per (GTIN, lot). Recalled and expired are derived when a pack is read, so a
//! recall is one write and reaches every pack of the lot, wherever it is. To keep a recalled,
//! expired or quarantined pack from being sold on inside a container (recalled and expired
//! ones go back up the supply chain only as returns), each container counts the
//! packs it holds (directly or in its child containers) per batch, at most
//! [`Config::MaxBatchesPerContainer`] batches, and how many are quarantined: shipping or
//! receiving a container checks those few batches and one counter, never its packs. The
//! counts are exact (unpacking subtracts what packing added), so a container from which the
//! recalled packs were taken out can move again.
//!
//! ## History
//! Each identifier has an append-only log of EPCIS entries ([`History`], capped at
//! [`Config::MaxHistoryLen`] for ordinary steps; quarantine and its release may use
//! [`QUARANTINE_RESERVE`] more, so a regulator can always stop a pack at least once and a
//! quarantined pack can always leave quarantine; the steps that end a shipment, a stay in a container or the
//! item's life may use [`CLOSING_RESERVE`] more again, so a full log never strands goods in
//! transit or inside a case; a container whose log is full still unpacks, its children's logs
//! holding the event). A pack's log holds its own events and, when it was packed or
//! unpacked, the sequence number of that event in the container's log; [`Pallet::history`]
//! splices in the container's own entries from between the two (its moves, not its packing or
//! unpacking of other items; recursively for nested containers), and the lot's recall, so
//! moving a container writes nothing per pack.
//!
//! ## Costs
//! Per pack: one [`Packs`] entry of constant size and its history entries. Commissioning `n`
//! packs reads one key and writes two entries per pack; packing or unpacking `n` items reads
//! one and writes two per item; shipping, receiving or rejecting writes two entries per
//! top-level item, whatever it holds. [`Pallet::verify`] reads at most
//! `MaxNestingDepth + 3` storage items.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod custody_tests;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

/// The largest page [`Pallet::history`] returns.
pub const MAX_HISTORY_PAGE: u32 = 100;
/// The most history entries [`Pallet::history`] reads for one pack, its containers' included.
pub const MAX_HISTORY_SCAN: u32 = 4_096;

/// Entries an identifier's log may hold beyond [`Config::MaxHistoryLen`], for the steps that
/// end a state the item must be able to leave (receiving or rejecting a shipment, unpacking)
/// or that end its life (dispensing, decommissioning, confirming it illegitimate). Those steps
/// are never refused for a full log: one closes the shipment or the stay in a container that
/// the last ordinary entry may have opened, one ends the item's life.
pub const CLOSING_RESERVE: u32 = 2;

/// Entries a pack's log may hold beyond [`Config::MaxHistoryLen`] for quarantine: marking a
/// pack suspect and clearing it. A regulator must be able to quarantine a pack whatever its
/// log holds (two partners shipping it back and forth must not make it uncatchable), and a
/// pack once quarantined must always be able to leave quarantine and then end its life.
///
/// A pack still able to go on holds at most `MaxHistoryLen + 1` entries outside quarantine
/// (its ordinary steps, and the one closing step that ends the shipment or the stay in a
/// container its last ordinary step began), and a quarantine is accepted while the log is
/// at most `MaxHistoryLen + QUARANTINE_RESERVE - 2` long: so the first quarantine is always
/// accepted, and a second one after a full log while room is left. A suspect pack takes at
/// most one closing step before its release or its confirmation as illegitimate (ending its
/// shipment or leaving its container), so with the release and the step that ends its life
/// it never needs more than [`CLOSING_RESERVE`] beyond the quarantine's reserve.
pub const QUARANTINE_RESERVE: u32 = 4;

/// What a step that files a history entry does, which decides whether a full log refuses it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum StepKind {
	/// Any step that leaves the item able to go on: needs a log under `MaxHistoryLen`.
	Ordinary,
	/// Marking a pack suspect: within the [`QUARANTINE_RESERVE`], leaving room in it for one
	/// more entry, so that with the [`CLOSING_RESERVE`] the steps a suspect pack may still
	/// need always fit (see [`QUARANTINE_RESERVE`]).
	Quarantine,
	/// Clearing a suspect pack: never refused for a full log, as [`StepKind::Quarantine`]
	/// left room for it; a closing step the pack took while suspect does not take that room.
	QuarantineRelease,
	/// A step that ends a shipment or a stay in a container, or the item's life: may use the
	/// [`CLOSING_RESERVE`] beyond the quarantine's.
	Closing,
}

/// The supply-chain pallet's runtime API, for pharmacy scanners, patients' apps and trading
/// partners' systems.
pub mod runtime_api {
	use alloc::vec::Vec;

	sp_api::decl_runtime_apis! {
		/// Verifies packs and reads their history.
		///
		/// `BlockNumber` is the runtime's block number: history entries say in which block
		/// each event happened.
		pub trait SupplyChainApi<BlockNumber> where
			BlockNumber: codec::Codec,
		{
			/// The pack's status (active, in transit, dispensed, decommissioned, recalled,
			/// expired, suspect, illegitimate or unknown), custodian, GTIN, lot and expiry,
			/// from a constant number of storage reads.
			fn verify(sgtin: crate::Sgtin) -> crate::Verification;
			/// Up to `count` (at most 100) events of the pack's history from position
			/// `start`, oldest first, each with the identifier whose log it comes from: the
			/// pack, or a container it was in while the event happened.
			fn history(
				sgtin: crate::Sgtin,
				start: u32,
				count: u32,
			) -> Vec<(crate::Epc, crate::HistoryEntry<BlockNumber>)>;
		}
	}
}

/// What the benchmarks need from the runtime besides organisations. Implemented by the
/// runtime when built with `runtime-benchmarks`; never used by a running chain.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// Sets the chain's clock (what `Config::Time` returns) to `now`, in milliseconds since
	/// the Unix epoch, e.g. `pallet_timestamp::Now::<Runtime>::put(now)`.
	fn set_time(now: u64);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Mutate, MutateHold},
			Time,
		},
	};
	use frame_system::pallet_prelude::*;
	use medchain_primitives::{
		deposit::{HOLD_READS, HOLD_WRITES},
		gs1::{
			expiry_end_ms, is_valid_gtin, is_valid_lot, is_valid_serial, is_valid_sscc,
			sscc_company_prefixes,
		},
		health::{OrgId, OrgKind, Organisations, Role},
	};
	use sp_core::H256;
	use sp_runtime::SaturatedConversion;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Configuration of the supply-chain pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;
		/// The currency deposits are held in.
		type Currency: Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason: From<HoldReason>>;
		/// The chain's clock, in milliseconds since the Unix epoch (`pallet_timestamp`).
		type Time: Time<Moment = u64>;
		/// The consortium's organisations: the caller's organisation, its kind, its members'
		/// roles and its GLN.
		type Organisations: Organisations<Self::AccountId>;
		/// The deposit held for each registered product, from the member who registers it.
		#[pallet::constant]
		type ProductDeposit: Get<BalanceOf<Self>>;
		/// The deposit held for each commissioned pack, from the member who commissions it.
		#[pallet::constant]
		type PackDeposit: Get<BalanceOf<Self>>;
		/// The deposit held for each container, from the member who first packs it.
		#[pallet::constant]
		type ContainerDeposit: Get<BalanceOf<Self>>;
		/// The most serials one `commission` call may create; at least 1,000.
		#[pallet::constant]
		type MaxCommissionPerCall: Get<u32>;
		/// The most items a container may hold directly, and one `aggregate` or
		/// `disaggregate` call may move.
		#[pallet::constant]
		type MaxChildrenPerContainer: Get<u32>;
		/// The most levels a containment tree may have, the pack included: pack, case,
		/// pallet is 3. At least 2.
		#[pallet::constant]
		type MaxNestingDepth: Get<u32>;
		/// The most distinct batches a container may hold, directly or not.
		#[pallet::constant]
		type MaxBatchesPerContainer: Get<u32>;
		/// The most top-level items one shipment may list.
		#[pallet::constant]
		type MaxShipmentItems: Get<u32>;
		/// The most entries an identifier's history may have from ordinary steps; the steps
		/// that end a shipment, a stay in a container or the item's life may add
		/// [`CLOSING_RESERVE`] more.
		#[pallet::constant]
		type MaxHistoryLen: Get<u32>;
		/// How long after dispensing or decommissioning a pack its organisation may revert it,
		/// in milliseconds (FMD Art. 13: 10 days).
		#[pallet::constant]
		type RevertWindow: Get<u64>;
		/// How long records are kept, in milliseconds: a pack out of the supply chain may be
		/// purged this long after its expiry, an empty container this long after its last
		/// change (DSCSA: at least 6 years).
		#[pallet::constant]
		type RetentionPeriod: Get<u64>;
		/// How long a shipment may stay in transit before its seller may cancel it, in
		/// milliseconds: a buyer that never receives nor rejects cannot strand the goods.
		#[pallet::constant]
		type ShipmentTimeout: Get<u64>;
		/// Who may move a product to another manufacturer (sudo, or the consortium's
		/// governance): the same origin that records GS1 Company Prefixes.
		type ProductOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Weights of this pallet's calls, measured by its benchmarks.
		type WeightInfo: WeightInfo;
		/// Creates organisation members for the benchmarks
		/// (`pallet_consortium::Pallet<Runtime>`).
		#[cfg(feature = "runtime-benchmarks")]
		type OrganisationsHelper: medchain_primitives::health::OrganisationsBenchmarkHelper<
			Self::AccountId,
		>;
		/// Sets the clock for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper;
	}

	/// Why the supply-chain pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit for a registered product.
		#[codec(index = 0)]
		ProductDeposit,
		/// The deposits for commissioned packs.
		#[codec(index = 1)]
		PackDeposit,
		/// The deposit for a container.
		#[codec(index = 2)]
		ContainerDeposit,
	}

	/// The EPCIS event id the next event will get.
	#[pallet::storage]
	pub type NextEventId<T: Config> = StorageValue<_, EventId, ValueQuery>;

	/// The id the next batch will get.
	#[pallet::storage]
	pub type NextBatchId<T: Config> = StorageValue<_, BatchId, ValueQuery>;

	/// The id the next shipment will get.
	#[pallet::storage]
	pub type NextShipmentId<T: Config> = StorageValue<_, ShipmentId, ValueQuery>;

	/// Registered products, by GTIN.
	#[pallet::storage]
	pub type Products<T: Config> = StorageMap<_, Blake2_128Concat, Gtin, ProductOf<T>>;

	/// The manufacturer of each deregistered product, by GTIN. GS1 forbids giving a healthcare
	/// GTIN to another product, so the chain remembers whose it was: a few bytes per product
	/// ever retired, held with no deposit, as nothing may ever free them.
	#[pallet::storage]
	pub type RetiredGtins<T: Config> = StorageMap<_, Blake2_128Concat, Gtin, OrgId>;

	/// The batch of each (GTIN, lot).
	#[pallet::storage]
	pub type BatchIds<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, Gtin, Blake2_128Concat, Lot, BatchId>;

	/// Lot numbers whose batch is gone (its last pack purged after the retention period), by
	/// GTIN and lot. A lot number names one batch for good: a new batch under an old number
	/// would carry the number of a recall without the recall, and mix two batches in the
	/// records traced by lot. A few bytes per lot ever purged, held with no deposit, as
	/// nothing may ever free them.
	#[pallet::storage]
	pub type RetiredLots<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, Gtin, Blake2_128Concat, Lot, ()>;

	/// Batches, by id: what every pack of a (GTIN, lot) shares, its recall included.
	#[pallet::storage]
	pub type Batches<T: Config> = StorageMap<_, Twox64Concat, BatchId, BatchOf<T>>;

	/// Commissioned packs, by SGTIN.
	#[pallet::storage]
	pub type Packs<T: Config> = StorageMap<_, Blake2_128Concat, Sgtin, PackOf<T>>;

	/// Containers (logistic units), by SSCC.
	#[pallet::storage]
	pub type Containers<T: Config> = StorageMap<_, Blake2_128Concat, Sscc, ContainerOf<T>>;

	/// Shipments in transit, by id.
	#[pallet::storage]
	pub type Shipments<T: Config> = StorageMap<_, Twox64Concat, ShipmentId, ShipmentOf<T>>;

	/// Each identifier's history, by sequence number from 0; its length is in the pack's or
	/// container's record.
	#[pallet::storage]
	pub type History<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, Epc, Twox64Concat, u32, HistoryEntryOf<T>>;

	/// Events of the supply-chain pallet. Each lifecycle event carries its EPCIS fields: what
	/// (the identifiers), when (block and time), where (the acting organisation's GLN) and why
	/// (business step, disposition, action).
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A manufacturer registered a product.
		ProductRegistered {
			/// The product.
			gtin: Gtin,
			/// The manufacturer organisation it belongs to.
			manufacturer: OrgId,
			/// The member who registered it and paid its deposit.
			who: T::AccountId,
			/// The manufacturer's GLN.
			location: Option<medchain_primitives::gs1::Gln>,
		},
		/// Packs of a batch were commissioned (EPCIS ObjectEvent ADD, `commissioning`).
		Commissioned {
			/// The product.
			gtin: Gtin,
			/// The lot.
			lot: Lot,
			/// The expiry date.
			expiry: Expiry,
			/// The batch the packs belong to.
			batch: BatchId,
			/// The new packs' serials.
			serials: SerialsOf<T>,
			/// The member who commissioned them.
			who: T::AccountId,
			/// The EPCIS fields.
			epcis: EpcisMetaOf<T>,
		},
		/// Items were packed into a container (EPCIS AggregationEvent ADD, `packing`).
		Aggregated {
			/// The container (`parentID`).
			parent: Sscc,
			/// The items packed (`childEPCs`).
			children: ChildrenOf<T>,
			/// The member who packed them.
			who: T::AccountId,
			/// The EPCIS fields.
			epcis: EpcisMetaOf<T>,
		},
		/// Items were taken out of a container (EPCIS AggregationEvent DELETE, `unpacking`).
		Disaggregated {
			/// The container (`parentID`).
			parent: Sscc,
			/// The items taken out (`childEPCs`).
			children: ChildrenOf<T>,
			/// The member who unpacked them.
			who: T::AccountId,
			/// The EPCIS fields.
			epcis: EpcisMetaOf<T>,
		},
		/// Items were shipped (EPCIS ObjectEvent OBSERVE, `shipping`, `in_transit`).
		Shipped {
			/// The new shipment.
			shipment: ShipmentId,
			/// The selling organisation.
			seller: OrgId,
			/// The buying organisation.
			buyer: OrgId,
			/// The top-level items shipped.
			items: ItemsOf<T>,
			/// Hash of the DSCSA transaction information and statement (for a return, of its
			/// paperwork).
			transaction: H256,
			/// A sale, or goods sent back ([`Pallet::ship_return`]).
			kind: ShipmentKind,
			/// The member who shipped them.
			who: T::AccountId,
			/// The EPCIS fields.
			epcis: EpcisMetaOf<T>,
		},
		/// The buyer received a shipment and is now the custodian (`receiving`).
		Received {
			/// The shipment, now closed.
			shipment: ShipmentId,
			/// The selling organisation.
			seller: OrgId,
			/// The buying organisation.
			buyer: OrgId,
			/// The top-level items received.
			items: ItemsOf<T>,
			/// Hash of the DSCSA transaction information and statement (for a return, of its
			/// paperwork).
			transaction: H256,
			/// The member who received them.
			who: T::AccountId,
			/// The EPCIS fields.
			epcis: EpcisMetaOf<T>,
		},
		/// The buyer refused a shipment; the seller is the custodian again (`receiving`,
		/// `returned`).
		Rejected {
			/// The shipment, now closed.
			shipment: ShipmentId,
			/// The selling organisation, custodian again.
			seller: OrgId,
			/// The buying organisation.
			buyer: OrgId,
			/// The top-level items returned.
			items: ItemsOf<T>,
			/// Hash of the DSCSA transaction information and statement (for a return, of its
			/// paperwork).
			transaction: H256,
			/// The member who refused them.
			who: T::AccountId,
			/// The EPCIS fields.
			epcis: EpcisMetaOf<T>,
		},
		/// The seller (or a regulator, for a seller that left) cancelled a shipment the buyer
		/// neither received nor rejected, because it was overdue or the buyer left the
		/// consortium; the seller is the custodian again (`void_shipping`, `returned`).
		ShipmentCancelled {
			/// The shipment, now closed.
			shipment: ShipmentId,
			/// The selling organisation, custodian again (unless it had left and a regulator
			/// cancelled: the regulator is then the custodian).
			seller: OrgId,
			/// The buying organisation.
			buyer: OrgId,
			/// The top-level items taken back.
			items: ItemsOf<T>,
			/// Hash of the DSCSA transaction information and statement (for a return, of its
			/// paperwork).
			transaction: H256,
			/// Why the seller could cancel it.
			reason: CancelReason,
			/// The member who cancelled it.
			who: T::AccountId,
			/// The EPCIS fields.
			epcis: EpcisMetaOf<T>,
		},
		/// A pharmacist supplied a pack to the public (`dispensing`, FMD Art. 25).
		Dispensed {
			/// The pack.
			sgtin: Sgtin,
			/// The pharmacist.
			who: T::AccountId,
			/// The EPCIS fields.
			epcis: EpcisMetaOf<T>,
		},
		/// A pack was taken out of the supply chain (`decommissioning`).
		Decommissioned {
			/// The pack.
			sgtin: Sgtin,
			/// Why.
			reason: DecommissionReason,
			/// The member who decommissioned it.
			who: T::AccountId,
			/// The EPCIS fields.
			epcis: EpcisMetaOf<T>,
		},
		/// A dispensed or decommissioned pack was reverted to active (FMD Art. 13).
		Reverted {
			/// The pack.
			sgtin: Sgtin,
			/// The member who reverted it.
			who: T::AccountId,
			/// The EPCIS fields.
			epcis: EpcisMetaOf<T>,
		},
		/// A lot was recalled: every pack of it, wherever it is (`recalling`).
		Recalled {
			/// The product.
			gtin: Gtin,
			/// The lot.
			lot: Lot,
			/// Its batch.
			batch: BatchId,
			/// The member of the manufacturer or regulator who recalled it.
			who: T::AccountId,
			/// The EPCIS fields.
			epcis: EpcisMetaOf<T>,
		},
		/// A pack was quarantined as suspect product (`holding`, DSCSA).
		Quarantined {
			/// The pack.
			sgtin: Sgtin,
			/// The member who quarantined it.
			who: T::AccountId,
			/// The EPCIS fields.
			epcis: EpcisMetaOf<T>,
		},
		/// A regulator cleared a suspect pack: it is active again (`inspecting`).
		Cleared {
			/// The pack.
			sgtin: Sgtin,
			/// The regulator's member.
			who: T::AccountId,
			/// The EPCIS fields.
			epcis: EpcisMetaOf<T>,
		},
		/// A regulator confirmed a suspect pack illegitimate (`inspecting`, DSCSA).
		ConfirmedIllegitimate {
			/// The pack.
			sgtin: Sgtin,
			/// The regulator's member.
			who: T::AccountId,
			/// The EPCIS fields.
			epcis: EpcisMetaOf<T>,
		},
		/// A pack's record and history were removed after the retention period and its
		/// deposit returned.
		PackPurged {
			/// The pack.
			sgtin: Sgtin,
			/// The account that purged it.
			who: T::AccountId,
		},
		/// The last pack of a lot was purged: the batch's record is gone, and its lot number
		/// is never used for the product again.
		LotRetired {
			/// The product.
			gtin: Gtin,
			/// The lot number.
			lot: Lot,
			/// The batch that had it.
			batch: BatchId,
		},
		/// An empty container's record and history were removed after the retention period
		/// and its deposit returned.
		ContainerPurged {
			/// The container.
			sscc: Sscc,
			/// The account that purged it.
			who: T::AccountId,
		},
		/// A regulator took into its custody goods held by an organisation that left the
		/// consortium (`receiving`, `non_sellable_other`; each pack's status is unchanged).
		TakenOver {
			/// The organisation that left, custodian until now.
			from: OrgId,
			/// The regulator organisation, custodian from now on.
			regulator: OrgId,
			/// The top-level items taken over.
			items: ItemsOf<T>,
			/// The regulator's member who took them over.
			who: T::AccountId,
			/// The EPCIS fields.
			epcis: EpcisMetaOf<T>,
		},
		/// A product with no lot left on chain was deregistered and its deposit returned.
		ProductDeregistered {
			/// The product.
			gtin: Gtin,
			/// The manufacturer organisation it belonged to.
			manufacturer: OrgId,
			/// The account that deregistered it.
			who: T::AccountId,
		},
		/// Governance moved a product, registered or retired, to another manufacturer: that
		/// organisation now commissions its lots (or alone may register it again). Lots
		/// already commissioned stay their manufacturer's.
		ProductTransferred {
			/// The product.
			gtin: Gtin,
			/// The manufacturer organisation it belonged to.
			from: OrgId,
			/// The manufacturer organisation it belongs to now.
			to: OrgId,
			/// Whether the product was retired (deregistered): then only `to` may register it
			/// again.
			retired: bool,
		},
	}

	/// Errors of the supply-chain pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The caller is not a member of a registered organisation.
		NotMember,
		/// Only members of a manufacturer organisation may do this.
		NotManufacturer,
		/// The product belongs to another manufacturer.
		NotProductOwner,
		/// Only a pharmacist of a pharmacy or hospital may dispense.
		NotPharmacist,
		/// Only members of a regulator organisation may do this.
		NotRegulator,
		/// Only the lot's manufacturer or a regulator may recall it.
		NotRecallAuthority,
		/// The caller's organisation does not hold the item.
		NotCustodian,
		/// The shipment is not addressed to the caller's organisation.
		NotBuyer,
		/// The shipment was not sent by the caller's organisation.
		NotSeller,
		/// The shipment may be cancelled only once `ShipmentTimeout` has passed since it was
		/// shipped, or once its buyer has left the consortium; until then the buyer may
		/// receive or reject it.
		ShipmentNotOverdue,
		/// Only the organisation that dispensed or decommissioned the pack may revert it.
		NotSameOrganisation,
		/// The GTIN is not 14 digits with a valid GS1 check digit, or is all zeros.
		InvalidGtin,
		/// The serial is not 1 to 20 characters of the GS1 AI 82 character set.
		InvalidSerial,
		/// The lot is not 1 to 20 characters of the GS1 AI 82 character set.
		InvalidLot,
		/// The expiry is not a valid `YYMMDD` date (month 01-12, a day of that month or 00).
		InvalidExpiry,
		/// The SSCC is not 18 digits with a valid GS1 check digit, or is all zeros.
		InvalidSscc,
		/// The product is already registered.
		ProductExists,
		/// No product with this GTIN is registered.
		UnknownProduct,
		/// No batch with this GTIN and lot was commissioned.
		UnknownBatch,
		/// No pack with this SGTIN was commissioned (or it was purged).
		UnknownPack,
		/// No container with this SSCC exists.
		UnknownContainer,
		/// No shipment with this id is in transit.
		UnknownShipment,
		/// The buyer is not a registered organisation.
		UnknownOrganisation,
		/// A pack with this SGTIN was already commissioned.
		AlreadyCommissioned,
		/// The lot was commissioned before with another expiry date.
		ExpiryMismatch,
		/// The lot number was used for the product before, and that batch's packs are all
		/// purged: a lot number is never given to another batch of the product.
		LotRetired,
		/// No items were given.
		NoItems,
		/// The same item is listed twice.
		DuplicateItem,
		/// The item is in a shipment in transit.
		ItemInTransit,
		/// The item is inside a container: act on the outermost container, or unpack it first.
		InsideContainer,
		/// The item is already inside a container.
		AlreadyAggregated,
		/// The item is not inside this container.
		NotInContainer,
		/// A container cannot contain itself.
		CannotContainItself,
		/// The container would hold more than `MaxChildrenPerContainer` items.
		ContainerFull,
		/// The containment tree would have more than `MaxNestingDepth` levels.
		TooDeep,
		/// The container would hold packs of more than `MaxBatchesPerContainer` batches.
		TooManyBatches,
		/// The identifier's history has `MaxHistoryLen` entries: only quarantine (within its
		/// reserve) and steps that end a shipment, a stay in a container or the item's life
		/// may still be filed.
		HistoryFull,
		/// A seller cannot ship to its own organisation.
		ShipToSelf,
		/// Returns go up the supply chain: from a pharmacy, hospital, clinic, laboratory,
		/// research organisation or regulator to a wholesaler or a manufacturer, from a
		/// wholesaler to a manufacturer, and from anyone to a regulator.
		NotAReturnDestination,
		/// The hash of the transaction information and statement is all zeros.
		MissingTransactionInfo,
		/// The pack's lot is recalled (or the container holds packs of a recalled lot).
		Recalled,
		/// The pack is expired (or the container holds expired packs).
		Expired,
		/// The pack is quarantined as suspect.
		Suspect,
		/// The container holds suspect or illegitimate packs.
		ContainsSuspect,
		/// The pack was confirmed illegitimate.
		Illegitimate,
		/// The pack was already dispensed or decommissioned.
		AlreadyDecommissioned,
		/// The pack is neither dispensed nor decommissioned.
		NotDecommissioned,
		/// The revert window (`RevertWindow`) after dispensing or decommissioning has passed.
		RevertWindowPassed,
		/// A pack decommissioned as destroyed or stolen cannot be reverted.
		CannotRevert,
		/// The lot is already recalled.
		AlreadyRecalled,
		/// The pack is already quarantined.
		AlreadySuspect,
		/// The pack is not quarantined as suspect.
		NotSuspect,
		/// The pack is still in the supply chain or may still be reverted: it cannot be
		/// purged.
		NotTerminal,
		/// The retention period has not passed yet.
		RetentionNotOver,
		/// The container still holds items.
		ContainerNotEmpty,
		/// A counter would overflow.
		Overflow,
		/// The product still has lots on chain: their packs must be purged first.
		ProductInUse,
		/// The organisation is still registered: its own members act for its goods.
		OrganisationStillRegistered,
		/// The GTIN belonged to a product of another manufacturer: only that manufacturer, or
		/// one governance moved the product to (`transferProduct`), registers it again.
		GtinRetired,
		/// No organisation holds the GS1 Company Prefix of the GTIN: governance must first
		/// record the manufacturer's prefix (`consortium.assignCompanyPrefix`).
		GtinOutsideCompanyPrefixes,
		/// The GTIN is under another organisation's GS1 Company Prefix: it is not the caller's
		/// product.
		GtinOfAnotherCompany,
		/// The organisation a product would move to is not a registered manufacturer.
		NotAManufacturer,
		/// The product already belongs to that manufacturer.
		AlreadyTheManufacturer,
		/// The lot was commissioned by another manufacturer, before the product moved to the
		/// caller's organisation: the caller's lots need lot numbers of their own.
		LotOfAnotherManufacturer,
		/// A new logistic unit's SSCC is under a GS1 Company Prefix another organisation holds:
		/// a company numbers only its own logistic units, so nobody takes an SSCC another
		/// company will print on a pallet.
		SsccOfAnotherCompany,
		/// No organisation holds the GS1 Company Prefix of the new logistic unit's SSCC:
		/// governance must first record the caller's organisation's prefix
		/// (`consortium.assignCompanyPrefix`), whatever its kind.
		SsccOutsideCompanyPrefixes,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::MaxCommissionPerCall::get() >= 1_000,
				"MaxCommissionPerCall must be at least 1,000"
			);
			assert!(
				T::MaxChildrenPerContainer::get() > 0,
				"MaxChildrenPerContainer must be positive"
			);
			assert!(
				(2..=8).contains(&T::MaxNestingDepth::get()),
				"MaxNestingDepth must be between 2 and 8"
			);
			assert!(
				T::MaxBatchesPerContainer::get() > 0,
				"MaxBatchesPerContainer must be positive"
			);
			assert!(T::MaxShipmentItems::get() > 0, "MaxShipmentItems must be positive");
			assert!(T::MaxHistoryLen::get() >= 8, "MaxHistoryLen must be at least 8");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register the product `gtin` for the caller's manufacturer organisation, which alone
		/// may then commission its packs. Holds `ProductDeposit` from the caller.
		///
		/// The GTIN must be under a GS1 Company Prefix the consortium records for the caller's
		/// organisation (`consortium.assignCompanyPrefix`), so nobody registers another
		/// company's products. A GTIN once deregistered may be registered again only by the
		/// manufacturer it belonged to, or the one governance moved it to
		/// (`transferProduct`).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_product())]
		pub fn register_product(origin: OriginFor<T>, gtin: Gtin) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let org = Self::manufacturer_of(&who)?;
			ensure!(is_valid_gtin(&gtin), Error::<T>::InvalidGtin);
			let holder = T::Organisations::gtin_prefix_holder(&gtin)
				.ok_or(Error::<T>::GtinOutsideCompanyPrefixes)?;
			ensure!(holder == org, Error::<T>::GtinOfAnotherCompany);
			ensure!(!Products::<T>::contains_key(gtin), Error::<T>::ProductExists);
			if let Some(owner) = RetiredGtins::<T>::get(gtin) {
				ensure!(owner == org, Error::<T>::GtinRetired);
				RetiredGtins::<T>::remove(gtin);
			}
			let deposit = Deposit { depositor: who.clone(), amount: T::ProductDeposit::get() };
			Self::hold(HoldReason::ProductDeposit, &deposit)?;
			Products::<T>::insert(
				gtin,
				Product { manufacturer: org, registered_at: T::Time::now(), deposit },
			);
			Self::deposit_event(Event::ProductRegistered {
				gtin,
				manufacturer: org,
				who,
				location: T::Organisations::organisation_gln(org),
			});
			Ok(())
		}

		/// Commission packs of the caller's product `gtin`, lot `lot`, expiring `expiry`
		/// (`YYMMDD`, `DD = 00` for the end of the month): one pack per serial, held by the
		/// caller's manufacturer organisation.
		///
		/// The batch is created on the first commissioning of the lot; later ones must give
		/// the same expiry, and none is allowed once the lot is recalled or expired, or under
		/// a lot number whose earlier batch was purged (`LotRetired`). Holds `PackDeposit` per
		/// pack from the caller, in one hold.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::commission(serials.len() as u32))]
		pub fn commission(
			origin: OriginFor<T>,
			gtin: Gtin,
			lot: Lot,
			expiry: Expiry,
			serials: SerialsOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let org = Self::manufacturer_of(&who)?;
			ensure!(is_valid_gtin(&gtin), Error::<T>::InvalidGtin);
			ensure!(is_valid_lot(&lot), Error::<T>::InvalidLot);
			let now = T::Time::now();
			let expires_at = expiry_end_ms(&expiry, now).ok_or(Error::<T>::InvalidExpiry)?;
			ensure!(now < expires_at, Error::<T>::Expired);
			ensure!(!serials.is_empty(), Error::<T>::NoItems);
			let product = Products::<T>::get(gtin).ok_or(Error::<T>::UnknownProduct)?;
			ensure!(product.manufacturer == org, Error::<T>::NotProductOwner);
			let count = u32::try_from(serials.len()).map_err(|_| Error::<T>::Overflow)?;

			let (batch_id, mut batch) = match BatchIds::<T>::get(gtin, &lot) {
				Some(id) => {
					let batch = Batches::<T>::get(id).ok_or(Error::<T>::UnknownBatch)?;
					ensure!(batch.manufacturer == org, Error::<T>::LotOfAnotherManufacturer);
					ensure!(batch.expiry == expiry, Error::<T>::ExpiryMismatch);
					ensure!(batch.recall.is_none(), Error::<T>::Recalled);
					(id, batch)
				},
				None => {
					ensure!(!RetiredLots::<T>::contains_key(gtin, &lot), Error::<T>::LotRetired);
					let id = NextBatchId::<T>::get();
					NextBatchId::<T>::put(id.checked_add(1).ok_or(Error::<T>::Overflow)?);
					BatchIds::<T>::insert(gtin, &lot, id);
					let batch = Batch {
						gtin,
						lot: lot.clone(),
						expiry,
						expires_at,
						manufacturer: org,
						packs: 0,
						recall: None,
					};
					(id, batch)
				},
			};
			batch.packs = batch.packs.checked_add(count).ok_or(Error::<T>::Overflow)?;
			Batches::<T>::insert(batch_id, batch);

			let each = T::PackDeposit::get();
			let total = each.checked_mul(&count.into()).ok_or(Error::<T>::Overflow)?;
			Self::hold(
				HoldReason::PackDeposit,
				&Deposit { depositor: who.clone(), amount: total },
			)?;

			let epcis = Self::epcis(
				org,
				BizStep::Commissioning,
				Disposition::Active,
				EpcisAction::Add,
				now,
			)?;
			let entry = HistoryEntry { epcis: epcis.clone(), detail: EventDetail::None };
			for serial in serials.iter() {
				ensure!(is_valid_serial(serial), Error::<T>::InvalidSerial);
				let sgtin = Sgtin { gtin, serial: serial.clone() };
				ensure!(!Packs::<T>::contains_key(&sgtin), Error::<T>::AlreadyCommissioned);
				History::<T>::insert(Epc::Sgtin(sgtin.clone()), 0, &entry);
				Packs::<T>::insert(
					sgtin,
					Pack {
						batch: batch_id,
						state: PackState::Active,
						position: Position::Held(org),
						history_len: 1,
						deposit: Deposit { depositor: who.clone(), amount: each },
					},
				);
			}
			Self::deposit_event(Event::Commissioned {
				gtin,
				lot,
				expiry,
				batch: batch_id,
				serials,
				who,
				epcis,
			});
			Ok(())
		}

		/// Pack `children` (packs or containers held by the caller's organisation, not in a
		/// container) into the container `parent`, which is created if new (holding
		/// `ContainerDeposit` from the caller) or must be held by the caller's organisation
		/// and not be in a container itself. A new container's SSCC must be under a GS1
		/// Company Prefix of the caller's organisation.
		///
		/// Packs must be active (not suspect, dispensed or decommissioned); recalled or expired
		/// packs may be packed (e.g. to be returned or destroyed) but the container then can
		/// only be shipped as a return. The tree must stay within `MaxNestingDepth` levels and
		/// `MaxBatchesPerContainer` batches. Packing into an existing container is charged
		/// less: no prefix is looked up and no deposit taken. A pack of a batch the container
		/// does not list yet also reads its batch, for the container to know the latest expiry
		/// of what it carried (the benchmark packs containers, which read none): up to one read
		/// per pack on top, refunded for the packs of batches already listed.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::aggregate(children.len() as u32)
			.saturating_add(T::DbWeight::get().reads(children.len() as u64)))]
		pub fn aggregate(
			origin: OriginFor<T>,
			parent: Sscc,
			children: ChildrenOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let org = Self::organisation_of(&who)?;
			ensure!(is_valid_sscc(&parent), Error::<T>::InvalidSscc);
			ensure!(!children.is_empty(), Error::<T>::NoItems);
			let now = T::Time::now();
			// The weight counts a new container: its prefix lookup and its deposit's hold.
			let mut unused = Weight::zero();
			let mut container = match Containers::<T>::get(parent) {
				Some(container) => {
					Self::ensure_held_by(&container.position, org)?;
					let prefix_reads = sscc_company_prefixes(&parent).count() as u64;
					unused = T::DbWeight::get()
						.reads_writes(prefix_reads.saturating_add(HOLD_READS), HOLD_WRITES);
					container
				},
				None => {
					let holder = T::Organisations::sscc_prefix_holder(&parent)
						.ok_or(Error::<T>::SsccOutsideCompanyPrefixes)?;
					ensure!(holder == org, Error::<T>::SsccOfAnotherCompany);
					let deposit =
						Deposit { depositor: who.clone(), amount: T::ContainerDeposit::get() };
					Self::hold(HoldReason::ContainerDeposit, &deposit)?;
					Container {
						position: Position::Held(org),
						children: 0,
						height: 1,
						batches: BoundedVec::new(),
						quarantined: 0,
						history_len: 0,
						updated_at: now,
						latest_expiry: 0,
						deposit,
					}
				},
			};
			let count = u32::try_from(children.len()).map_err(|_| Error::<T>::Overflow)?;
			container.children = container
				.children
				.checked_add(count)
				.filter(|total| *total <= T::MaxChildrenPerContainer::get())
				.ok_or(Error::<T>::ContainerFull)?;

			let epcis = Self::epcis(
				org,
				BizStep::Packing,
				Disposition::ContainerClosed,
				EpcisAction::Add,
				now,
			)?;
			let parent_seq = container.history_len;
			let mut batches_read: u64 = 0;
			for child in children.iter() {
				ensure!(*child != Epc::Sscc(parent), Error::<T>::CannotContainItself);
				let item = Self::load(child)?;
				if matches!(item.position(), Position::Inside(_)) {
					return Err(Error::<T>::AlreadyAggregated.into());
				}
				Self::ensure_held_by(item.position(), org)?;
				match &item {
					Item::Pack(_, pack) => {
						Self::ensure_active(&pack.state)?;
						// A container of packs has two levels (`MaxNestingDepth` is at least 2).
						container.height = container.height.max(2);
						// A batch the container already lists has its expiry counted.
						if Self::add_batch(&mut container.batches, pack.batch, 1)? {
							let batch =
								Batches::<T>::get(pack.batch).ok_or(Error::<T>::UnknownBatch)?;
							container.latest_expiry = container.latest_expiry.max(batch.expires_at);
							batches_read = batches_read.saturating_add(1);
						}
					},
					Item::Container(_, inner) => {
						ensure!(inner.quarantined == 0, Error::<T>::ContainsSuspect);
						let height = inner
							.height
							.checked_add(1)
							.filter(|height| *height <= T::MaxNestingDepth::get())
							.ok_or(Error::<T>::TooDeep)?;
						container.height = container.height.max(height);
						for (batch, packs) in inner.batches.iter() {
							let _newly_listed =
								Self::add_batch(&mut container.batches, *batch, *packs)?;
						}
						container.latest_expiry = container.latest_expiry.max(inner.latest_expiry);
					},
				}
				item.move_to(
					Position::Inside(parent),
					now,
					HistoryEntry {
						epcis: epcis.clone(),
						detail: EventDetail::Parent { parent, parent_seq },
					},
					StepKind::Ordinary,
				)?;
			}
			Self::store_packing_event(parent, container, &epcis, count, now, StepKind::Ordinary)?;
			Self::deposit_event(Event::Aggregated { parent, children, who, epcis });
			let batch_reads = T::DbWeight::get().reads(batches_read);
			Ok(Some(
				T::WeightInfo::aggregate(count).saturating_add(batch_reads).saturating_sub(unused),
			)
			.into())
		}

		/// Take `children` out of the container `parent`, held by the caller's organisation
		/// and not in a container itself; they become top-level items held by the caller's
		/// organisation. Items of any state may be taken out (e.g. a suspect pack, to isolate
		/// it).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::disaggregate(children.len() as u32))]
		pub fn disaggregate(
			origin: OriginFor<T>,
			parent: Sscc,
			children: ChildrenOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let org = Self::organisation_of(&who)?;
			ensure!(is_valid_sscc(&parent), Error::<T>::InvalidSscc);
			ensure!(!children.is_empty(), Error::<T>::NoItems);
			let mut container = Containers::<T>::get(parent).ok_or(Error::<T>::UnknownContainer)?;
			Self::ensure_held_by(&container.position, org)?;
			let now = T::Time::now();
			let count = u32::try_from(children.len()).map_err(|_| Error::<T>::Overflow)?;

			let epcis = Self::epcis(
				org,
				BizStep::Unpacking,
				Disposition::ContainerOpen,
				EpcisAction::Delete,
				now,
			)?;
			let parent_seq = container.history_len;
			for child in children.iter() {
				let item = Self::load(child)?;
				ensure!(*item.position() == Position::Inside(parent), Error::<T>::NotInContainer);
				match &item {
					Item::Pack(_, pack) => {
						Self::remove_batch(&mut container.batches, pack.batch, 1);
						if pack.state.is_quarantined() {
							container.quarantined = container.quarantined.saturating_sub(1);
						}
					},
					Item::Container(_, inner) => {
						for (batch, packs) in inner.batches.iter() {
							Self::remove_batch(&mut container.batches, *batch, *packs);
						}
						container.quarantined =
							container.quarantined.saturating_sub(inner.quarantined);
					},
				}
				item.move_to(
					Position::Held(org),
					now,
					HistoryEntry {
						epcis: epcis.clone(),
						detail: EventDetail::Parent { parent, parent_seq },
					},
					StepKind::Closing,
				)?;
			}
			container.children =
				container.children.checked_sub(count).ok_or(Error::<T>::NotInContainer)?;
			if container.children == 0 {
				container.height = 1;
				container.batches = BoundedVec::new();
				container.quarantined = 0;
			}
			Self::store_packing_event(parent, container, &epcis, count, now, StepKind::Closing)?;
			Self::deposit_event(Event::Disaggregated { parent, children, who, epcis });
			Ok(())
		}

		/// Ship `items` (top-level packs and containers held by the caller's organisation) to
		/// the organisation `buyer`, with `transaction`, the hash of the DSCSA transaction
		/// information and transaction statement sent to the buyer off chain.
		///
		/// Everything inside the containers goes with them. Refused if any pack is recalled,
		/// expired, suspect, illegitimate, dispensed or decommissioned, or any container holds
		/// such packs (recalled or expired goods go back with [`Pallet::ship_return`]). The
		/// items stay in transit until the buyer receives or rejects them (or the seller
		/// cancels an overdue shipment), and cannot be shipped, packed, dispensed or
		/// decommissioned meanwhile. A shipment holds no deposit: each of its items already
		/// does, and is in at most one shipment.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::ship(items.len() as u32))]
		pub fn ship(
			origin: OriginFor<T>,
			buyer: OrgId,
			items: ItemsOf<T>,
			transaction: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let seller = Self::organisation_of(&who)?;
			Self::ship_items(who, seller, buyer, items, transaction, ShipmentKind::Sale)
		}

		/// Send `items` (top-level packs and containers held by the caller's organisation)
		/// back up the supply chain to `to` (see [`Error::NotAReturnDestination`]), with
		/// `transaction`, the hash of the return's paperwork (e.g. the DSCSA return
		/// authorisation) exchanged off chain.
		///
		/// Unlike [`Pallet::ship`], recalled and expired goods may go, for credit or
		/// destruction; suspect, illegitimate, dispensed and decommissioned ones may not. The
		/// receiver takes them in with [`Pallet::receive`] (which then does not refuse recalled
		/// or expired goods), or refuses them with [`Pallet::reject`]. Goods received this way
		/// can still never be sold on while recalled or expired: only returned again or
		/// decommissioned. The shipping event's disposition is `returned`; its receipt's is
		/// `non_sellable_other`: taken back, to be verified before any resale (DSCSA; a log
		/// entry, which blocks nothing by itself: the pack's status is its lot's).
		///
		/// Charged as [`Pallet::ship`]: the same steps, which also read the lots a return does
		/// not check (its own benchmark, `ship_return`, measures the return alone).
		#[pallet::call_index(20)]
		#[pallet::weight(T::WeightInfo::ship(items.len() as u32))]
		pub fn ship_return(
			origin: OriginFor<T>,
			to: OrgId,
			items: ItemsOf<T>,
			transaction: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let from = Self::organisation_of(&who)?;
			if let Some(destination) = T::Organisations::organisation_kind(to) {
				ensure!(
					destination == OrgKind::Regulator
						|| T::Organisations::organisation_kind(from).is_some_and(|sender| {
							Self::supply_tier(destination) > Self::supply_tier(sender)
						}),
					Error::<T>::NotAReturnDestination
				);
			}
			Self::ship_items(who, from, to, items, transaction, ShipmentKind::Return)
		}

		/// Receive the shipment `shipment`, addressed to the caller's organisation, which
		/// becomes the custodian of its items (and of everything inside them).
		///
		/// Refused if, since shipping, a lot was recalled, a pack expired or was quarantined:
		/// the buyer may then reject the shipment. A return ([`Pallet::ship_return`]) is
		/// refused only for a quarantined pack: recalled and expired goods are what returns
		/// carry.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::receive(T::MaxShipmentItems::get()))]
		pub fn receive(origin: OriginFor<T>, shipment: ShipmentId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let org = Self::organisation_of(&who)?;
			let entry = Shipments::<T>::get(shipment).ok_or(Error::<T>::UnknownShipment)?;
			ensure!(entry.buyer == org, Error::<T>::NotBuyer);
			let now = T::Time::now();
			let disposition = match entry.kind {
				ShipmentKind::Sale => Disposition::Active,
				// Taken back, to be verified before any resale; unlike a refusal (`returned`).
				ShipmentKind::Return => Disposition::NonSellableOther,
			};
			let epcis =
				Self::epcis(org, BizStep::Receiving, disposition, EpcisAction::Observe, now)?;
			for epc in entry.items.iter() {
				let item = Self::load(epc)?;
				Self::ensure_may_go(&item, entry.kind, now)?;
			}
			let count = Self::close_shipment(shipment, &entry, org, &epcis, now)?;
			Self::deposit_event(Event::Received {
				shipment,
				seller: entry.seller,
				buyer: entry.buyer,
				items: entry.items,
				transaction: entry.transaction,
				who,
				epcis,
			});
			Ok(Some(T::WeightInfo::receive(count)).into())
		}

		/// Refuse the shipment `shipment`, addressed to the caller's organisation: its items
		/// go straight back to the seller's custody, whatever their state (a recalled or
		/// suspect shipment is refused this way).
		///
		/// The seller holds them again at once, with no return shipment to receive: the goods
		/// never left the seller's responsibility. Goods the buyer had received go back with
		/// [`Pallet::ship_return`] (or, if saleable, an ordinary shipment).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::reject(T::MaxShipmentItems::get()))]
		pub fn reject(origin: OriginFor<T>, shipment: ShipmentId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let org = Self::organisation_of(&who)?;
			let entry = Shipments::<T>::get(shipment).ok_or(Error::<T>::UnknownShipment)?;
			ensure!(entry.buyer == org, Error::<T>::NotBuyer);
			let now = T::Time::now();
			let epcis = Self::epcis(
				org,
				BizStep::Receiving,
				Disposition::Returned,
				EpcisAction::Observe,
				now,
			)?;
			let count = Self::close_shipment(shipment, &entry, entry.seller, &epcis, now)?;
			Self::deposit_event(Event::Rejected {
				shipment,
				seller: entry.seller,
				buyer: entry.buyer,
				items: entry.items,
				transaction: entry.transaction,
				who,
				epcis,
			});
			Ok(Some(T::WeightInfo::reject(count)).into())
		}

		/// Cancel the shipment `shipment`, sent by the caller's organisation, that the buyer
		/// has neither received nor rejected: its items go back to the seller's custody,
		/// whatever their state, as when the buyer rejects it.
		///
		/// Allowed once `ShipmentTimeout` has passed since shipping, or at once if the buyer
		/// is no longer a registered organisation. Goods lost or stolen in transit are then
		/// the seller's to decommission (as stolen) or to ship again.
		///
		/// Once the seller itself has left the consortium, a regulator's member may cancel
		/// instead, on the same terms: the goods then go into the regulator's custody (see
		/// [`Pallet::take_over`]).
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::cancel_shipment(T::MaxShipmentItems::get()))]
		pub fn cancel_shipment(
			origin: OriginFor<T>,
			shipment: ShipmentId,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let org = Self::organisation_of(&who)?;
			let entry = Shipments::<T>::get(shipment).ok_or(Error::<T>::UnknownShipment)?;
			ensure!(
				entry.seller == org
					|| (Self::is_regulator(org)
						&& T::Organisations::organisation_kind(entry.seller).is_none()),
				Error::<T>::NotSeller
			);
			let now = T::Time::now();
			let reason = if T::Organisations::organisation_kind(entry.buyer).is_none() {
				CancelReason::BuyerLeft
			} else if now >= entry.shipped_at.saturating_add(T::ShipmentTimeout::get()) {
				CancelReason::Overdue
			} else {
				return Err(Error::<T>::ShipmentNotOverdue.into());
			};
			let epcis = Self::epcis(
				org,
				BizStep::VoidShipping,
				Disposition::Returned,
				EpcisAction::Observe,
				now,
			)?;
			let count = Self::close_shipment(shipment, &entry, org, &epcis, now)?;
			Self::deposit_event(Event::ShipmentCancelled {
				shipment,
				seller: entry.seller,
				buyer: entry.buyer,
				items: entry.items,
				transaction: entry.transaction,
				reason,
				who,
				epcis,
			});
			Ok(Some(T::WeightInfo::cancel_shipment(count)).into())
		}

		/// Dispense the pack `sgtin` to a patient (FMD Art. 25): the caller is a pharmacist of
		/// the pharmacy or hospital holding it, outside any container. Refused if the pack is
		/// recalled, expired, suspect, illegitimate or already out of the supply chain.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::dispense())]
		pub fn dispense(origin: OriginFor<T>, sgtin: Sgtin) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let org = Self::pharmacist_of(&who)?;
			let mut pack = Self::pack(&sgtin)?;
			Self::ensure_held_by(&pack.position, org)?;
			Self::ensure_active(&pack.state)?;
			let now = T::Time::now();
			Self::ensure_batch_saleable(pack.batch, now)?;
			let epcis = Self::epcis(
				org,
				BizStep::Dispensing,
				Disposition::Dispensed,
				EpcisAction::Observe,
				now,
			)?;
			pack.state = PackState::Dispensed { by: org, at: now };
			Self::push_pack_history(
				&sgtin,
				&mut pack,
				&epcis,
				EventDetail::None,
				StepKind::Closing,
			)?;
			Packs::<T>::insert(&sgtin, pack);
			Self::deposit_event(Event::Dispensed { sgtin, who, epcis });
			Ok(())
		}

		/// Decommission the pack `sgtin`, held by the caller's organisation outside any
		/// container, for `reason`. Recalled or expired packs may be decommissioned (e.g.
		/// destroyed); suspect ones only once a regulator has ruled.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::decommission())]
		pub fn decommission(
			origin: OriginFor<T>,
			sgtin: Sgtin,
			reason: DecommissionReason,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let org = Self::organisation_of(&who)?;
			let mut pack = Self::pack(&sgtin)?;
			Self::ensure_held_by(&pack.position, org)?;
			Self::ensure_active(&pack.state)?;
			let now = T::Time::now();
			let disposition = match reason {
				DecommissionReason::Destroyed => Disposition::Destroyed,
				DecommissionReason::Stolen => Disposition::Stolen,
				DecommissionReason::Sample
				| DecommissionReason::Exported
				| DecommissionReason::SuppliedToInstitution => Disposition::Inactive,
			};
			let epcis =
				Self::epcis(org, BizStep::Decommissioning, disposition, EpcisAction::Delete, now)?;
			pack.state = PackState::Decommissioned { reason, by: org, at: now };
			Self::push_pack_history(
				&sgtin,
				&mut pack,
				&epcis,
				EventDetail::Decommission(reason),
				StepKind::Closing,
			)?;
			Packs::<T>::insert(&sgtin, pack);
			Self::deposit_event(Event::Decommissioned { sgtin, reason, who, epcis });
			Ok(())
		}

		/// Revert the dispensed or decommissioned pack `sgtin` to active (FMD Art. 13): only
		/// by the organisation that dispensed or decommissioned it (a pharmacist, for a
		/// dispensed pack), within `RevertWindow`, and never if the pack is recalled, expired,
		/// destroyed or stolen.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::revert_decommission())]
		pub fn revert_decommission(origin: OriginFor<T>, sgtin: Sgtin) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let org = Self::organisation_of(&who)?;
			let mut pack = Self::pack(&sgtin)?;
			let (by, at) = match pack.state {
				PackState::Dispensed { by, at } => {
					ensure!(by == org, Error::<T>::NotSameOrganisation);
					Self::pharmacist_of(&who)?;
					(by, at)
				},
				PackState::Decommissioned { reason, by, at } => {
					ensure!(by == org, Error::<T>::NotSameOrganisation);
					ensure!(reason.is_revertible(), Error::<T>::CannotRevert);
					(by, at)
				},
				_ => return Err(Error::<T>::NotDecommissioned.into()),
			};
			let now = T::Time::now();
			ensure!(
				now < at.saturating_add(T::RevertWindow::get()),
				Error::<T>::RevertWindowPassed
			);
			Self::ensure_batch_saleable(pack.batch, now)?;
			let epcis =
				Self::epcis(by, BizStep::Reverting, Disposition::Active, EpcisAction::Add, now)?;
			pack.state = PackState::Active;
			Self::push_pack_history(
				&sgtin,
				&mut pack,
				&epcis,
				EventDetail::None,
				StepKind::Ordinary,
			)?;
			Packs::<T>::insert(&sgtin, pack);
			Self::deposit_event(Event::Reverted { sgtin, who, epcis });
			Ok(())
		}

		/// Recall the lot `lot` of `gtin`: by a member of its manufacturer or of a regulator.
		///
		/// One write: every pack of the lot, wherever it is and whatever holds it, is recalled
		/// from now on (its status is derived from its batch when read), so it can no longer
		/// be sold on, dispensed or reverted, only returned ([`Pallet::ship_return`]) or
		/// decommissioned; containers holding any are blocked the same way.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::recall())]
		pub fn recall(origin: OriginFor<T>, gtin: Gtin, lot: Lot) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let org = Self::organisation_of(&who)?;
			ensure!(is_valid_gtin(&gtin), Error::<T>::InvalidGtin);
			ensure!(is_valid_lot(&lot), Error::<T>::InvalidLot);
			let batch_id = BatchIds::<T>::get(gtin, &lot).ok_or(Error::<T>::UnknownBatch)?;
			let mut batch = Batches::<T>::get(batch_id).ok_or(Error::<T>::UnknownBatch)?;
			ensure!(
				batch.manufacturer == org || Self::is_regulator(org),
				Error::<T>::NotRecallAuthority
			);
			ensure!(batch.recall.is_none(), Error::<T>::AlreadyRecalled);
			let epcis = Self::epcis(
				org,
				BizStep::Recalling,
				Disposition::Recalled,
				EpcisAction::Observe,
				T::Time::now(),
			)?;
			batch.recall = Some(Recall { epcis: epcis.clone() });
			Batches::<T>::insert(batch_id, batch);
			Self::deposit_event(Event::Recalled { gtin, lot, batch: batch_id, who, epcis });
			Ok(())
		}

		/// Quarantine the active pack `sgtin` as suspect product (DSCSA): by a member of its
		/// custodian organisation (of its outermost container, if packed) or of a regulator.
		///
		/// A suspect pack cannot be shipped, received, packed or dispensed, nor can the
		/// containers holding it, until a regulator clears it.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::mark_suspect())]
		pub fn mark_suspect(origin: OriginFor<T>, sgtin: Sgtin) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let org = Self::organisation_of(&who)?;
			let mut pack = Self::pack(&sgtin)?;
			match pack.state {
				PackState::Active => {},
				PackState::Suspect { .. } => return Err(Error::<T>::AlreadySuspect.into()),
				_ => Self::ensure_active(&pack.state)?,
			}
			let (ancestors, root) = Self::resolve(&pack.position)?;
			ensure!(
				Self::is_regulator(org) || root == Position::Held(org),
				Error::<T>::NotCustodian
			);
			let now = T::Time::now();
			let epcis = Self::epcis(
				org,
				BizStep::Holding,
				Disposition::NonSellableOther,
				EpcisAction::Observe,
				now,
			)?;
			for sscc in ancestors.iter() {
				Containers::<T>::mutate(sscc, |container| {
					if let Some(container) = container {
						container.quarantined = container.quarantined.saturating_add(1);
					}
				});
			}
			pack.state = PackState::Suspect { by: org, at: now };
			Self::push_pack_history(
				&sgtin,
				&mut pack,
				&epcis,
				EventDetail::None,
				StepKind::Quarantine,
			)?;
			Packs::<T>::insert(&sgtin, pack);
			Self::deposit_event(Event::Quarantined { sgtin, who, epcis });
			Ok(())
		}

		/// Clear the suspect pack `sgtin`: it is active again. Regulators only.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::clear_suspect())]
		pub fn clear_suspect(origin: OriginFor<T>, sgtin: Sgtin) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let org = Self::regulator_of(&who)?;
			let mut pack = Self::pack(&sgtin)?;
			ensure!(matches!(pack.state, PackState::Suspect { .. }), Error::<T>::NotSuspect);
			let (ancestors, _root) = Self::resolve(&pack.position)?;
			let now = T::Time::now();
			let epcis = Self::epcis(
				org,
				BizStep::Inspecting,
				Disposition::Active,
				EpcisAction::Observe,
				now,
			)?;
			for sscc in ancestors.iter() {
				Containers::<T>::mutate(sscc, |container| {
					if let Some(container) = container {
						container.quarantined = container.quarantined.saturating_sub(1);
					}
				});
			}
			pack.state = PackState::Active;
			Self::push_pack_history(
				&sgtin,
				&mut pack,
				&epcis,
				EventDetail::None,
				StepKind::QuarantineRelease,
			)?;
			Packs::<T>::insert(&sgtin, pack);
			Self::deposit_event(Event::Cleared { sgtin, who, epcis });
			Ok(())
		}

		/// Confirm the suspect pack `sgtin` illegitimate (DSCSA): terminal, it never moves
		/// again except out of a container. Regulators only.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::confirm_illegitimate())]
		pub fn confirm_illegitimate(origin: OriginFor<T>, sgtin: Sgtin) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let org = Self::regulator_of(&who)?;
			let mut pack = Self::pack(&sgtin)?;
			ensure!(matches!(pack.state, PackState::Suspect { .. }), Error::<T>::NotSuspect);
			let now = T::Time::now();
			let epcis = Self::epcis(
				org,
				BizStep::Inspecting,
				Disposition::Illegitimate,
				EpcisAction::Observe,
				now,
			)?;
			pack.state = PackState::Illegitimate { by: org, at: now };
			Self::push_pack_history(
				&sgtin,
				&mut pack,
				&epcis,
				EventDetail::None,
				StepKind::Closing,
			)?;
			Packs::<T>::insert(&sgtin, pack);
			Self::deposit_event(Event::ConfirmedIllegitimate { sgtin, who, epcis });
			Ok(())
		}

		/// Remove the pack `sgtin` and its history, returning its deposit to whoever
		/// commissioned it. Anyone may, once the pack is out of the supply chain for good
		/// (dispensed and past the revert window, decommissioned, or illegitimate), outside
		/// any container, and `RetentionPeriod` has passed since its expiry date and since it
		/// left the supply chain, whichever is later (a pack found illegitimate, stolen or
		/// destroyed years after its expiry keeps its record for the whole period after that).
		///
		/// Afterwards `verify` answers unknown: the retention period is when records may go.
		/// Purging a lot's last pack removes its batch and retires its lot number for the
		/// product.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::purge_pack(Pallet::<T>::max_log_entries()))]
		pub fn purge_pack(origin: OriginFor<T>, sgtin: Sgtin) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let pack = Self::pack(&sgtin)?;
			let now = T::Time::now();
			let left_at = match pack.state {
				PackState::Dispensed { at, .. } => {
					ensure!(
						now >= at.saturating_add(T::RevertWindow::get()),
						Error::<T>::NotTerminal
					);
					at
				},
				PackState::Decommissioned { at, .. } | PackState::Illegitimate { at, .. } => at,
				PackState::Active | PackState::Suspect { .. } => {
					return Err(Error::<T>::NotTerminal.into())
				},
			};
			ensure!(matches!(pack.position, Position::Held(_)), Error::<T>::InsideContainer);
			let mut batch = Batches::<T>::get(pack.batch).ok_or(Error::<T>::UnknownBatch)?;
			ensure!(
				now >= batch.expires_at.max(left_at).saturating_add(T::RetentionPeriod::get()),
				Error::<T>::RetentionNotOver
			);
			Self::release(HoldReason::PackDeposit, &pack.deposit)?;
			Self::remove_history(&Epc::Sgtin(sgtin.clone()), pack.history_len);
			Packs::<T>::remove(&sgtin);
			batch.packs = batch.packs.saturating_sub(1);
			let retired = if batch.packs == 0 {
				BatchIds::<T>::remove(batch.gtin, &batch.lot);
				RetiredLots::<T>::insert(batch.gtin, &batch.lot, ());
				Batches::<T>::remove(pack.batch);
				Some(Event::LotRetired { gtin: batch.gtin, lot: batch.lot, batch: pack.batch })
			} else {
				Batches::<T>::insert(pack.batch, batch);
				None
			};
			Self::deposit_event(Event::PackPurged { sgtin, who });
			if let Some(event) = retired {
				Self::deposit_event(event);
			}
			Ok(Some(T::WeightInfo::purge_pack(pack.history_len)).into())
		}

		/// Remove the empty container `sscc` and its history, returning its deposit to whoever
		/// created it. Anyone may, once it holds nothing, is neither in transit nor in a
		/// container, has not changed for `RetentionPeriod`, and `RetentionPeriod` has passed
		/// since the latest expiry date of the packs it ever carried: its history holds their
		/// journeys in it (shipments, receipts), which their own histories do not repeat.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::purge_container(Pallet::<T>::max_log_entries()))]
		pub fn purge_container(origin: OriginFor<T>, sscc: Sscc) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let container = Containers::<T>::get(sscc).ok_or(Error::<T>::UnknownContainer)?;
			ensure!(container.children == 0, Error::<T>::ContainerNotEmpty);
			match container.position {
				Position::Held(_) => {},
				Position::InTransit(_) => return Err(Error::<T>::ItemInTransit.into()),
				Position::Inside(_) => return Err(Error::<T>::InsideContainer.into()),
			}
			let kept_from = container.updated_at.max(container.latest_expiry);
			ensure!(
				T::Time::now() >= kept_from.saturating_add(T::RetentionPeriod::get()),
				Error::<T>::RetentionNotOver
			);
			Self::release(HoldReason::ContainerDeposit, &container.deposit)?;
			Self::remove_history(&Epc::Sscc(sscc), container.history_len);
			Containers::<T>::remove(sscc);
			Self::deposit_event(Event::ContainerPurged { sscc, who });
			Ok(Some(T::WeightInfo::purge_container(container.history_len)).into())
		}

		/// Take `items` (top-level packs and containers) held by `from`, an organisation that
		/// is no longer registered, into the custody of the caller's regulator organisation:
		/// by a member of a regulator.
		///
		/// Goods of a pharmacy or wholesaler that closed, or that a buyer rejected back to a
		/// seller that had left, would otherwise have no one to act for them. Everything inside
		/// the containers goes with them, in whatever state (a recalled lot is taken over to be
		/// destroyed). Packs already out of the supply chain (dispensed, decommissioned,
		/// illegitimate) are refused: they need no custodian and are purged where they are.
		/// The regulator may then ship the goods on, decommission them, or clear or confirm
		/// suspect packs, as any custodian would.
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::take_over(items.len() as u32))]
		pub fn take_over(origin: OriginFor<T>, from: OrgId, items: ItemsOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let regulator = Self::regulator_of(&who)?;
			ensure!(
				T::Organisations::organisation_kind(from).is_none(),
				Error::<T>::OrganisationStillRegistered
			);
			ensure!(!items.is_empty(), Error::<T>::NoItems);
			Self::ensure_distinct(&items)?;
			let now = T::Time::now();
			// Held by the regulator, not for sale until it ships them on.
			let epcis = Self::epcis(
				regulator,
				BizStep::Receiving,
				Disposition::NonSellableOther,
				EpcisAction::Observe,
				now,
			)?;
			let entry =
				HistoryEntry { epcis: epcis.clone(), detail: EventDetail::TakeOver { from } };
			for epc in items.iter() {
				let item = Self::load(epc)?;
				Self::ensure_held_by(item.position(), from)?;
				if let Item::Pack(_, pack) = &item {
					match pack.state {
						PackState::Active | PackState::Suspect { .. } => {},
						PackState::Illegitimate { .. } => {
							return Err(Error::<T>::Illegitimate.into())
						},
						PackState::Dispensed { .. } | PackState::Decommissioned { .. } => {
							return Err(Error::<T>::AlreadyDecommissioned.into())
						},
					}
				}
				// The goods must never be stranded: an item whose log is full (a pallet unpacked
				// case by case) moves without an entry; the chain's event keeps the take-over.
				if Self::has_room(item.history_len(), StepKind::Closing) {
					item.move_to(Position::Held(regulator), now, entry.clone(), StepKind::Closing)?;
				} else {
					item.relocate(Position::Held(regulator), now);
				}
			}
			Self::deposit_event(Event::TakenOver { from, regulator, items, who, epcis });
			Ok(())
		}

		/// Deregister the product `gtin`, returning its deposit to whoever registered it, once
		/// none of its lots is left on chain (every pack purged after the retention period).
		/// The GTIN stays its manufacturer's: only that organisation (or one governance moves
		/// it to) may register it again.
		///
		/// By a member of the product's manufacturer organisation; by anyone once that
		/// organisation is no longer registered, so its deposit is never stranded.
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::deregister_product())]
		pub fn deregister_product(origin: OriginFor<T>, gtin: Gtin) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let product = Products::<T>::get(gtin).ok_or(Error::<T>::UnknownProduct)?;
			if T::Organisations::organisation_kind(product.manufacturer).is_some() {
				let org = Self::organisation_of(&who)?;
				ensure!(org == product.manufacturer, Error::<T>::NotProductOwner);
			}
			ensure!(BatchIds::<T>::iter_prefix(gtin).next().is_none(), Error::<T>::ProductInUse);
			Self::release(HoldReason::ProductDeposit, &product.deposit)?;
			Products::<T>::remove(gtin);
			RetiredGtins::<T>::insert(gtin, product.manufacturer);
			Self::deposit_event(Event::ProductDeregistered {
				gtin,
				manufacturer: product.manufacturer,
				who,
			});
			Ok(())
		}

		/// Move the product `gtin`, registered or retired, to the manufacturer organisation
		/// `to`. For governance (`ProductOrigin`): a company that buys a product line takes
		/// its GTINs, which GS1 lets stay in use whether or not the seller's Company Prefix
		/// goes with them; a product registered under a prefix recorded in error goes to the
		/// prefix's rightful holder.
		///
		/// Lots already commissioned stay their manufacturer's: their packs' history says who
		/// made them, and that manufacturer (or a regulator) still recalls them; `to`
		/// commissions lots of its own, under no lot number of another manufacturer's batch
		/// and no retired one. The product's deposit stays with the member who paid it, and
		/// comes back to them when `to` deregisters the product. A retired GTIN moved
		/// to `to` is registered again by `to` only while it holds the GTIN's prefix.
		#[pallet::call_index(19)]
		#[pallet::weight(T::WeightInfo::transfer_product())]
		pub fn transfer_product(origin: OriginFor<T>, gtin: Gtin, to: OrgId) -> DispatchResult {
			T::ProductOrigin::ensure_origin(origin)?;
			ensure!(
				T::Organisations::organisation_kind(to) == Some(OrgKind::Manufacturer),
				Error::<T>::NotAManufacturer
			);
			let (from, retired) = match Products::<T>::get(gtin) {
				Some(mut product) => {
					let from = product.manufacturer;
					ensure!(from != to, Error::<T>::AlreadyTheManufacturer);
					product.manufacturer = to;
					Products::<T>::insert(gtin, product);
					(from, false)
				},
				None => {
					let from = RetiredGtins::<T>::get(gtin).ok_or(Error::<T>::UnknownProduct)?;
					ensure!(from != to, Error::<T>::AlreadyTheManufacturer);
					RetiredGtins::<T>::insert(gtin, to);
					(from, true)
				},
			};
			Self::deposit_event(Event::ProductTransferred { gtin, from, to, retired });
			Ok(())
		}
	}

	/// A pack or a container, loaded for a call that treats both alike.
	pub(crate) enum Item<T: Config> {
		/// A pack and its record.
		Pack(Sgtin, PackOf<T>),
		/// A container and its record.
		Container(Sscc, ContainerOf<T>),
	}

	impl<T: Config> Item<T> {
		/// Where the item is.
		pub(crate) fn position(&self) -> &Position {
			match self {
				Item::Pack(_, pack) => &pack.position,
				Item::Container(_, container) => &container.position,
			}
		}

		/// How many entries the item's log holds.
		pub(crate) fn history_len(&self) -> u32 {
			match self {
				Item::Pack(_, pack) => pack.history_len,
				Item::Container(_, container) => container.history_len,
			}
		}

		/// Moves the item to `position` and writes it back, filing no history entry.
		fn relocate(mut self, position: Position, now: u64) {
			match &mut self {
				Item::Pack(_, pack) => pack.position = position,
				Item::Container(_, container) => {
					container.position = position;
					container.updated_at = now;
				},
			}
			self.store();
		}

		/// Writes the item back.
		fn store(self) {
			match self {
				Item::Pack(sgtin, pack) => Packs::<T>::insert(sgtin, pack),
				Item::Container(sscc, container) => Containers::<T>::insert(sscc, container),
			}
		}

		/// Moves the item to `position` (a container also records when it last changed), files
		/// `entry` in its history and writes it back.
		fn move_to(
			mut self,
			position: Position,
			now: u64,
			entry: HistoryEntryOf<T>,
			kind: StepKind,
		) -> Result<(), Error<T>> {
			match &mut self {
				Item::Pack(sgtin, pack) => {
					pack.position = position;
					Pallet::<T>::push_history(
						&Epc::Sgtin(sgtin.clone()),
						&mut pack.history_len,
						entry,
						kind,
					)?;
				},
				Item::Container(sscc, container) => {
					container.position = position;
					container.updated_at = now;
					Pallet::<T>::push_history(
						&Epc::Sscc(*sscc),
						&mut container.history_len,
						entry,
						kind,
					)?;
				},
			}
			self.store();
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Whether `sgtin` may be sold or used, and who has it: status, custodian, GTIN, lot
		/// and expiry. Reads the pack, its batch, at most `MaxNestingDepth - 1` containers, at
		/// most one shipment and the clock.
		pub fn verify(sgtin: &Sgtin) -> Verification {
			let unknown = Verification {
				status: PackStatus::Unknown,
				gtin: sgtin.gtin,
				lot: None,
				expiry: None,
				manufacturer: None,
				custody: None,
				container: None,
				recalled: false,
				expired: false,
			};
			let Some(pack) = Packs::<T>::get(sgtin) else { return unknown };
			let Some(batch) = Batches::<T>::get(pack.batch) else { return unknown };
			let now = T::Time::now();
			let recalled = batch.recall.is_some();
			let expired = now >= batch.expires_at;
			let (container, custody) = match Self::resolve(&pack.position) {
				Ok((ancestors, root)) => {
					let custody = match root {
						Position::Held(org) => Some(Custody::Held(org)),
						Position::InTransit(shipment) => {
							Shipments::<T>::get(shipment).map(|entry| Custody::InTransit {
								shipment,
								seller: entry.seller,
								buyer: entry.buyer,
							})
						},
						Position::Inside(_) => None,
					};
					(ancestors.last().copied(), custody)
				},
				Err(_) => (None, None),
			};
			let status = match pack.state {
				PackState::Illegitimate { .. } => PackStatus::Illegitimate,
				_ if recalled => PackStatus::Recalled,
				PackState::Suspect { .. } => PackStatus::Suspect,
				PackState::Decommissioned { reason, .. } => PackStatus::Decommissioned(reason),
				PackState::Dispensed { .. } => PackStatus::Dispensed,
				PackState::Active if expired => PackStatus::Expired,
				PackState::Active => match custody {
					Some(Custody::InTransit { .. }) => PackStatus::InTransit,
					_ => PackStatus::Active,
				},
			};
			Verification {
				status,
				gtin: sgtin.gtin,
				lot: Some(batch.lot),
				expiry: Some(batch.expiry),
				manufacturer: Some(batch.manufacturer),
				custody,
				container,
				recalled,
				expired,
			}
		}

		/// Up to `count` (at most [`MAX_HISTORY_PAGE`]) events of `sgtin`'s history from
		/// position `start`, oldest first, each with the identifier whose log it comes from.
		///
		/// The pack's own entries, the entries of each container it was in while it was there
		/// (recursively; the container's own moves, not its packing or unpacking of other
		/// items), and its lot's recall, ordered by EPCIS event id. Reads at most
		/// [`MAX_HISTORY_SCAN`] entries.
		pub fn history(sgtin: &Sgtin, start: u32, count: u32) -> Vec<(Epc, HistoryEntryOf<T>)> {
			let Some(pack) = Packs::<T>::get(sgtin) else { return Vec::new() };
			let mut entries = Vec::new();
			let mut budget = MAX_HISTORY_SCAN;
			Self::collect_history(
				&Epc::Sgtin(sgtin.clone()),
				0,
				pack.history_len,
				None,
				0,
				&mut budget,
				&mut entries,
			);
			if let Some(recall) = Batches::<T>::get(pack.batch).and_then(|batch| batch.recall) {
				entries.push((
					Epc::Sgtin(sgtin.clone()),
					HistoryEntry {
						epcis: recall.epcis,
						detail: EventDetail::Recall { batch: pack.batch },
					},
				));
			}
			entries.sort_by_key(|(_, entry)| entry.epcis.event_id);
			entries
				.into_iter()
				.skip(start.saturated_into())
				.take(count.min(MAX_HISTORY_PAGE).saturated_into())
				.collect()
		}

		/// Appends to `out` the entries `from..to` of `epc`'s log with an event id below
		/// `before`, and, for each stay of `epc` in a container, the container's entries
		/// from that stay.
		fn collect_history(
			epc: &Epc,
			from: u32,
			to: u32,
			before: Option<EventId>,
			depth: u32,
			budget: &mut u32,
			out: &mut Vec<(Epc, HistoryEntryOf<T>)>,
		) {
			// The container `epc` is in, the sequence number of the packing event in the
			// container's log, and that event's id.
			let mut stay: Option<(Sscc, u32, EventId)> = None;
			for seq in from..to {
				if *budget == 0 {
					return;
				}
				*budget = budget.saturating_sub(1);
				let Some(entry) = History::<T>::get(epc, seq) else { continue };
				if before.is_some_and(|before| entry.epcis.event_id >= before) {
					break;
				}
				// A container's packing or unpacking of other items while this one was inside
				// did not concern it: only the container's own moves are spliced in.
				if depth > 0 && matches!(entry.detail, EventDetail::Children { .. }) {
					continue;
				}
				if let EventDetail::Parent { parent, parent_seq } = entry.detail {
					match entry.epcis.action {
						EpcisAction::Add => stay = Some((parent, parent_seq, entry.epcis.event_id)),
						_ => {
							if let Some((container, packed_seq, packed_id)) = stay.take() {
								if container == parent {
									Self::splice_container(
										container,
										packed_seq,
										packed_id,
										parent_seq,
										Some(entry.epcis.event_id),
										depth,
										budget,
										out,
									);
								}
							}
						},
					}
				}
				out.push((epc.clone(), entry));
			}
			if let Some((container, packed_seq, packed_id)) = stay {
				let end = Containers::<T>::get(container).map_or(0, |c| c.history_len);
				Self::splice_container(
					container, packed_seq, packed_id, end, before, depth, budget, out,
				);
			}
		}

		/// Appends to `out` the entries of `container`'s log after `packed_seq` and before
		/// `end`, if the entry at `packed_seq` is still the packing event `packed_id` (the
		/// container was not purged and reused since).
		#[allow(clippy::too_many_arguments)]
		fn splice_container(
			container: Sscc,
			packed_seq: u32,
			packed_id: EventId,
			end: u32,
			before: Option<EventId>,
			depth: u32,
			budget: &mut u32,
			out: &mut Vec<(Epc, HistoryEntryOf<T>)>,
		) {
			let depth = depth.saturating_add(1);
			if depth >= T::MaxNestingDepth::get() || *budget == 0 {
				return;
			}
			*budget = budget.saturating_sub(1);
			let epc = Epc::Sscc(container);
			let same_stay = History::<T>::get(&epc, packed_seq)
				.is_some_and(|entry| entry.epcis.event_id == packed_id);
			if same_stay {
				Self::collect_history(
					&epc,
					packed_seq.saturating_add(1),
					end,
					before,
					depth,
					budget,
					out,
				);
			}
		}

		/// The registered organisation `who` is a member of.
		fn organisation_of(who: &T::AccountId) -> Result<OrgId, Error<T>> {
			T::Organisations::organisation_of(who).ok_or(Error::<T>::NotMember)
		}

		/// The manufacturer organisation `who` is a member of.
		fn manufacturer_of(who: &T::AccountId) -> Result<OrgId, Error<T>> {
			let org = Self::organisation_of(who)?;
			ensure!(
				T::Organisations::organisation_kind(org) == Some(OrgKind::Manufacturer),
				Error::<T>::NotManufacturer
			);
			Ok(org)
		}

		/// The pharmacy or hospital in which `who` is a pharmacist.
		fn pharmacist_of(who: &T::AccountId) -> Result<OrgId, Error<T>> {
			let org = Self::organisation_of(who)?;
			ensure!(
				matches!(
					T::Organisations::organisation_kind(org),
					Some(OrgKind::Pharmacy | OrgKind::Hospital)
				) && T::Organisations::has_role(org, who, Role::Pharmacist),
				Error::<T>::NotPharmacist
			);
			Ok(org)
		}

		/// The regulator organisation `who` is a member of.
		fn regulator_of(who: &T::AccountId) -> Result<OrgId, Error<T>> {
			let org = Self::organisation_of(who)?;
			ensure!(Self::is_regulator(org), Error::<T>::NotRegulator);
			Ok(org)
		}

		/// Whether `org` is a regulator.
		fn is_regulator(org: OrgId) -> bool {
			T::Organisations::organisation_kind(org) == Some(OrgKind::Regulator)
		}

		/// The EPCIS fields of a new event by `org`, taking the next event id.
		fn epcis(
			org: OrgId,
			biz_step: BizStep,
			disposition: Disposition,
			action: EpcisAction,
			at: u64,
		) -> Result<EpcisMetaOf<T>, Error<T>> {
			let event_id = NextEventId::<T>::get();
			NextEventId::<T>::put(event_id.checked_add(1).ok_or(Error::<T>::Overflow)?);
			Ok(EpcisMeta {
				event_id,
				biz_step,
				disposition,
				action,
				block: frame_system::Pallet::<T>::block_number(),
				at,
				org,
				location: T::Organisations::organisation_gln(org),
			})
		}

		/// The pack `sgtin`, checking the identifier first.
		fn pack(sgtin: &Sgtin) -> Result<PackOf<T>, Error<T>> {
			ensure!(is_valid_gtin(&sgtin.gtin), Error::<T>::InvalidGtin);
			ensure!(is_valid_serial(&sgtin.serial), Error::<T>::InvalidSerial);
			Packs::<T>::get(sgtin).ok_or(Error::<T>::UnknownPack)
		}

		/// The pack or container `epc`, checking the identifier first.
		pub(crate) fn load(epc: &Epc) -> Result<Item<T>, Error<T>> {
			match epc {
				Epc::Sgtin(sgtin) => Ok(Item::Pack(sgtin.clone(), Self::pack(sgtin)?)),
				Epc::Sscc(sscc) => {
					ensure!(is_valid_sscc(sscc), Error::<T>::InvalidSscc);
					let container =
						Containers::<T>::get(sscc).ok_or(Error::<T>::UnknownContainer)?;
					Ok(Item::Container(*sscc, container))
				},
			}
		}

		/// The containers around an item at `position`, innermost first, and the position of
		/// the outermost one (the item's own if it is top-level): held or in transit.
		pub(crate) fn resolve(position: &Position) -> Result<(Vec<Sscc>, Position), Error<T>> {
			let mut ancestors = Vec::new();
			let mut position = position.clone();
			for _ in 0..T::MaxNestingDepth::get() {
				match position {
					Position::Inside(sscc) => {
						let container =
							Containers::<T>::get(sscc).ok_or(Error::<T>::UnknownContainer)?;
						ancestors.push(sscc);
						position = container.position;
					},
					top_level => return Ok((ancestors, top_level)),
				}
			}
			Err(Error::<T>::TooDeep)
		}

		/// That no item is listed twice.
		fn ensure_distinct(items: &ItemsOf<T>) -> Result<(), Error<T>> {
			let mut sorted: Vec<&Epc> = items.iter().collect();
			sorted.sort();
			ensure!(
				!sorted.windows(2).any(|pair| matches!(pair, [a, b] if a == b)),
				Error::<T>::DuplicateItem
			);
			Ok(())
		}

		/// That an item at `position` is top-level and held by `org`.
		fn ensure_held_by(position: &Position, org: OrgId) -> Result<(), Error<T>> {
			match position {
				Position::Held(holder) if *holder == org => Ok(()),
				Position::Held(_) => Err(Error::<T>::NotCustodian),
				Position::InTransit(_) => Err(Error::<T>::ItemInTransit),
				Position::Inside(_) => Err(Error::<T>::InsideContainer),
			}
		}

		/// That a pack in `state` is active.
		fn ensure_active(state: &PackState) -> Result<(), Error<T>> {
			match state {
				PackState::Active => Ok(()),
				PackState::Suspect { .. } => Err(Error::<T>::Suspect),
				PackState::Illegitimate { .. } => Err(Error::<T>::Illegitimate),
				PackState::Dispensed { .. } | PackState::Decommissioned { .. } => {
					Err(Error::<T>::AlreadyDecommissioned)
				},
			}
		}

		/// That the batch `batch` is neither recalled nor expired at `now`.
		fn ensure_batch_saleable(batch: BatchId, now: u64) -> Result<(), Error<T>> {
			let batch = Batches::<T>::get(batch).ok_or(Error::<T>::UnknownBatch)?;
			ensure!(batch.recall.is_none(), Error::<T>::Recalled);
			ensure!(now < batch.expires_at, Error::<T>::Expired);
			Ok(())
		}

		/// That `item` may change hands at `now`: an active pack of a batch neither recalled
		/// nor expired, or a container holding no quarantined pack and no pack of a recalled
		/// or expired batch (at most `MaxBatchesPerContainer` batch reads).
		fn ensure_saleable(item: &Item<T>, now: u64) -> Result<(), Error<T>> {
			match item {
				Item::Pack(_, pack) => {
					Self::ensure_active(&pack.state)?;
					Self::ensure_batch_saleable(pack.batch, now)
				},
				Item::Container(_, container) => {
					ensure!(container.quarantined == 0, Error::<T>::ContainsSuspect);
					container
						.batches
						.iter()
						.try_for_each(|(batch, _)| Self::ensure_batch_saleable(*batch, now))
				},
			}
		}

		/// How far up the supply chain an organisation of `kind` is, for returns: they go to
		/// a higher tier (or to a regulator). Dispensers and end users 0, wholesalers 1,
		/// manufacturers 2; regulators are outside the chain.
		fn supply_tier(kind: OrgKind) -> u8 {
			match kind {
				OrgKind::Manufacturer => 2,
				OrgKind::Wholesaler => 1,
				OrgKind::Hospital
				| OrgKind::Clinic
				| OrgKind::Laboratory
				| OrgKind::Pharmacy
				| OrgKind::Research
				| OrgKind::Regulator => 0,
			}
		}

		/// That `item` may go in a shipment of `kind` at `now`: saleable for a sale; for a
		/// return, an active pack whatever its lot, or a container holding no quarantined pack.
		fn ensure_may_go(item: &Item<T>, kind: ShipmentKind, now: u64) -> Result<(), Error<T>> {
			match (kind, item) {
				(ShipmentKind::Sale, _) => Self::ensure_saleable(item, now),
				(ShipmentKind::Return, Item::Pack(_, pack)) => Self::ensure_active(&pack.state),
				(ShipmentKind::Return, Item::Container(_, container)) => {
					ensure!(container.quarantined == 0, Error::<T>::ContainsSuspect);
					Ok(())
				},
			}
		}

		/// Ships `items` held by `seller`, the organisation of its member `who`, to `buyer`,
		/// as a shipment of `kind`.
		fn ship_items(
			who: T::AccountId,
			seller: OrgId,
			buyer: OrgId,
			items: ItemsOf<T>,
			transaction: H256,
			kind: ShipmentKind,
		) -> DispatchResult {
			ensure!(!transaction.is_zero(), Error::<T>::MissingTransactionInfo);
			ensure!(!items.is_empty(), Error::<T>::NoItems);
			ensure!(buyer != seller, Error::<T>::ShipToSelf);
			ensure!(
				T::Organisations::organisation_kind(buyer).is_some(),
				Error::<T>::UnknownOrganisation
			);
			Self::ensure_distinct(&items)?;
			let now = T::Time::now();
			let shipment = NextShipmentId::<T>::get();
			NextShipmentId::<T>::put(shipment.checked_add(1).ok_or(Error::<T>::Overflow)?);

			let disposition = match kind {
				ShipmentKind::Sale => Disposition::InTransit,
				ShipmentKind::Return => Disposition::Returned,
			};
			let epcis =
				Self::epcis(seller, BizStep::Shipping, disposition, EpcisAction::Observe, now)?;
			let detail = EventDetail::Shipment { shipment, seller, buyer, transaction };
			for epc in items.iter() {
				let item = Self::load(epc)?;
				Self::ensure_held_by(item.position(), seller)?;
				Self::ensure_may_go(&item, kind, now)?;
				item.move_to(
					Position::InTransit(shipment),
					now,
					HistoryEntry { epcis: epcis.clone(), detail: detail.clone() },
					StepKind::Ordinary,
				)?;
			}
			Shipments::<T>::insert(
				shipment,
				Shipment {
					seller,
					buyer,
					items: items.clone(),
					transaction,
					shipped_at: now,
					event: epcis.event_id,
					kind,
				},
			);
			Self::deposit_event(Event::Shipped {
				shipment,
				seller,
				buyer,
				items,
				transaction,
				kind,
				who,
				epcis,
			});
			Ok(())
		}

		/// Moves the items of `shipment` to `custodian` and removes the shipment. Returns how
		/// many items it had.
		fn close_shipment(
			shipment: ShipmentId,
			entry: &ShipmentOf<T>,
			custodian: OrgId,
			epcis: &EpcisMetaOf<T>,
			now: u64,
		) -> Result<u32, Error<T>> {
			let detail = EventDetail::Shipment {
				shipment,
				seller: entry.seller,
				buyer: entry.buyer,
				transaction: entry.transaction,
			};
			for epc in entry.items.iter() {
				let item = Self::load(epc)?;
				ensure!(
					*item.position() == Position::InTransit(shipment),
					Error::<T>::UnknownShipment
				);
				item.move_to(
					Position::Held(custodian),
					now,
					HistoryEntry { epcis: epcis.clone(), detail: detail.clone() },
					StepKind::Closing,
				)?;
			}
			Shipments::<T>::remove(shipment);
			u32::try_from(entry.items.len()).map_err(|_| Error::<T>::Overflow)
		}

		/// Files the container's side of packing or unpacking `count` children under `epcis`
		/// and writes the container back. Packing needs room in the container's log;
		/// unpacking never fails for want of it: the entry is left out of a full log (each
		/// child's log and the chain's event keep it).
		fn store_packing_event(
			parent: Sscc,
			mut container: ContainerOf<T>,
			epcis: &EpcisMetaOf<T>,
			count: u32,
			now: u64,
			kind: StepKind,
		) -> Result<(), Error<T>> {
			let unpacking_into_full_log =
				kind == StepKind::Closing && !Self::has_room(container.history_len, kind);
			if !unpacking_into_full_log {
				Self::push_history(
					&Epc::Sscc(parent),
					&mut container.history_len,
					HistoryEntry { epcis: epcis.clone(), detail: EventDetail::Children { count } },
					kind,
				)?;
			}
			container.updated_at = now;
			Containers::<T>::insert(parent, container);
			Ok(())
		}

		/// Appends an entry, filed by a step of `kind`, to `sgtin`'s history.
		fn push_pack_history(
			sgtin: &Sgtin,
			pack: &mut PackOf<T>,
			epcis: &EpcisMetaOf<T>,
			detail: EventDetail,
			kind: StepKind,
		) -> Result<(), Error<T>> {
			Self::push_history(
				&Epc::Sgtin(sgtin.clone()),
				&mut pack.history_len,
				HistoryEntry { epcis: epcis.clone(), detail },
				kind,
			)
		}

		/// The most entries a log holds: `MaxHistoryLen`, the quarantine reserve and the
		/// closing reserve.
		pub fn max_log_entries() -> u32 {
			Self::quarantine_log_limit().saturating_add(CLOSING_RESERVE)
		}

		/// `MaxHistoryLen` and the quarantine reserve: a quarantine is accepted only while the
		/// log stays at least two entries shorter.
		fn quarantine_log_limit() -> u32 {
			T::MaxHistoryLen::get().saturating_add(QUARANTINE_RESERVE)
		}

		/// Whether a log of `len` entries has room for one more filed by a step of `kind`.
		fn has_room(len: u32, kind: StepKind) -> bool {
			match kind {
				StepKind::Ordinary => len < T::MaxHistoryLen::get(),
				StepKind::Quarantine => len.saturating_add(1) < Self::quarantine_log_limit(),
				StepKind::QuarantineRelease | StepKind::Closing => len < Self::max_log_entries(),
			}
		}

		/// Appends `entry`, filed by a step of `kind`, to `epc`'s history, whose length is
		/// `len`.
		pub(crate) fn push_history(
			epc: &Epc,
			len: &mut u32,
			entry: HistoryEntryOf<T>,
			kind: StepKind,
		) -> Result<(), Error<T>> {
			ensure!(Self::has_room(*len, kind), Error::<T>::HistoryFull);
			History::<T>::insert(epc, *len, entry);
			*len = len.checked_add(1).ok_or(Error::<T>::Overflow)?;
			Ok(())
		}

		/// Removes the `len` entries of `epc`'s history.
		fn remove_history(epc: &Epc, len: u32) {
			for seq in 0..len {
				History::<T>::remove(epc, seq);
			}
		}

		/// Counts `packs` more packs of `batch` in `batches`; whether `batches` did not list
		/// `batch` before.
		fn add_batch(
			batches: &mut BatchCountsOf<T>,
			batch: BatchId,
			packs: u32,
		) -> Result<bool, Error<T>> {
			if let Some((_, count)) = batches.iter_mut().find(|(id, _)| *id == batch) {
				*count = count.checked_add(packs).ok_or(Error::<T>::Overflow)?;
				return Ok(false);
			}
			batches.try_push((batch, packs)).map_err(|_| Error::<T>::TooManyBatches)?;
			Ok(true)
		}

		/// Counts `packs` fewer packs of `batch` in `batches`, forgetting the batch at zero.
		fn remove_batch(batches: &mut BatchCountsOf<T>, batch: BatchId, packs: u32) {
			for (id, count) in batches.iter_mut() {
				if *id == batch {
					*count = count.saturating_sub(packs);
				}
			}
			batches.retain(|(_, count)| *count > 0);
		}

		/// Holds `deposit` for `reason`.
		fn hold(
			reason: HoldReason,
			deposit: &Deposit<T::AccountId, BalanceOf<T>>,
		) -> DispatchResult {
			deposit.hold::<T::Currency>(&reason.into())
		}

		/// Returns `deposit`, held for `reason`, to its depositor.
		fn release(
			reason: HoldReason,
			deposit: &Deposit<T::AccountId, BalanceOf<T>>,
		) -> DispatchResult {
			deposit.release::<T::Currency>(&reason.into())
		}
	}
}
