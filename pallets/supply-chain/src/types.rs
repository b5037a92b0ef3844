//! The supply-chain pallet's identifiers, stored records, EPCIS event fields and the answers of
//! its runtime API.
//!
//! Every identifier has a fixed or bounded size, so every stored item has a `MaxEncodedLen`.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::fungible::Inspect, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use medchain_primitives::{
	gs1::{ExpiryDate, Gln, MAX_LOT_LEN, MAX_SERIAL_LEN},
	health::OrgId,
};
use scale_info::TypeInfo;
use sp_core::{ConstU32, H256};

pub use medchain_primitives::gs1::{Gtin, Sscc};

/// An account id of the runtime.
pub type AccountIdOf<T> = <T as frame_system::Config>::AccountId;
/// A balance of the currency deposits are held in.
pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<AccountIdOf<T>>>::Balance;

/// A GS1 serial number (AI 21): 1 to 20 characters of the GS1 AI 82 character set.
pub type Serial = BoundedVec<u8, ConstU32<MAX_SERIAL_LEN>>;
/// A GS1 batch or lot number (AI 10): 1 to 20 characters of the GS1 AI 82 character set.
pub type Lot = BoundedVec<u8, ConstU32<MAX_LOT_LEN>>;
/// An expiry date (AI 17), `YYMMDD` in ASCII digits; `DD = 00` is the end of the month.
pub type Expiry = ExpiryDate;
/// Identifies a batch: one (GTIN, lot) pair, see [`Batch`].
pub type BatchId = u64;
/// Identifies a shipment.
pub type ShipmentId = u64;
/// An EPCIS `eventID`: one per call, shared by every identifier the call touches.
pub type EventId = u64;

/// A serialised GTIN (SGTIN): one saleable pack, identified by its product's GTIN and its
/// serial number (GS1 AI 01 + AI 21), as printed in the pack's 2D code.
#[derive(
	Clone,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct Sgtin {
	/// The product's GTIN-14.
	pub gtin: Gtin,
	/// The pack's serial number.
	pub serial: Serial,
}

/// An EPCIS electronic product code: what an event is about.
#[derive(
	Clone,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum Epc {
	/// A saleable pack.
	Sgtin(Sgtin),
	/// A logistic unit (case, tote, pallet) identified by its SSCC.
	Sscc(Sscc),
}

/// Where an item (pack or container) is: custody is single and always known.
///
/// Only top-level items are [`Position::Held`] or [`Position::InTransit`]; an item inside a
/// container is wherever its outermost container is, found by following parents (at most
/// `MaxNestingDepth - 1` of them).
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum Position {
	/// Held by this organisation.
	Held(OrgId),
	/// In this shipment, which is in transit between its seller and buyer.
	InTransit(ShipmentId),
	/// Packed in this container.
	Inside(Sscc),
}

/// Why a pack was taken out of the supply chain other than by dispensing (EU FMD Art. 12, 16,
/// 22, 23; DSCSA).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum DecommissionReason {
	/// Destroyed (damaged, recalled or expired stock); cannot be reverted.
	Destroyed,
	/// Reported stolen; cannot be reverted.
	Stolen,
	/// Taken as a sample (by a competent authority, for analysis).
	Sample,
	/// Exported out of the market this chain serves.
	Exported,
	/// Supplied to an institution that does not dispense through a pharmacy (FMD Art. 23).
	SuppliedToInstitution,
}

impl DecommissionReason {
	/// Whether a pack decommissioned for this reason may be reverted to active (FMD Art. 13:
	/// never if destroyed or stolen).
	pub fn is_revertible(self) -> bool {
		!matches!(self, Self::Destroyed | Self::Stolen)
	}
}

/// The stored state of a pack; recalled and expired are not stored but derived from its batch
/// and the clock, so a recall needs no per-pack write.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum PackState {
	/// Saleable: in the supply chain.
	Active,
	/// Supplied to the public by a pharmacy (FMD Art. 25).
	Dispensed {
		/// The dispensing organisation.
		by: OrgId,
		/// When, in milliseconds since the Unix epoch.
		at: u64,
	},
	/// Taken out of the supply chain for another reason.
	Decommissioned {
		/// Why.
		reason: DecommissionReason,
		/// The decommissioning organisation.
		by: OrgId,
		/// When, in milliseconds since the Unix epoch.
		at: u64,
	},
	/// Quarantined as suspect product (DSCSA): cannot move until a regulator clears it or
	/// confirms it illegitimate.
	Suspect {
		/// The organisation that quarantined it.
		by: OrgId,
		/// When, in milliseconds since the Unix epoch.
		at: u64,
	},
	/// Confirmed illegitimate by a regulator (DSCSA): terminal.
	Illegitimate {
		/// The regulator's organisation.
		by: OrgId,
		/// When, in milliseconds since the Unix epoch.
		at: u64,
	},
}

impl PackState {
	/// Whether the pack is quarantined (suspect or illegitimate): it blocks any container it
	/// is in.
	pub fn is_quarantined(&self) -> bool {
		matches!(self, Self::Suspect { .. } | Self::Illegitimate { .. })
	}
}

pub use medchain_primitives::deposit::Deposit;

/// A product (one GTIN), registered by its manufacturer.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Product<AccountId, Balance> {
	/// The manufacturer organisation the GTIN belongs to; only its members commission packs.
	pub manufacturer: OrgId,
	/// When it was registered, in milliseconds since the Unix epoch.
	pub registered_at: u64,
	/// The deposit held for the product.
	pub deposit: Deposit<AccountId, Balance>,
}

/// What a recall recorded, as an EPCIS event on the whole lot.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Recall<BlockNumber> {
	/// The recall event: who, where, when.
	pub epcis: EpcisMeta<BlockNumber>,
}

/// A batch: every pack of one (GTIN, lot), stored once so a pack only refers to it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Batch<BlockNumber> {
	/// The product.
	pub gtin: Gtin,
	/// The lot number.
	pub lot: Lot,
	/// The expiry date as printed.
	pub expiry: Expiry,
	/// The first instant after the expiry date, in milliseconds since the Unix epoch: packs
	/// are expired from then on.
	pub expires_at: u64,
	/// The manufacturer organisation.
	pub manufacturer: OrgId,
	/// How many packs of the batch are stored (commissioned and not purged).
	pub packs: u32,
	/// The recall of the batch, if recalled: every pack of it is recalled.
	pub recall: Option<Recall<BlockNumber>>,
}

/// A saleable pack: constant size whatever happens to it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Pack<AccountId, Balance> {
	/// Its batch: GTIN, lot, expiry, manufacturer and recall.
	pub batch: BatchId,
	/// Its state.
	pub state: PackState,
	/// Where it is.
	pub position: Position,
	/// How many entries its history has.
	pub history_len: u32,
	/// The deposit held for it, from the member who commissioned it.
	pub deposit: Deposit<AccountId, Balance>,
}

/// A logistic unit (case, tote, pallet) identified by an SSCC, holding packs or other
/// containers.
///
/// It keeps, for the items it holds directly or transitively, how many packs of each batch
/// ([`Container::batches`], at most `MaxBatchesPerContainer` batches) and how many are
/// quarantined ([`Container::quarantined`]), so that shipping or receiving it checks recall,
/// expiry and quarantine without visiting its packs.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Container<AccountId, Balance, Batches> {
	/// Where it is.
	pub position: Position,
	/// How many items (packs or containers) it holds directly.
	pub children: u32,
	/// How many levels its tree has, itself and the packs included: 1 while empty, 2 when it
	/// holds packs, one more than its tallest child container when it holds containers. Not
	/// lowered when items are taken out, only reset when it is emptied.
	pub height: u32,
	/// For each batch it holds packs of, directly or in its child containers: how many.
	/// A `BoundedVec<(BatchId, u32), MaxBatchesPerContainer>`.
	pub batches: Batches,
	/// How many of the packs it holds, directly or not, are suspect or illegitimate.
	pub quarantined: u32,
	/// How many entries its history has.
	pub history_len: u32,
	/// When it last changed (packed, unpacked, shipped, received), in milliseconds since the
	/// Unix epoch.
	pub updated_at: u64,
	/// The latest expiry date (milliseconds since the Unix epoch) of the packs it has ever
	/// held, directly or in containers it held; 0 before it held any. Its history is part of
	/// theirs (a pack's own history does not repeat the moves of the container it travelled
	/// in), so it is kept for the retention period after that date too.
	pub latest_expiry: u64,
	/// The deposit held for it, from the member who first packed it.
	pub deposit: Deposit<AccountId, Balance>,
}

/// A change of ownership and possession in progress, from seller to buyer (DSCSA transaction).
///
/// Only shipments in transit are stored: receiving or rejecting one removes it, and the
/// shipping, receiving or rejection entries of its items' histories (with the shipment id,
/// partners and transaction hash) are its permanent record.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Shipment<Items> {
	/// The selling organisation, custodian until the buyer receives.
	pub seller: OrgId,
	/// The buying organisation.
	pub buyer: OrgId,
	/// The top-level items shipped (packs and containers); what they hold goes with them.
	/// A `BoundedVec<Epc, MaxShipmentItems>`.
	pub items: Items,
	/// Hash of the DSCSA transaction information and transaction statement (for a return, of
	/// its paperwork), exchanged off chain between the partners.
	pub transaction: H256,
	/// When it was shipped, in milliseconds since the Unix epoch.
	pub shipped_at: u64,
	/// The shipping event.
	pub event: EventId,
	/// A sale, or goods sent back.
	pub kind: ShipmentKind,
}

/// Why goods are shipped: which goods may go, and to whom.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum ShipmentKind {
	/// A sale or transfer to any organisation ([`crate::Pallet::ship`]): saleable goods only,
	/// neither recalled nor expired.
	Sale,
	/// Goods sent back up the supply chain ([`crate::Pallet::ship_return`]), towards the
	/// manufacturer or to a regulator: recalled and expired goods included, for credit or
	/// destruction. Never suspect or illegitimate ones, which stay quarantined where they are.
	Return,
}

/// Why a seller could cancel a shipment ([`crate::Pallet::cancel_shipment`]).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum CancelReason {
	/// `ShipmentTimeout` passed with the buyer neither receiving nor rejecting it.
	Overdue,
	/// The buyer is no longer a registered organisation.
	BuyerLeft,
}

/// An EPCIS business step (GS1 CBV 2.0 `bizStep`): why an event happened.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum BizStep {
	/// Packs were given their identifiers (`commissioning`).
	Commissioning,
	/// Items were packed into a container (`packing`).
	Packing,
	/// Items were taken out of a container (`unpacking`).
	Unpacking,
	/// Items were shipped (`shipping`).
	Shipping,
	/// Items were received, or refused at receipt (`receiving`).
	Receiving,
	/// A pack was supplied to the public (`dispensing`).
	Dispensing,
	/// A pack was taken out of the supply chain (`decommissioning`).
	Decommissioning,
	/// A decommissioning was reverted (FMD Art. 13). Not a CBV step: exported as an EPCIS
	/// `errorDeclaration` of the decommissioning event.
	Reverting,
	/// A lot was recalled (`recalling`).
	Recalling,
	/// A pack was quarantined (`holding`).
	Holding,
	/// A regulator ruled on a quarantined pack (`inspecting`).
	Inspecting,
	/// The seller cancelled a shipment that was never received (`void_shipping`).
	VoidShipping,
}

/// An EPCIS disposition (GS1 CBV 2.0): the state of the objects after the event.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum Disposition {
	/// `active`: in the supply chain, saleable.
	Active,
	/// `in_transit`.
	InTransit,
	/// `returned`: sent back: shipped as a return, or refused by the buyer and back with the
	/// seller.
	Returned,
	/// `dispensed`.
	Dispensed,
	/// `destroyed`.
	Destroyed,
	/// `stolen`.
	Stolen,
	/// `inactive`: taken out of the supply chain (sample, export, institution).
	Inactive,
	/// `recalled`.
	Recalled,
	/// `non_sellable_other`: not to be sold: quarantined as suspect, taken over from an
	/// organisation that left, or received as a return (to be verified before any resale).
	NonSellableOther,
	/// Confirmed illegitimate (DSCSA). Not a CBV disposition: exported as
	/// `non_sellable_other` with an illegitimate-product notification.
	Illegitimate,
	/// `container_closed`: a container after packing.
	ContainerClosed,
	/// `container_open`: a container after unpacking.
	ContainerOpen,
}

/// An EPCIS `action`: whether the event creates, observes or ends the objects' association.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum EpcisAction {
	/// `ADD`: commissioning, or children added to a parent.
	Add,
	/// `OBSERVE`: the objects were seen in a business step.
	Observe,
	/// `DELETE`: decommissioning, or children removed from a parent.
	Delete,
}

/// The EPCIS fields every event of this pallet carries: what happened (the event id), why
/// (business step, disposition, action), when (block and time) and where (the acting
/// organisation and its GLN).
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct EpcisMeta<BlockNumber> {
	/// The EPCIS `eventID`, unique on this chain.
	pub event_id: EventId,
	/// `bizStep`.
	pub biz_step: BizStep,
	/// `disposition`.
	pub disposition: Disposition,
	/// `action`.
	pub action: EpcisAction,
	/// The block it happened in.
	pub block: BlockNumber,
	/// `eventTime`, in milliseconds since the Unix epoch (UTC).
	pub at: u64,
	/// The acting organisation.
	pub org: OrgId,
	/// `bizLocation`: the acting organisation's GLN, if it has one.
	pub location: Option<Gln>,
}

/// What else an entry of an identifier's history says, depending on the event.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum EventDetail {
	/// Nothing more.
	None,
	/// On a child of an aggregation (`ADD`) or disaggregation (`DELETE`): its parent, and the
	/// sequence number of the same event in the parent's history. A child's history includes
	/// the parent's own entries between the two (its moves, not its packing or unpacking of
	/// other items).
	Parent {
		/// The container (`parentID`).
		parent: Sscc,
		/// The event's sequence number in the parent's history.
		parent_seq: u32,
	},
	/// On a container after packing or unpacking: how many children were added or removed.
	Children {
		/// How many.
		count: u32,
	},
	/// A shipment left, arrived or was refused (`bizTransactionList`, `sourceList`,
	/// `destinationList`).
	Shipment {
		/// The shipment.
		shipment: ShipmentId,
		/// The selling organisation (`owning_party` source).
		seller: OrgId,
		/// The buying organisation (`owning_party` destination).
		buyer: OrgId,
		/// Hash of the DSCSA transaction information and statement (for a return, of its
		/// paperwork).
		transaction: H256,
	},
	/// Why a pack was decommissioned.
	Decommission(DecommissionReason),
	/// The pack's lot was recalled (an entry of the lot, spliced into the pack's history).
	Recall {
		/// The recalled batch.
		batch: BatchId,
	},
	/// A regulator took the item over from an organisation that left the consortium
	/// (`sourceList`: the former custodian).
	TakeOver {
		/// The organisation that left.
		from: OrgId,
	},
}

/// One entry of an identifier's history: an EPCIS event as it concerns that identifier.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct HistoryEntry<BlockNumber> {
	/// The event's EPCIS fields.
	pub epcis: EpcisMeta<BlockNumber>,
	/// What else it says.
	pub detail: EventDetail,
}

/// A pack's status as a scanner shows it, derived when read.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum PackStatus {
	/// No such pack: never commissioned, or purged after its retention period. Do not sell.
	Unknown,
	/// Confirmed illegitimate by a regulator. Do not sell or use.
	Illegitimate,
	/// Its lot is recalled. Do not sell or use.
	Recalled,
	/// Quarantined as suspect product, under investigation.
	Suspect,
	/// Decommissioned for this reason.
	Decommissioned(DecommissionReason),
	/// Supplied to the public.
	Dispensed,
	/// Past its expiry date.
	Expired,
	/// Saleable, in a shipment between two organisations.
	InTransit,
	/// Saleable, held by an organisation.
	Active,
}

/// Who has a pack.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum Custody {
	/// Held by this organisation.
	Held(OrgId),
	/// In transit in this shipment.
	InTransit {
		/// The shipment.
		shipment: ShipmentId,
		/// The seller, custodian until the buyer receives.
		seller: OrgId,
		/// The buyer.
		buyer: OrgId,
	},
}

/// The answer to "may I sell or use this pack?" (FMD Art. 10-11 verification, DSCSA product
/// identifier verification), from a constant number of storage reads.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct Verification {
	/// The status, most serious first: illegitimate, recalled, suspect, decommissioned,
	/// dispensed, expired, in transit, active; unknown if there is no such pack.
	pub status: PackStatus,
	/// The product.
	pub gtin: Gtin,
	/// The lot, if known.
	pub lot: Option<Lot>,
	/// The expiry date, if known.
	pub expiry: Option<Expiry>,
	/// The manufacturer organisation, if known.
	pub manufacturer: Option<OrgId>,
	/// The current custodian, if known.
	pub custody: Option<Custody>,
	/// The outermost container the pack is in, if any.
	pub container: Option<Sscc>,
	/// Whether its lot is recalled.
	pub recalled: bool,
	/// Whether it is past its expiry date.
	pub expired: bool,
}

/// A product as stored for runtime `T`.
pub type ProductOf<T> = Product<AccountIdOf<T>, BalanceOf<T>>;
/// A batch as stored for runtime `T`.
pub type BatchOf<T> = Batch<BlockNumberFor<T>>;
/// A pack as stored for runtime `T`.
pub type PackOf<T> = Pack<AccountIdOf<T>, BalanceOf<T>>;
/// How many packs of each batch a container holds, for runtime `T`.
pub type BatchCountsOf<T> = BoundedVec<(BatchId, u32), <T as Config>::MaxBatchesPerContainer>;
/// A container as stored for runtime `T`.
pub type ContainerOf<T> = Container<AccountIdOf<T>, BalanceOf<T>, BatchCountsOf<T>>;
/// A shipment as stored for runtime `T`.
pub type ShipmentOf<T> = Shipment<ItemsOf<T>>;
/// A history entry as stored for runtime `T`.
pub type HistoryEntryOf<T> = HistoryEntry<BlockNumberFor<T>>;
/// EPCIS fields for runtime `T`.
pub type EpcisMetaOf<T> = EpcisMeta<BlockNumberFor<T>>;
/// Serials given to `commission`.
pub type SerialsOf<T> = BoundedVec<Serial, <T as Config>::MaxCommissionPerCall>;
/// Children given to `aggregate` or `disaggregate`.
pub type ChildrenOf<T> = BoundedVec<Epc, <T as Config>::MaxChildrenPerContainer>;
/// Items given to `ship`.
pub type ItemsOf<T> = BoundedVec<Epc, <T as Config>::MaxShipmentItems>;
