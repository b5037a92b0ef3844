//! Benchmarks of the supply-chain pallet's calls, worst case: the longest identifiers, deposits
//! actually held, containers holding packs of `MaxBatchesPerContainer` batches (distinct per
//! container where a call reads them), packs at the deepest nesting level.
//!
//! Organisation members come from [`Config::OrganisationsHelper`], the clock from
//! [`Config::BenchmarkHelper`]. Large setups (many containers, many batches) are written to
//! storage directly rather than through the calls, so that the benchmark CLI's many runs stay
//! fast; they are the state those calls would leave.

use super::*;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Mutate, MutateHold},
		EnsureOrigin, Get,
	},
	BoundedVec,
};
use frame_system::RawOrigin;
use medchain_primitives::{
	gs1::{check_digit, MAX_LOT_LEN, MAX_SERIAL_LEN, MS_PER_DAY},
	health::{OrgId, OrgKind, OrganisationsBenchmarkHelper, Role},
};
use sp_core::H256;
use sp_runtime::traits::Bounded;

/// The clock during the benchmarks: 2024-01-01T00:00Z.
const NOW: u64 = 1_704_067_200_000;
/// An expiry date well after [`NOW`]: 31 December 2030.
const EXPIRY: Expiry = *b"301231";
/// When batches written directly expire: ten years after [`NOW`].
const EXPIRES_AT: u64 = NOW + 3_650 * MS_PER_DAY;

/// Gives `who` plenty of funds for deposits (a millionth of the largest balance, so that many
/// funded accounts do not overflow the total issuance).
fn fund<T: Config>(who: &T::AccountId) {
	let _ = T::Currency::set_balance(who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
}

/// A funded member of a new organisation of `kind`, holding `role`.
fn member<T: Config>(name: &'static str, kind: OrgKind, role: Role) -> (T::AccountId, OrgId) {
	let who: T::AccountId = account(name, 0, 0);
	fund::<T>(&who);
	let org = T::OrganisationsHelper::member_with_role(&who, kind, role);
	(who, org)
}

/// The funded whitelisted caller, member of a new organisation of `kind` holding `role`.
fn caller<T: Config>(kind: OrgKind, role: Role) -> (T::AccountId, OrgId) {
	let who: T::AccountId = whitelisted_caller();
	fund::<T>(&who);
	let org = T::OrganisationsHelper::member_with_role(&who, kind, role);
	(who, org)
}

/// `N` ASCII digits: `lead`, then `n` right-aligned, then the GS1 check digit.
fn numbered<const N: usize>(lead: u8, n: u64) -> [u8; N] {
	let mut out = [b'0'; N];
	if let Some(first) = out.first_mut() {
		*first = lead;
	}
	let mut value = n;
	for position in (1..N.saturating_sub(1)).rev() {
		if let Some(digit) = out.get_mut(position) {
			*digit = b'0' + (value % 10) as u8;
		}
		value /= 10;
	}
	let check = out.get(..N.saturating_sub(1)).and_then(check_digit).unwrap_or(b'0');
	if let Some(last) = out.last_mut() {
		*last = check;
	}
	out
}

/// A valid GTIN-14 under a company prefix a manufacturer may hold (`614141…`), distinct for
/// each `n` below a million.
fn gtin(n: u64) -> Gtin {
	numbered::<14>(b'1', 614_141_000_000u64.saturating_add(n))
}

/// A valid SSCC-18.
fn sscc(n: u64) -> Sscc {
	numbered::<18>(b'3', n)
}

/// A valid SSCC-18 under a company prefix an organisation may hold (`5901234…`); for each `n`
/// below 10,000, a distinct one under the same 12-digit prefix `590123400000`.
fn own_sscc(n: u64) -> Sscc {
	numbered::<18>(b'3', 5_901_234_000_000_000u64.saturating_add(n))
}

/// A text of `len` characters: `lead`, then `n` right-aligned in digits.
fn text(lead: u8, n: u64, len: u32) -> Vec<u8> {
	let mut out = vec![b'0'; len as usize];
	if let Some(first) = out.first_mut() {
		*first = lead;
	}
	let mut value = n;
	for position in (1..out.len()).rev() {
		if let Some(digit) = out.get_mut(position) {
			*digit = b'0' + (value % 10) as u8;
		}
		value /= 10;
	}
	out
}

/// The longest serial, numbered `n`.
fn serial(n: u64) -> Serial {
	BoundedVec::truncate_from(text(b'S', n, MAX_SERIAL_LEN))
}

/// The longest lot, numbered `n`.
fn lot(n: u64) -> Lot {
	BoundedVec::truncate_from(text(b'L', n, MAX_LOT_LEN))
}

/// Pack `n` of the benchmark product.
fn sgtin(n: u64) -> Sgtin {
	Sgtin { gtin: gtin(1), serial: serial(n) }
}

/// Writes batch `id` of the benchmark product, made by `manufacturer`, holding `packs` packs.
fn insert_batch<T: Config>(id: BatchId, manufacturer: OrgId, packs: u32, expires_at: u64) {
	BatchIds::<T>::insert(gtin(1), lot(id), id);
	Batches::<T>::insert(
		id,
		Batch {
			gtin: gtin(1),
			lot: lot(id),
			expiry: EXPIRY,
			expires_at,
			manufacturer,
			packs,
			recall: None,
		},
	);
	NextBatchId::<T>::put(id.saturating_add(1).max(NextBatchId::<T>::get()));
}

/// Writes pack `n` of batch `batch` in `state` at `position`, commissioned by `depositor`
/// (no deposit held).
fn insert_pack<T: Config>(
	n: u64,
	batch: BatchId,
	state: PackState,
	position: Position,
	depositor: &T::AccountId,
) -> Sgtin {
	let sgtin = sgtin(n);
	Packs::<T>::insert(
		&sgtin,
		Pack {
			batch,
			state,
			position,
			history_len: 0,
			deposit: Deposit { depositor: depositor.clone(), amount: 0u32.into() },
		},
	);
	sgtin
}

/// Writes container `n` at `position`, holding `children` items and one pack of each of
/// `batches` (no deposit held).
fn insert_container<T: Config>(
	n: u64,
	position: Position,
	children: u32,
	height: u32,
	batches: &[BatchId],
	depositor: &T::AccountId,
) -> Sscc {
	let sscc = sscc(n);
	Containers::<T>::insert(
		sscc,
		Container {
			position,
			children,
			height,
			batches: BoundedVec::truncate_from(
				batches.iter().map(|batch| (*batch, children.max(1))).collect::<Vec<_>>(),
			),
			quarantined: 0,
			history_len: 0,
			updated_at: NOW,
			latest_expiry: if batches.is_empty() { 0 } else { EXPIRES_AT },
			deposit: Deposit { depositor: depositor.clone(), amount: 0u32.into() },
		},
	);
	sscc
}

/// `MaxBatchesPerContainer` batch ids from `first`.
fn batch_ids<T: Config>(first: BatchId) -> Vec<BatchId> {
	(first..first.saturating_add(T::MaxBatchesPerContainer::get().into())).collect()
}

/// `count` containers numbered from 1000, held at `position`, each holding one pack of each
/// of `MaxBatchesPerContainer` batches of its own (written too).
fn containers_with_own_batches<T: Config>(
	count: u32,
	position: Position,
	manufacturer: OrgId,
	depositor: &T::AccountId,
) -> Vec<Epc> {
	let per_container: u64 = T::MaxBatchesPerContainer::get().into();
	(0..u64::from(count))
		.map(|i| {
			let batches = batch_ids::<T>(i.saturating_mul(per_container));
			for batch in &batches {
				insert_batch::<T>(*batch, manufacturer, 1, EXPIRES_AT);
			}
			let height = T::MaxNestingDepth::get().saturating_sub(1).max(1);
			Epc::Sscc(insert_container::<T>(
				1_000u64.saturating_add(i),
				position.clone(),
				per_container as u32,
				height,
				&batches,
				depositor,
			))
		})
		.collect()
}

/// A shipment in transit, shipped at `NOW`, from a wholesaler to a pharmacy.
struct InTransit<T: Config> {
	/// The pharmacy's pharmacist (the whitelisted caller).
	buyer_member: T::AccountId,
	/// The wholesaler.
	seller: OrgId,
	/// The shipment.
	shipment: ShipmentId,
	/// Its first item.
	first: Option<Epc>,
}

/// A shipment of `count` containers, each holding packs of `MaxBatchesPerContainer` batches of
/// its own (all read for recall and expiry when it is received).
fn shipment_in_transit<T: Config>(count: u32) -> InTransit<T> {
	let (buyer_member, buyer) = caller::<T>(OrgKind::Pharmacy, Role::Pharmacist);
	let (seller_member, seller) = member::<T>("seller", OrgKind::Wholesaler, Role::RecordsClerk);
	let shipment = NextShipmentId::<T>::get();
	NextShipmentId::<T>::put(shipment.saturating_add(1));
	let items = containers_with_own_batches::<T>(
		count,
		Position::InTransit(shipment),
		seller,
		&seller_member,
	);
	let first = items.first().cloned();
	Shipments::<T>::insert(
		shipment,
		Shipment {
			seller,
			buyer,
			items: BoundedVec::truncate_from(items),
			transaction: H256::repeat_byte(1),
			shipped_at: NOW,
			event: 0,
			kind: ShipmentKind::Sale,
		},
	);
	InTransit { buyer_member, seller, shipment, first }
}

/// A pack of batch 0 (written) at the deepest level: inside `MaxNestingDepth - 1` containers,
/// the outermost at `root`. Returns the pack.
fn deepest_pack<T: Config>(
	state: PackState,
	root: Position,
	manufacturer: OrgId,
	depositor: &T::AccountId,
) -> Sgtin {
	insert_batch::<T>(0, manufacturer, 1, EXPIRES_AT);
	let levels = T::MaxNestingDepth::get().saturating_sub(1);
	let mut position = root;
	for level in 0..levels {
		let height = T::MaxNestingDepth::get().saturating_sub(level);
		let sscc = insert_container::<T>(u64::from(level), position, 1, height, &[0], depositor);
		position = Position::Inside(sscc);
	}
	let quarantined = state.is_quarantined();
	let sgtin = insert_pack::<T>(0, 0, state, position, depositor);
	if quarantined {
		for level in 0..levels {
			Containers::<T>::mutate(sscc(u64::from(level)), |container| {
				if let Some(container) = container {
					container.quarantined = 1;
				}
			});
		}
	}
	sgtin
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// The costlier case: the manufacturer registers again a GTIN it retired.
	#[benchmark]
	fn register_product() -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::set_time(NOW);
		let (who, org) = caller::<T>(OrgKind::Manufacturer, Role::RecordsClerk);
		T::OrganisationsHelper::hold_prefix_of(org, &gtin(1)).map_err(BenchmarkError::Stop)?;
		RetiredGtins::<T>::insert(gtin(1), org);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), gtin(1));

		assert_eq!(Products::<T>::get(gtin(1)).map(|p| p.manufacturer), Some(org));
		Ok(())
	}

	/// A member of the registered manufacturer deregisters a product with no lot on chain,
	/// whose deposit another account paid (its registrar at the manufacturer that sold the
	/// product line): the deposit's return writes that account's balance too, which the
	/// caller's own would not count (benchmarks leave the caller's account out).
	#[benchmark]
	fn deregister_product() -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::set_time(NOW);
		let (registrar, seller) = member::<T>("maker", OrgKind::Manufacturer, Role::RecordsClerk);
		T::OrganisationsHelper::hold_prefix_of(seller, &gtin(1)).map_err(BenchmarkError::Stop)?;
		Pallet::<T>::register_product(RawOrigin::Signed(registrar.clone()).into(), gtin(1))?;
		let (who, org) = caller::<T>(OrgKind::Manufacturer, Role::RecordsClerk);
		let origin =
			T::ProductOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		Pallet::<T>::transfer_product(origin, gtin(1), org)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(who), gtin(1));

		assert!(!Products::<T>::contains_key(gtin(1)));
		Ok(())
	}

	/// The costlier case: a retired GTIN moves (the product is looked up first, then its
	/// retirement) to another manufacturer.
	#[benchmark]
	fn transfer_product() -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::set_time(NOW);
		let (_, from) = member::<T>("maker", OrgKind::Manufacturer, Role::RecordsClerk);
		let (_, to) = member::<T>("successor", OrgKind::Manufacturer, Role::RecordsClerk);
		RetiredGtins::<T>::insert(gtin(1), from);
		let origin =
			T::ProductOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, gtin(1), to);

		assert_eq!(RetiredGtins::<T>::get(gtin(1)), Some(to));
		Ok(())
	}

	/// `n`: serials commissioned, of the longest length, in a new batch.
	#[benchmark]
	fn commission(n: Linear<1, { T::MaxCommissionPerCall::get() }>) -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::set_time(NOW);
		let (who, org) = caller::<T>(OrgKind::Manufacturer, Role::RecordsClerk);
		T::OrganisationsHelper::hold_prefix_of(org, &gtin(1)).map_err(BenchmarkError::Stop)?;
		Pallet::<T>::register_product(RawOrigin::Signed(who.clone()).into(), gtin(1))?;
		let serials: SerialsOf<T> =
			BoundedVec::truncate_from((0..u64::from(n)).map(serial).collect::<Vec<_>>());

		#[extrinsic_call]
		_(RawOrigin::Signed(who), gtin(1), lot(0), EXPIRY, serials);

		assert_eq!(Batches::<T>::get(0).map(|batch| batch.packs), Some(n));
		Ok(())
	}

	/// `n`: containers packed into a new container; each holds packs of the same
	/// `MaxBatchesPerContainer` batches, so every merge scans a full batch list.
	/// The new container's SSCC is under the longest prefix it could be under, so every
	/// shorter one is looked up first.
	#[benchmark]
	fn aggregate(
		n: Linear<1, { T::MaxChildrenPerContainer::get() }>,
	) -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::set_time(NOW);
		let (who, org) = caller::<T>(OrgKind::Wholesaler, Role::RecordsClerk);
		let batches = batch_ids::<T>(0);
		for batch in &batches {
			insert_batch::<T>(*batch, org, 1, EXPIRES_AT);
		}
		let children: Vec<Epc> = (0..u64::from(n))
			.map(|i| {
				Epc::Sscc(insert_container::<T>(
					1_000u64.saturating_add(i),
					Position::Held(org),
					1,
					1,
					&batches,
					&who,
				))
			})
			.collect();
		let parent = own_sscc(1);
		T::OrganisationsHelper::hold_sscc_prefix_of(org, &parent).map_err(BenchmarkError::Stop)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(who), parent, BoundedVec::truncate_from(children));

		assert_eq!(Containers::<T>::get(parent).map(|c| c.children), Some(n));
		Ok(())
	}

	/// `n`: containers taken out of a container, emptying it; each holds packs of the same
	/// `MaxBatchesPerContainer` batches.
	#[benchmark]
	fn disaggregate(n: Linear<1, { T::MaxChildrenPerContainer::get() }>) {
		T::BenchmarkHelper::set_time(NOW);
		let (who, org) = caller::<T>(OrgKind::Wholesaler, Role::RecordsClerk);
		let batches = batch_ids::<T>(0);
		for batch in &batches {
			insert_batch::<T>(*batch, org, n, EXPIRES_AT);
		}
		let parent = insert_container::<T>(1, Position::Held(org), n, 2, &batches, &who);
		let children: Vec<Epc> = (0..u64::from(n))
			.map(|i| {
				Epc::Sscc(insert_container::<T>(
					1_000u64.saturating_add(i),
					Position::Inside(parent),
					1,
					1,
					&batches,
					&who,
				))
			})
			.collect();

		#[extrinsic_call]
		_(RawOrigin::Signed(who), parent, BoundedVec::truncate_from(children));

		assert_eq!(Containers::<T>::get(parent).map(|c| c.children), Some(0));
	}

	/// `n`: containers shipped, each holding packs of `MaxBatchesPerContainer` batches of its
	/// own, all read for recall and expiry.
	#[benchmark]
	fn ship(n: Linear<1, { T::MaxShipmentItems::get() }>) {
		T::BenchmarkHelper::set_time(NOW);
		let (who, org) = caller::<T>(OrgKind::Wholesaler, Role::RecordsClerk);
		let (_buyer, buyer) = member::<T>("buyer", OrgKind::Pharmacy, Role::Pharmacist);
		let items = containers_with_own_batches::<T>(n, Position::Held(org), org, &who);
		let shipment = NextShipmentId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(who), buyer, BoundedVec::truncate_from(items), H256::repeat_byte(1));

		assert_eq!(Shipments::<T>::get(shipment).map(|s| s.items.len() as u32), Some(n));
	}

	/// `n`: containers sent back by a pharmacy to a wholesaler. A return reads no batch: its
	/// goods may be recalled or expired.
	#[benchmark]
	fn ship_return(n: Linear<1, { T::MaxShipmentItems::get() }>) {
		T::BenchmarkHelper::set_time(NOW);
		let (who, org) = caller::<T>(OrgKind::Pharmacy, Role::Pharmacist);
		let (_wholesaler, wholesaler) =
			member::<T>("wholesaler", OrgKind::Wholesaler, Role::RecordsClerk);
		let items = containers_with_own_batches::<T>(n, Position::Held(org), org, &who);
		let shipment = NextShipmentId::<T>::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(who),
			wholesaler,
			BoundedVec::truncate_from(items),
			H256::repeat_byte(1),
		);

		assert_eq!(
			Shipments::<T>::get(shipment).map(|s| (s.kind, s.items.len() as u32)),
			Some((ShipmentKind::Return, n))
		);
	}

	/// `n`: containers received, each holding packs of `MaxBatchesPerContainer` batches of its
	/// own, all read for recall and expiry.
	#[benchmark]
	fn receive(n: Linear<1, { T::MaxShipmentItems::get() }>) {
		T::BenchmarkHelper::set_time(NOW);
		let InTransit { buyer_member: who, shipment, .. } = shipment_in_transit::<T>(n);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), shipment);

		assert!(Shipments::<T>::get(shipment).is_none());
	}

	/// `n`: containers returned to the seller.
	#[benchmark]
	fn reject(n: Linear<1, { T::MaxShipmentItems::get() }>) {
		T::BenchmarkHelper::set_time(NOW);
		let InTransit { buyer_member: who, seller, shipment, first, .. } =
			shipment_in_transit::<T>(n);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), shipment);

		if let Some(Epc::Sscc(first)) = first {
			assert_eq!(
				Containers::<T>::get(first).map(|c| c.position),
				Some(Position::Held(seller))
			);
		}
	}

	/// `n`: containers, each holding packs of `MaxBatchesPerContainer` batches, that a
	/// regulator takes over from an organisation no longer registered.
	#[benchmark]
	fn take_over(n: Linear<1, { T::MaxShipmentItems::get() }>) {
		T::BenchmarkHelper::set_time(NOW);
		let (who, regulator) = caller::<T>(OrgKind::Regulator, Role::Auditor);
		let (maker_member, maker) = member::<T>("maker", OrgKind::Manufacturer, Role::RecordsClerk);
		// An organisation id never registered reads as one that left.
		let gone = OrgId::MAX;
		let items = containers_with_own_batches::<T>(n, Position::Held(gone), maker, &maker_member);
		let first = items.first().cloned();

		#[extrinsic_call]
		_(RawOrigin::Signed(who), gone, BoundedVec::truncate_from(items));

		if let Some(Epc::Sscc(first)) = first {
			assert_eq!(
				Containers::<T>::get(first).map(|c| c.position),
				Some(Position::Held(regulator))
			);
		}
	}

	/// `n`: containers taken back. The costlier case: a regulator cancels for a seller that
	/// left (one more read than the seller's own cancel). The buyer is still registered: its
	/// check is a read either way.
	#[benchmark]
	fn cancel_shipment(n: Linear<1, { T::MaxShipmentItems::get() }>) {
		T::BenchmarkHelper::set_time(NOW.saturating_add(T::ShipmentTimeout::get()));
		let InTransit { shipment, first, .. } = shipment_in_transit::<T>(n);
		let (who, regulator) = member::<T>("regulator", OrgKind::Regulator, Role::Auditor);
		// An organisation id never registered reads as a seller that left.
		Shipments::<T>::mutate(shipment, |entry| {
			if let Some(entry) = entry {
				entry.seller = OrgId::MAX;
			}
		});

		#[extrinsic_call]
		_(RawOrigin::Signed(who), shipment);

		assert!(!Shipments::<T>::contains_key(shipment));
		if let Some(Epc::Sscc(first)) = first {
			assert_eq!(
				Containers::<T>::get(first).map(|c| c.position),
				Some(Position::Held(regulator))
			);
		}
	}

	#[benchmark]
	fn dispense() {
		T::BenchmarkHelper::set_time(NOW);
		let (who, org) = caller::<T>(OrgKind::Pharmacy, Role::Pharmacist);
		insert_batch::<T>(0, org, 1, EXPIRES_AT);
		let pack = insert_pack::<T>(0, 0, PackState::Active, Position::Held(org), &who);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), pack.clone());

		assert_eq!(
			Packs::<T>::get(&pack).map(|p| p.state),
			Some(PackState::Dispensed { by: org, at: NOW })
		);
	}

	#[benchmark]
	fn decommission() {
		T::BenchmarkHelper::set_time(NOW);
		let (who, org) = caller::<T>(OrgKind::Wholesaler, Role::RecordsClerk);
		insert_batch::<T>(0, org, 1, EXPIRES_AT);
		let pack = insert_pack::<T>(0, 0, PackState::Active, Position::Held(org), &who);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), pack.clone(), DecommissionReason::Exported);

		assert!(matches!(
			Packs::<T>::get(&pack).map(|p| p.state),
			Some(PackState::Decommissioned { .. })
		));
	}

	/// A dispensed pack: the pharmacist role is checked too.
	#[benchmark]
	fn revert_decommission() {
		T::BenchmarkHelper::set_time(NOW);
		let (who, org) = caller::<T>(OrgKind::Pharmacy, Role::Pharmacist);
		insert_batch::<T>(0, org, 1, EXPIRES_AT);
		let state = PackState::Dispensed { by: org, at: NOW };
		let pack = insert_pack::<T>(0, 0, state, Position::Held(org), &who);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), pack.clone());

		assert_eq!(Packs::<T>::get(&pack).map(|p| p.state), Some(PackState::Active));
	}

	/// By a regulator: its kind is read too.
	#[benchmark]
	fn recall() {
		T::BenchmarkHelper::set_time(NOW);
		let (_maker, manufacturer) =
			member::<T>("maker", OrgKind::Manufacturer, Role::RecordsClerk);
		let (who, _org) = caller::<T>(OrgKind::Regulator, Role::Auditor);
		insert_batch::<T>(0, manufacturer, 1, EXPIRES_AT);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), gtin(1), lot(0));

		assert!(Batches::<T>::get(0).is_some_and(|batch| batch.recall.is_some()));
	}

	/// By the custodian of the outermost container around a pack at the deepest level: every
	/// container's quarantine count is updated.
	#[benchmark]
	fn mark_suspect() {
		T::BenchmarkHelper::set_time(NOW);
		let (who, org) = caller::<T>(OrgKind::Wholesaler, Role::RecordsClerk);
		let pack = deepest_pack::<T>(PackState::Active, Position::Held(org), org, &who);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), pack.clone());

		assert!(Packs::<T>::get(&pack).is_some_and(|p| p.state.is_quarantined()));
	}

	/// A pack at the deepest level: every container's quarantine count is updated.
	#[benchmark]
	fn clear_suspect() {
		T::BenchmarkHelper::set_time(NOW);
		let (who, regulator) = caller::<T>(OrgKind::Regulator, Role::Auditor);
		let (holder_member, holder) =
			member::<T>("holder", OrgKind::Wholesaler, Role::RecordsClerk);
		let state = PackState::Suspect { by: regulator, at: NOW };
		let pack = deepest_pack::<T>(state, Position::Held(holder), holder, &holder_member);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), pack.clone());

		assert_eq!(Packs::<T>::get(&pack).map(|p| p.state), Some(PackState::Active));
	}

	#[benchmark]
	fn confirm_illegitimate() {
		T::BenchmarkHelper::set_time(NOW);
		let (who, regulator) = caller::<T>(OrgKind::Regulator, Role::Auditor);
		let (holder_member, holder) =
			member::<T>("holder", OrgKind::Wholesaler, Role::RecordsClerk);
		let state = PackState::Suspect { by: regulator, at: NOW };
		let pack = deepest_pack::<T>(state, Position::Held(holder), holder, &holder_member);

		#[extrinsic_call]
		_(RawOrigin::Signed(who), pack.clone());

		assert!(Packs::<T>::get(&pack)
			.is_some_and(|p| matches!(p.state, PackState::Illegitimate { .. })));
	}

	/// `h`: history entries of the pack, up to a full log and its closing reserve. The last
	/// pack of its batch: the batch goes too, and its lot number is retired.
	#[benchmark]
	fn purge_pack(h: Linear<0, { Pallet::<T>::max_log_entries() }>) -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::set_time(NOW);
		let (depositor, org) = member::<T>("pharmacy", OrgKind::Pharmacy, Role::Pharmacist);
		insert_batch::<T>(0, org, 1, NOW);
		let state = PackState::Dispensed { by: org, at: NOW };
		let pack = insert_pack::<T>(0, 0, state, Position::Held(org), &depositor);
		let amount = T::PackDeposit::get();
		T::Currency::hold(&HoldReason::PackDeposit.into(), &depositor, amount)?;
		fill_history::<T>(&Epc::Sgtin(pack.clone()), h, org);
		Packs::<T>::mutate(&pack, |entry| {
			if let Some(entry) = entry {
				entry.history_len = h;
				entry.deposit.amount = amount;
			}
		});
		T::BenchmarkHelper::set_time(
			NOW.saturating_add(T::RetentionPeriod::get()).saturating_add(T::RevertWindow::get()),
		);
		let who: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(who), pack.clone());

		assert!(Packs::<T>::get(&pack).is_none());
		assert!(Batches::<T>::get(0).is_none());
		assert!(RetiredLots::<T>::contains_key(gtin(1), lot(0)));
		Ok(())
	}

	/// `h`: history entries of the container.
	#[benchmark]
	fn purge_container(
		h: Linear<0, { Pallet::<T>::max_log_entries() }>,
	) -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::set_time(NOW);
		let (depositor, org) = member::<T>("holder", OrgKind::Wholesaler, Role::RecordsClerk);
		let sscc = insert_container::<T>(1, Position::Held(org), 0, 1, &[], &depositor);
		let amount = T::ContainerDeposit::get();
		T::Currency::hold(&HoldReason::ContainerDeposit.into(), &depositor, amount)?;
		fill_history::<T>(&Epc::Sscc(sscc), h, org);
		Containers::<T>::mutate(sscc, |entry| {
			if let Some(entry) = entry {
				entry.history_len = h;
				entry.deposit.amount = amount;
			}
		});
		T::BenchmarkHelper::set_time(NOW.saturating_add(T::RetentionPeriod::get()));
		let who: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(who), sscc);

		assert!(Containers::<T>::get(sscc).is_none());
		Ok(())
	}

	/// Not a call: the runtime API's `verify` on a pack at the deepest level whose outermost
	/// container is in transit, to show it reads a constant number of storage items.
	#[benchmark]
	fn verify_pack() {
		T::BenchmarkHelper::set_time(NOW);
		let (seller_member, seller) =
			member::<T>("seller", OrgKind::Wholesaler, Role::RecordsClerk);
		let (_buyer_member, buyer) = member::<T>("buyer", OrgKind::Pharmacy, Role::Pharmacist);
		let shipment = 0;
		let pack = deepest_pack::<T>(
			PackState::Active,
			Position::InTransit(shipment),
			seller,
			&seller_member,
		);
		let root = sscc(0);
		Shipments::<T>::insert(
			shipment,
			Shipment {
				seller,
				buyer,
				items: BoundedVec::truncate_from(vec![Epc::Sscc(root)]),
				transaction: H256::repeat_byte(1),
				shipped_at: NOW,
				event: 0,
				kind: ShipmentKind::Sale,
			},
		);
		let verification;

		#[block]
		{
			verification = Pallet::<T>::verify(&pack);
		}

		assert_eq!(verification.status, PackStatus::InTransit);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}

/// Writes `len` history entries for `epc`.
fn fill_history<T: Config>(epc: &Epc, len: u32, org: OrgId) {
	for seq in 0..len {
		History::<T>::insert(epc, seq, dummy_entry::<T>(org));
	}
}

/// A history entry to fill logs with.
fn dummy_entry<T: Config>(org: OrgId) -> HistoryEntryOf<T> {
	HistoryEntry {
		epcis: EpcisMeta {
			event_id: 0,
			biz_step: BizStep::Shipping,
			disposition: Disposition::InTransit,
			action: EpcisAction::Observe,
			block: frame_system::Pallet::<T>::block_number(),
			at: NOW,
			org,
			location: None,
		},
		detail: EventDetail::Shipment {
			shipment: 0,
			seller: org,
			buyer: org,
			transaction: H256::repeat_byte(1),
		},
	}
}
