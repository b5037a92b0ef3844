//! Unit tests of the supply-chain pallet: every call and every error, the derived statuses
//! (recall, expiry), custody through containers, deposits, purging and the spliced history.

use crate::{
	mock::*, BatchIds, Batches, BizStep, CancelReason, Custody, DecommissionReason, Disposition,
	Epc, EpcisAction, EpcisMeta, Error, Event, EventDetail, History, HistoryEntry, HoldReason,
	Pack, PackState, PackStatus, Packs, Position, Products, RetiredLots, Sgtin, ShipmentId,
	ShipmentKind, Shipments, Sscc, Verification, WeightInfo,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::InspectHold, Get, Hooks},
};
use medchain_primitives::{
	gs1::{is_valid_gtin, is_valid_sscc},
	health::{OrgKind, Role},
};
use sp_core::H256;
use sp_runtime::{DispatchResult, TokenError};

type Containers = crate::Containers<Test>;

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

fn hold_of(reason: HoldReason, who: u64) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::SupplyChain(reason), &who)
}

/// `MAKER_STAFF` commissions `texts` of the main product, lot `lot`, expiry `expiry`.
fn commission_lot(lot: &str, expiry: crate::Expiry, texts: &[&str]) -> DispatchResult {
	SupplyChain::commission(
		RuntimeOrigin::signed(MAKER_STAFF),
		product(),
		crate::mock::lot(lot),
		expiry,
		serials(texts),
	)
}

/// `MAKER_STAFF` commissions `texts` of the main product in lot A.
fn commission_a(texts: &[&str]) {
	assert_ok!(commission_lot("LOT-A", EXPIRY, texts));
}

fn tx() -> H256 {
	H256::repeat_byte(0x7c)
}

/// `who` ships `items` to `buyer`; returns the shipment id.
fn ship(who: u64, buyer: u32, items: &[Epc]) -> ShipmentId {
	let shipment = crate::NextShipmentId::<Test>::get();
	assert_ok!(SupplyChain::ship(RuntimeOrigin::signed(who), buyer, epcs(items), tx()));
	shipment
}

fn try_ship(who: u64, buyer: u32, items: &[Epc]) -> DispatchResult {
	SupplyChain::ship(RuntimeOrigin::signed(who), buyer, epcs(items), tx())
}

/// `who` ships `items` to `buyer`, then `receiver` receives them.
fn deliver(who: u64, buyer: u32, receiver: u64, items: &[Epc]) {
	let shipment = ship(who, buyer, items);
	assert_ok!(SupplyChain::receive(RuntimeOrigin::signed(receiver), shipment));
}

fn aggregate(who: u64, parent: u32, children: &[Epc]) -> DispatchResult {
	aggregate_into(who, sscc(parent), children)
}

fn disaggregate(who: u64, parent: u32, children: &[Epc]) -> DispatchResult {
	SupplyChain::disaggregate(RuntimeOrigin::signed(who), sscc(parent), epcs(children))
}

fn case(n: u32) -> Epc {
	Epc::Sscc(sscc(n))
}

/// `who` packs `children` into `parent`, an SSCC of any company's.
fn aggregate_into(who: u64, parent: Sscc, children: &[Epc]) -> DispatchResult {
	SupplyChain::aggregate(RuntimeOrigin::signed(who), parent, epcs(children))
		.map(|_| ())
		.map_err(|error| error.error)
}

fn pack_of(text: &str) -> crate::PackOf<Test> {
	Packs::<Test>::get(pack(text)).expect("the pack exists")
}

fn container_of(n: u32) -> crate::ContainerOf<Test> {
	Containers::get(sscc(n)).expect("the container exists")
}

fn state(text: &str) -> PackState {
	pack_of(text).state
}

fn status(text: &str) -> PackStatus {
	SupplyChain::verify(&pack(text)).status
}

fn custody(text: &str) -> Option<Custody> {
	SupplyChain::verify(&pack(text)).custody
}

fn dispense(who: u64, text: &str) -> DispatchResult {
	SupplyChain::dispense(RuntimeOrigin::signed(who), pack(text))
}

fn decommission(who: u64, text: &str, reason: DecommissionReason) -> DispatchResult {
	SupplyChain::decommission(RuntimeOrigin::signed(who), pack(text), reason)
}

fn revert(who: u64, text: &str) -> DispatchResult {
	SupplyChain::revert_decommission(RuntimeOrigin::signed(who), pack(text))
}

fn recall_a(who: u64) -> DispatchResult {
	SupplyChain::recall(RuntimeOrigin::signed(who), product(), lot_a())
}

fn suspect(who: u64, text: &str) -> DispatchResult {
	SupplyChain::mark_suspect(RuntimeOrigin::signed(who), pack(text))
}

fn clear(who: u64, text: &str) -> DispatchResult {
	SupplyChain::clear_suspect(RuntimeOrigin::signed(who), pack(text))
}

fn illegitimate(who: u64, text: &str) -> DispatchResult {
	SupplyChain::confirm_illegitimate(RuntimeOrigin::signed(who), pack(text))
}

/// The EPCIS fields the next event by `org` gets, at the current block and time.
fn epcis(
	event_id: u64,
	org: u32,
	biz_step: BizStep,
	disposition: Disposition,
	action: EpcisAction,
) -> crate::EpcisMetaOf<Test> {
	EpcisMeta {
		event_id,
		biz_step,
		disposition,
		action,
		block: System::block_number(),
		at: Timestamp::get(),
		org,
		location: Some(gln(org)),
	}
}

fn next_event() -> u64 {
	crate::NextEventId::<Test>::get()
}

/// `text` moved to the pharmacy through the wholesaler.
fn at_pharmacy(texts: &[&str]) {
	commission_a(texts);
	let items: Vec<Epc> = texts.iter().map(|text| pack_epc(text)).collect();
	deliver(MAKER_STAFF, WHOLESALER, WHOLESALE_STAFF, &items);
	deliver(WHOLESALE_STAFF, PHARMACY, PHARMACIST, &items);
}

fn history_len(epc: &Epc) -> u32 {
	match epc {
		Epc::Sgtin(sgtin) => Packs::<Test>::get(sgtin).map_or(0, |pack| pack.history_len),
		Epc::Sscc(sscc) => Containers::get(sscc).map_or(0, |container| container.history_len),
	}
}

fn last_entry(epc: &Epc) -> crate::HistoryEntryOf<Test> {
	History::<Test>::get(epc, history_len(epc) - 1).expect("the item has a history")
}

// ---------------------------------------------------------------------------------------------
// configuration
// ---------------------------------------------------------------------------------------------

#[test]
fn the_mock_configuration_passes_the_integrity_test() {
	new_test_ext().execute_with(|| {
		<SupplyChain as Hooks<u64>>::integrity_test();
	});
}

#[test]
fn commissioning_a_thousand_packs_fits_in_a_block() {
	// The placeholder (and later measured) weight of the largest commission stays below the
	// normal-class share (75%) of MedChain's 2-second block.
	let weight = <() as WeightInfo>::commission(1_000);
	let block = 2 * frame_support::weights::constants::WEIGHT_REF_TIME_PER_SECOND;
	assert!(weight.ref_time() < block * 3 / 4, "commission(1000) = {weight:?}");
}

#[test]
fn counters_that_would_overflow_refuse_the_call() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1"]);
		crate::NextBatchId::<Test>::put(u64::MAX);
		assert_noop!(commission_lot("LOT-B", EXPIRY, &["S2"]), Error::<Test>::Overflow);
		crate::NextShipmentId::<Test>::put(u64::MAX);
		assert_noop!(try_ship(MAKER_STAFF, WHOLESALER, &[pack_epc("S1")]), Error::<Test>::Overflow);
		crate::NextEventId::<Test>::put(u64::MAX);
		assert_noop!(commission_lot("LOT-A", EXPIRY, &["S3"]), Error::<Test>::Overflow);
		assert_noop!(suspect(MAKER_STAFF, "S1"), Error::<Test>::Overflow);
	});
}

// ---------------------------------------------------------------------------------------------
// register_product
// ---------------------------------------------------------------------------------------------

#[test]
fn a_manufacturer_registers_a_product_and_pays_its_deposit() {
	new_test_ext().execute_with(|| {
		assert_ok!(SupplyChain::register_product(RuntimeOrigin::signed(MAKER_STAFF), gtin(2)));
		let product = Products::<Test>::get(gtin(2)).unwrap();
		assert_eq!(product.manufacturer, MAKER);
		assert_eq!(product.registered_at, START);
		assert_eq!(product.deposit.depositor, MAKER_STAFF);
		assert_eq!(hold_of(HoldReason::ProductDeposit, MAKER_STAFF), 2 * ProductDeposit::get());
		System::assert_last_event(
			Event::ProductRegistered {
				gtin: gtin(2),
				manufacturer: MAKER,
				who: MAKER_STAFF,
				location: Some(gln(MAKER)),
			}
			.into(),
		);
	});
}

#[test]
fn register_product_errors() {
	new_test_ext().execute_with(|| {
		let register = |who, gtin| SupplyChain::register_product(RuntimeOrigin::signed(who), gtin);
		assert_noop!(register(STRANGER, gtin(2)), Error::<Test>::NotMember);
		assert_noop!(register(WHOLESALE_STAFF, gtin(2)), Error::<Test>::NotManufacturer);
		let mut bad = gtin(2);
		bad[13] = if bad[13] == b'9' { b'0' } else { bad[13] + 1 };
		assert_noop!(register(MAKER_STAFF, bad), Error::<Test>::InvalidGtin);
		assert_noop!(register(MAKER_STAFF, *b"1061414100001A"), Error::<Test>::InvalidGtin);
		assert_noop!(register(MAKER_STAFF, [b'0'; 14]), Error::<Test>::InvalidGtin);
		assert_noop!(register(MAKER_STAFF, product()), Error::<Test>::ProductExists);
		assert_noop!(register(PAUPER, gtin(2)), TokenError::FundsUnavailable);
	});
}

#[test]
fn only_the_holder_of_a_gtins_company_prefix_registers_it() {
	new_test_ext().execute_with(|| {
		let register = |who, gtin| SupplyChain::register_product(RuntimeOrigin::signed(who), gtin);
		// The maker's GTINs, registered or not, are not the other maker's to claim.
		assert_noop!(register(OTHER_MAKER_STAFF, product()), Error::<Test>::GtinOfAnotherCompany);
		assert_noop!(register(OTHER_MAKER_STAFF, gtin(2)), Error::<Test>::GtinOfAnotherCompany);
		// A GTIN under no recorded prefix is nobody's yet.
		let unlicensed = *b"10614150000017";
		assert!(is_valid_gtin(&unlicensed));
		assert_noop!(register(MAKER_STAFF, unlicensed), Error::<Test>::GtinOutsideCompanyPrefixes);
		// The other maker's own prefix works for it alone.
		let theirs = *b"10614142000018";
		assert_noop!(register(MAKER_STAFF, theirs), Error::<Test>::GtinOfAnotherCompany);
		assert_ok!(register(OTHER_MAKER_STAFF, theirs));
	});
}

#[test]
fn a_product_with_no_lot_left_is_deregistered_and_its_deposit_returned() {
	new_test_ext().execute_with(|| {
		let deregister =
			|who| SupplyChain::deregister_product(RuntimeOrigin::signed(who), product());
		commission_a(&["S1", "S2"]);
		assert_noop!(deregister(STRANGER), Error::<Test>::NotMember);
		assert_noop!(deregister(WHOLESALE_STAFF), Error::<Test>::NotProductOwner);
		assert_noop!(deregister(OTHER_MAKER_STAFF), Error::<Test>::NotProductOwner);
		assert_noop!(deregister(MAKER_STAFF), Error::<Test>::ProductInUse);

		// Its packs are destroyed and, after the retention period, purged: the lot goes.
		for text in ["S1", "S2"] {
			assert_ok!(decommission(MAKER_STAFF, text, DecommissionReason::Destroyed));
		}
		set_now(EXPIRES_AT + RETENTION);
		assert_ok!(SupplyChain::purge_pack(RuntimeOrigin::signed(STRANGER), pack("S1")));
		assert_noop!(deregister(MAKER_STAFF), Error::<Test>::ProductInUse);
		assert_ok!(SupplyChain::purge_pack(RuntimeOrigin::signed(STRANGER), pack("S2")));

		assert_eq!(hold_of(HoldReason::ProductDeposit, MAKER_STAFF), ProductDeposit::get());
		assert_noop!(deregister(OTHER_MAKER_STAFF), Error::<Test>::NotProductOwner);
		assert_ok!(deregister(MAKER_STAFF));
		assert!(Products::<Test>::get(product()).is_none());
		assert_eq!(hold_of(HoldReason::ProductDeposit, MAKER_STAFF), 0);
		System::assert_last_event(
			Event::ProductDeregistered { gtin: product(), manufacturer: MAKER, who: MAKER_STAFF }
				.into(),
		);
		assert_noop!(deregister(MAKER_STAFF), Error::<Test>::UnknownProduct);
		assert_noop!(commission_lot("LOT-B", *b"491231", &["S3"]), Error::<Test>::UnknownProduct);
		// The GTIN is never given to another manufacturer, not even one that now holds its
		// company prefix; its own may register it again.
		let register = |who| SupplyChain::register_product(RuntimeOrigin::signed(who), product());
		MockOrganisations::assign_prefix(OTHER_MAKER, "0614141");
		assert_noop!(register(OTHER_MAKER_STAFF), Error::<Test>::GtinRetired);
		MockOrganisations::assign_prefix(MAKER, "0614141");
		assert_ok!(register(MAKER_STAFF));
		assert!(crate::RetiredGtins::<Test>::get(product()).is_none());
		// Registered again, the product still never gets a batch under its purged lot.
		assert_noop!(commission_lot("LOT-A", *b"491231", &["S3"]), Error::<Test>::LotRetired);
		assert_ok!(commission_lot("LOT-B", *b"491231", &["S3"]));
	});
}

// ---------------------------------------------------------------------------------------------
// transfer_product
// ---------------------------------------------------------------------------------------------

fn transfer(gtin: crate::Gtin, to: u32) -> DispatchResult {
	SupplyChain::transfer_product(RuntimeOrigin::root(), gtin, to)
}

#[test]
fn governance_moves_a_product_to_the_new_holder_of_its_prefix() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1"]);
		MockOrganisations::assign_prefix(OTHER_MAKER, "0614141");
		assert_ok!(transfer(product(), OTHER_MAKER));
		System::assert_last_event(
			Event::ProductTransferred {
				gtin: product(),
				from: MAKER,
				to: OTHER_MAKER,
				retired: false,
			}
			.into(),
		);
		let moved = Products::<Test>::get(product()).unwrap();
		assert_eq!(moved.manufacturer, OTHER_MAKER);
		// The deposit stays with the member who paid it.
		assert_eq!(moved.deposit.depositor, MAKER_STAFF);
		assert_eq!(hold_of(HoldReason::ProductDeposit, OTHER_MAKER_STAFF), 0);

		// The new manufacturer commissions new lots; the old one no longer commissions any.
		assert_noop!(commission_lot("LOT-B", EXPIRY, &["S2"]), Error::<Test>::NotProductOwner);
		let commission_other = |lot: &str, text: &str| {
			SupplyChain::commission(
				RuntimeOrigin::signed(OTHER_MAKER_STAFF),
				product(),
				crate::mock::lot(lot),
				EXPIRY,
				serials(&[text]),
			)
		};
		assert_noop!(commission_other("LOT-A", "S2"), Error::<Test>::LotOfAnotherManufacturer);
		// Whatever else is wrong with the request: the lot is not theirs.
		assert_noop!(
			SupplyChain::commission(
				RuntimeOrigin::signed(OTHER_MAKER_STAFF),
				product(),
				lot_a(),
				*b"491231",
				serials(&["S2"]),
			),
			Error::<Test>::LotOfAnotherManufacturer
		);
		assert_ok!(commission_other("LOT-B", "S2"));
		let lot_b = BatchIds::<Test>::get(product(), lot("LOT-B")).unwrap();
		assert_eq!(Batches::<Test>::get(lot_b).unwrap().manufacturer, OTHER_MAKER);

		// The lot already made stays its maker's: the pack's history and the recall say so.
		let batch_a = BatchIds::<Test>::get(product(), lot_a()).unwrap();
		assert_eq!(Batches::<Test>::get(batch_a).unwrap().manufacturer, MAKER);
		let recall = |who| SupplyChain::recall(RuntimeOrigin::signed(who), product(), lot_a());
		assert_noop!(recall(OTHER_MAKER_STAFF), Error::<Test>::NotRecallAuthority);
		assert_ok!(recall(MAKER_STAFF));

		// Deregistering it is now the new manufacturer's to do, once its lots are gone.
		assert_noop!(
			SupplyChain::deregister_product(RuntimeOrigin::signed(MAKER_STAFF), product()),
			Error::<Test>::NotProductOwner
		);
	});
}

#[test]
fn a_retired_gtin_moves_to_its_successor_who_alone_registers_it_again() {
	new_test_ext().execute_with(|| {
		let register = |who| SupplyChain::register_product(RuntimeOrigin::signed(who), gtin(2));
		assert_ok!(register(MAKER_STAFF));
		assert_ok!(SupplyChain::deregister_product(RuntimeOrigin::signed(MAKER_STAFF), gtin(2)));
		MockOrganisations::assign_prefix(OTHER_MAKER, "0614141");
		assert_noop!(register(OTHER_MAKER_STAFF), Error::<Test>::GtinRetired);

		assert_ok!(transfer(gtin(2), OTHER_MAKER));
		System::assert_last_event(
			Event::ProductTransferred {
				gtin: gtin(2),
				from: MAKER,
				to: OTHER_MAKER,
				retired: true,
			}
			.into(),
		);
		assert_eq!(crate::RetiredGtins::<Test>::get(gtin(2)), Some(OTHER_MAKER));
		assert!(Products::<Test>::get(gtin(2)).is_none());
		assert_noop!(register(MAKER_STAFF), Error::<Test>::GtinOfAnotherCompany);
		assert_ok!(register(OTHER_MAKER_STAFF));
		assert_eq!(Products::<Test>::get(gtin(2)).unwrap().manufacturer, OTHER_MAKER);
	});
}

#[test]
fn a_product_line_sold_without_its_company_prefix_moves_all_the_same() {
	new_test_ext().execute_with(|| {
		// The seller keeps prefix 0614141; the buyer holds none of it.
		MockOrganisations::deregister(MAKER);
		assert_ok!(transfer(product(), OTHER_MAKER));
		assert_ok!(SupplyChain::commission(
			RuntimeOrigin::signed(OTHER_MAKER_STAFF),
			product(),
			lot("LOT-B"),
			EXPIRY,
			serials(&["S1"]),
		));
		// Other GTINs under the seller's prefix are still not the buyer's to register.
		assert_noop!(
			SupplyChain::register_product(RuntimeOrigin::signed(OTHER_MAKER_STAFF), gtin(2)),
			Error::<Test>::GtinOfAnotherCompany
		);
	});
}

#[test]
fn a_moved_products_deposit_comes_back_to_its_payer_when_the_new_maker_deregisters_it() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1"]);
		assert_ok!(transfer(product(), OTHER_MAKER));
		assert_eq!(hold_of(HoldReason::ProductDeposit, MAKER_STAFF), ProductDeposit::get());
		// The old lot goes first, as for any product.
		assert_ok!(decommission(MAKER_STAFF, "S1", DecommissionReason::Destroyed));
		set_now(EXPIRES_AT + RETENTION);
		assert_ok!(SupplyChain::purge_pack(RuntimeOrigin::signed(STRANGER), pack("S1")));
		assert_noop!(
			SupplyChain::deregister_product(RuntimeOrigin::signed(MAKER_STAFF), product()),
			Error::<Test>::NotProductOwner
		);
		assert_ok!(SupplyChain::deregister_product(
			RuntimeOrigin::signed(OTHER_MAKER_STAFF),
			product()
		));
		assert_eq!(hold_of(HoldReason::ProductDeposit, MAKER_STAFF), 0);
		assert_eq!(hold_of(HoldReason::ProductDeposit, OTHER_MAKER_STAFF), 0);
		assert_eq!(crate::RetiredGtins::<Test>::get(product()), Some(OTHER_MAKER));
	});
}

#[test]
fn transfer_product_errors() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			SupplyChain::transfer_product(RuntimeOrigin::signed(MAKER_STAFF), product(), MAKER),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_noop!(transfer(product(), WHOLESALER), Error::<Test>::NotAManufacturer);
		assert_noop!(transfer(product(), 99), Error::<Test>::NotAManufacturer);
		// Neither registered nor retired.
		assert_noop!(transfer(gtin(2), OTHER_MAKER), Error::<Test>::UnknownProduct);
		// Already the manufacturer's, registered or retired.
		assert_noop!(transfer(product(), MAKER), Error::<Test>::AlreadyTheManufacturer);
		assert_ok!(transfer(product(), OTHER_MAKER));
		assert_noop!(transfer(product(), OTHER_MAKER), Error::<Test>::AlreadyTheManufacturer);
		crate::RetiredGtins::<Test>::insert(gtin(3), OTHER_MAKER);
		assert_noop!(transfer(gtin(3), OTHER_MAKER), Error::<Test>::AlreadyTheManufacturer);
	});
}

#[test]
fn a_manufacturer_whose_kind_changed_still_deregisters_its_product() {
	new_test_ext().execute_with(|| {
		assert_ok!(SupplyChain::register_product(RuntimeOrigin::signed(MAKER_STAFF), gtin(2)));
		MockOrganisations::register(MAKER, OrgKind::Wholesaler, Some(gln(MAKER)));
		let deregister = |who| SupplyChain::deregister_product(RuntimeOrigin::signed(who), gtin(2));
		assert_noop!(deregister(OTHER_MAKER_STAFF), Error::<Test>::NotProductOwner);
		assert_ok!(deregister(MAKER_STAFF));
		assert_eq!(hold_of(HoldReason::ProductDeposit, MAKER_STAFF), ProductDeposit::get());
	});
}

#[test]
fn anyone_deregisters_a_product_of_a_deregistered_manufacturer() {
	new_test_ext().execute_with(|| {
		assert_ok!(SupplyChain::register_product(RuntimeOrigin::signed(MAKER_STAFF), gtin(2)));
		let deregister = |who| SupplyChain::deregister_product(RuntimeOrigin::signed(who), gtin(2));
		assert_noop!(deregister(STRANGER), Error::<Test>::NotMember);
		MockOrganisations::deregister(MAKER);
		assert_ok!(deregister(STRANGER));
		// The deposit goes back to the member who paid it, not to the caller.
		assert_eq!(hold_of(HoldReason::ProductDeposit, MAKER_STAFF), ProductDeposit::get());
		assert_eq!(hold_of(HoldReason::ProductDeposit, STRANGER), 0);
		System::assert_last_event(
			Event::ProductDeregistered { gtin: gtin(2), manufacturer: MAKER, who: STRANGER }.into(),
		);
	});
}

// ---------------------------------------------------------------------------------------------
// commission
// ---------------------------------------------------------------------------------------------

#[test]
fn the_manufacturer_commissions_packs_of_a_batch() {
	new_test_ext().execute_with(|| {
		let event_id = next_event();
		commission_a(&["S1", "S2"]);

		let batch = Batches::<Test>::get(0).unwrap();
		assert_eq!(BatchIds::<Test>::get(product(), lot_a()), Some(0));
		assert_eq!(batch.gtin, product());
		assert_eq!(batch.lot, lot_a());
		assert_eq!(batch.expiry, EXPIRY);
		assert_eq!(batch.expires_at, EXPIRES_AT, "DD = 00: through the end of December");
		assert_eq!(batch.manufacturer, MAKER);
		assert_eq!(batch.packs, 2);
		assert_eq!(batch.recall, None);
		let expected =
			epcis(event_id, MAKER, BizStep::Commissioning, Disposition::Active, EpcisAction::Add);
		for text in ["S1", "S2"] {
			assert_eq!(
				pack_of(text),
				Pack {
					batch: 0,
					state: PackState::Active,
					position: Position::Held(MAKER),
					history_len: 1,
					deposit: crate::Deposit { depositor: MAKER_STAFF, amount: 2 },
				}
			);
			assert_eq!(
				History::<Test>::get(pack_epc(text), 0),
				Some(HistoryEntry { epcis: expected.clone(), detail: EventDetail::None })
			);
		}
		assert_eq!(hold_of(HoldReason::PackDeposit, MAKER_STAFF), 2 * PackDeposit::get());
		System::assert_last_event(
			Event::Commissioned {
				gtin: product(),
				lot: lot_a(),
				expiry: EXPIRY,
				batch: 0,
				serials: serials(&["S1", "S2"]),
				who: MAKER_STAFF,
				epcis: expected,
			}
			.into(),
		);
		assert_eq!(
			SupplyChain::verify(&pack("S1")),
			Verification {
				status: PackStatus::Active,
				gtin: product(),
				lot: Some(lot_a()),
				expiry: Some(EXPIRY),
				manufacturer: Some(MAKER),
				custody: Some(Custody::Held(MAKER)),
				container: None,
				recalled: false,
				expired: false,
			}
		);
	});
}

#[test]
fn later_commissions_of_a_lot_join_its_batch_and_other_lots_get_their_own() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1"]);
		commission_a(&["S2", "S3"]);
		assert_eq!(Batches::<Test>::get(0).unwrap().packs, 3);
		assert_ok!(commission_lot("LOT-B", *b"260615", &["S4"]));
		assert_eq!(BatchIds::<Test>::get(product(), lot("LOT-B")), Some(1));
		assert_eq!(pack_of("S4").batch, 1);
		assert_eq!(
			Batches::<Test>::get(1).unwrap().expires_at,
			1_781_568_000_000,
			"2026-06-16T00:00Z"
		);
	});
}

#[test]
fn a_thousand_packs_are_commissioned_in_one_call() {
	new_test_ext().execute_with(|| {
		let many: Vec<String> = (0..1_000).map(|i| format!("{i:020}")).collect();
		let texts: Vec<&str> = many.iter().map(String::as_str).collect();
		let list = serials(&texts);
		assert_eq!(list.len(), 1_000);
		assert_ok!(SupplyChain::commission(
			RuntimeOrigin::signed(MAKER_STAFF),
			product(),
			lot_a(),
			EXPIRY,
			list,
		));
		assert_eq!(Packs::<Test>::iter().count(), 1_000);
		assert_eq!(Batches::<Test>::get(0).unwrap().packs, 1_000);
		assert_eq!(hold_of(HoldReason::PackDeposit, MAKER_STAFF), 1_000 * PackDeposit::get());
		assert_eq!(status(&many[999]), PackStatus::Active);
	});
}

#[test]
fn commission_errors() {
	new_test_ext().execute_with(|| {
		let commission = |who, gtin, lot: &str, expiry, texts: &[&str]| {
			SupplyChain::commission(
				RuntimeOrigin::signed(who),
				gtin,
				crate::mock::lot(lot),
				expiry,
				serials(texts),
			)
		};
		assert_noop!(
			commission(STRANGER, product(), "L", EXPIRY, &["S"]),
			Error::<Test>::NotMember
		);
		assert_noop!(
			commission(WHOLESALE_STAFF, product(), "L", EXPIRY, &["S"]),
			Error::<Test>::NotManufacturer
		);
		assert_noop!(
			commission(MAKER_STAFF, *b"10614141000018", "L", EXPIRY, &["S"]),
			Error::<Test>::InvalidGtin
		);
		assert_noop!(
			commission(MAKER_STAFF, product(), "", EXPIRY, &["S"]),
			Error::<Test>::InvalidLot
		);
		assert_noop!(
			commission(MAKER_STAFF, product(), "L 1", EXPIRY, &["S"]),
			Error::<Test>::InvalidLot
		);
		for bad in [*b"251301", *b"250000", *b"250431", *b"250229", *b"2512ab"] {
			assert_noop!(
				commission(MAKER_STAFF, product(), "L", bad, &["S"]),
				Error::<Test>::InvalidExpiry
			);
		}
		assert_noop!(
			commission(MAKER_STAFF, product(), "L", *b"231113", &["S"]),
			Error::<Test>::Expired
		);
		assert_noop!(commission(MAKER_STAFF, product(), "L", EXPIRY, &[]), Error::<Test>::NoItems);
		assert_noop!(
			commission(MAKER_STAFF, gtin(3), "L", EXPIRY, &["S"]),
			Error::<Test>::UnknownProduct
		);
		assert_noop!(
			commission(OTHER_MAKER_STAFF, product(), "L", EXPIRY, &["S"]),
			Error::<Test>::NotProductOwner
		);
		for bad in ["", "S 1", "S#1", "S\u{e9}"] {
			assert_noop!(
				commission(MAKER_STAFF, product(), "L", EXPIRY, &["OK", bad]),
				Error::<Test>::InvalidSerial
			);
		}
		assert_noop!(
			commission(MAKER_STAFF, product(), "L", EXPIRY, &["S", "S"]),
			Error::<Test>::AlreadyCommissioned
		);
		assert_ok!(commission(MAKER_STAFF, product(), "L", EXPIRY, &["S"]));
		assert_noop!(
			commission(MAKER_STAFF, product(), "L2", EXPIRY, &["T", "S"]),
			Error::<Test>::AlreadyCommissioned
		);
		assert_noop!(
			commission(MAKER_STAFF, product(), "L", *b"260101", &["T"]),
			Error::<Test>::ExpiryMismatch
		);
		assert_noop!(
			commission(PAUPER, product(), "L", EXPIRY, &["T"]),
			TokenError::FundsUnavailable
		);
		assert_ok!(SupplyChain::recall(RuntimeOrigin::signed(MAKER_STAFF), product(), lot("L")));
		assert_noop!(
			commission(MAKER_STAFF, product(), "L", EXPIRY, &["T"]),
			Error::<Test>::Recalled
		);
	});
}

// ---------------------------------------------------------------------------------------------
// aggregate
// ---------------------------------------------------------------------------------------------

#[test]
fn a_container_keeps_the_latest_expiry_of_what_it_carried() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1"]);
		let later = *b"281231";
		assert_ok!(commission_lot("LOT-B", later, &["S2"]));
		assert_ok!(aggregate(MAKER_STAFF, 1, &[pack_epc("S1")]));
		assert_eq!(container_of(1).latest_expiry, EXPIRES_AT);
		assert_ok!(aggregate(MAKER_STAFF, 2, &[pack_epc("S2")]));
		let case_2_expiry = container_of(2).latest_expiry;
		assert!(case_2_expiry > EXPIRES_AT);
		// A pallet of both cases keeps the later; unpacking lowers nothing.
		let info = SupplyChain::aggregate(
			RuntimeOrigin::signed(MAKER_STAFF),
			sscc(3),
			epcs(&[case(1), case(2)]),
		)
		.expect("packed");
		assert_eq!(container_of(3).latest_expiry, case_2_expiry);
		// Containers read no batch: only the declared weight of packing them.
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::aggregate(2)));
		assert_ok!(disaggregate(MAKER_STAFF, 3, &[case(2)]));
		assert_eq!(container_of(3).latest_expiry, case_2_expiry);
	});
}

#[test]
fn packs_are_aggregated_into_a_new_container() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1", "S2"]);
		assert_ok!(commission_lot("LOT-B", EXPIRY, &["S3"]));
		let event_id = next_event();
		let children = epcs(&[pack_epc("S1"), pack_epc("S2"), pack_epc("S3")]);
		let info = SupplyChain::aggregate(RuntimeOrigin::signed(MAKER_STAFF), sscc(1), children)
			.expect("packed");
		// A new container of three packs of two batches: charged what the call declared, but
		// for one batch read: each batch is read once.
		let db = <Test as frame_system::Config>::DbWeight::get();
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::aggregate(3) + db.reads(2)));

		let container = container_of(1);
		assert_eq!(container.position, Position::Held(MAKER));
		assert_eq!(container.children, 3);
		assert_eq!(container.height, 2);
		assert_eq!(container.batches.to_vec(), vec![(0, 2), (1, 1)]);
		assert_eq!(container.quarantined, 0);
		assert_eq!(container.history_len, 1);
		assert_eq!(container.deposit.depositor, MAKER_STAFF);
		assert_eq!(hold_of(HoldReason::ContainerDeposit, MAKER_STAFF), ContainerDeposit::get());
		let expected = epcis(
			event_id,
			MAKER,
			BizStep::Packing,
			Disposition::ContainerClosed,
			EpcisAction::Add,
		);
		assert_eq!(
			last_entry(&case(1)),
			HistoryEntry { epcis: expected.clone(), detail: EventDetail::Children { count: 3 } }
		);
		for text in ["S1", "S2", "S3"] {
			assert_eq!(pack_of(text).position, Position::Inside(sscc(1)));
			assert_eq!(
				last_entry(&pack_epc(text)),
				HistoryEntry {
					epcis: expected.clone(),
					detail: EventDetail::Parent { parent: sscc(1), parent_seq: 0 },
				}
			);
			assert_eq!(custody(text), Some(Custody::Held(MAKER)));
			assert_eq!(SupplyChain::verify(&pack(text)).container, Some(sscc(1)));
		}
		System::assert_last_event(
			Event::Aggregated {
				parent: sscc(1),
				children: epcs(&[pack_epc("S1"), pack_epc("S2"), pack_epc("S3")]),
				who: MAKER_STAFF,
				epcis: expected,
			}
			.into(),
		);

		// More packs join an existing container: no second deposit, and no charge for the
		// prefix lookup and the hold a new container needs, nor for reading a batch it lists.
		commission_a(&["S4"]);
		let info = SupplyChain::aggregate(
			RuntimeOrigin::signed(MAKER_STAFF),
			sscc(1),
			epcs(&[pack_epc("S4")]),
		)
		.expect("packed");
		let prefix_reads = medchain_primitives::gs1::sscc_company_prefixes(&sscc(1)).count();
		assert_eq!(prefix_reads, 9);
		assert_eq!(
			info.actual_weight,
			Some(<() as WeightInfo>::aggregate(1) - db.reads_writes(10, 1))
		);
		assert_eq!(container_of(1).children, 4);
		assert_eq!(container_of(1).batches.to_vec(), vec![(0, 3), (1, 1)]);
		assert_eq!(hold_of(HoldReason::ContainerDeposit, MAKER_STAFF), ContainerDeposit::get());
		assert_eq!(pack_of("S4").history_len, 2);
		assert_eq!(
			last_entry(&pack_epc("S4")).detail,
			EventDetail::Parent { parent: sscc(1), parent_seq: 1 }
		);
	});
}

#[test]
fn containers_nest_up_to_the_maximum_depth() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1", "S2"]);
		assert_ok!(aggregate(MAKER_STAFF, 1, &[pack_epc("S1")]));
		assert_ok!(aggregate(MAKER_STAFF, 10, &[case(1)]));
		let pallet = container_of(10);
		assert_eq!(pallet.height, 3);
		assert_eq!(pallet.batches.to_vec(), vec![(0, 1)]);
		assert_eq!(container_of(1).position, Position::Inside(sscc(10)));
		let verification = SupplyChain::verify(&pack("S1"));
		assert_eq!(verification.container, Some(sscc(10)), "the outermost container");
		assert_eq!(verification.custody, Some(Custody::Held(MAKER)));

		// pack -> case -> pallet is 3 levels: a fourth is refused.
		assert_noop!(aggregate(MAKER_STAFF, 20, &[case(10)]), Error::<Test>::TooDeep);
		// A pack can still join the pallet directly.
		assert_ok!(aggregate(MAKER_STAFF, 10, &[pack_epc("S2")]));
		assert_eq!(container_of(10).batches.to_vec(), vec![(0, 2)]);
	});
}

#[test]
fn a_company_numbers_only_its_own_logistic_units() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1", "S2", "S3"]);
		let items = [pack_epc("S1"), pack_epc("S2"), pack_epc("S3")];
		deliver(MAKER_STAFF, WHOLESALER, WHOLESALE_STAFF, &items);
		// The maker's pallet numbers are the maker's: the wholesaler repacks under its own.
		assert_noop!(
			aggregate(WHOLESALE_STAFF, 1, &[pack_epc("S1")]),
			Error::<Test>::SsccOfAnotherCompany
		);
		let tote = sscc_of(WHOLESALER, 7);
		assert_ok!(aggregate_into(WHOLESALE_STAFF, tote, &[pack_epc("S1")]));
		assert_eq!(
			Containers::get(tote).map(|tote| tote.position),
			Some(Position::Held(WHOLESALER))
		);
		// Its prefix moves to another company: the container it already numbered stays its
		// own to fill, but no new one is numbered under it.
		MockOrganisations::assign_prefix(HOSPITAL, &prefix_of(WHOLESALER));
		assert_ok!(aggregate_into(WHOLESALE_STAFF, tote, &[pack_epc("S2")]));
		assert_noop!(
			aggregate_into(WHOLESALE_STAFF, sscc_of(WHOLESALER, 8), &[pack_epc("S3")]),
			Error::<Test>::SsccOfAnotherCompany
		);
		assert_eq!(Containers::get(tote).map(|tote| tote.children), Some(2));
	});
}

#[test]
fn aggregate_errors() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1", "S2", "S3", "S4", "S5"]);
		let mut bad_sscc = sscc(1);
		bad_sscc[17] = if bad_sscc[17] == b'9' { b'0' } else { bad_sscc[17] + 1 };
		assert_noop!(aggregate(STRANGER, 1, &[pack_epc("S1")]), Error::<Test>::NotMember);
		assert_noop!(
			aggregate_into(MAKER_STAFF, bad_sscc, &[pack_epc("S1")]),
			Error::<Test>::InvalidSscc
		);
		assert_noop!(aggregate(MAKER_STAFF, 1, &[]), Error::<Test>::NoItems);
		assert_noop!(aggregate(MAKER_STAFF, 1, &[case(1)]), Error::<Test>::CannotContainItself);
		assert_noop!(aggregate(MAKER_STAFF, 1, &[pack_epc("NOPE")]), Error::<Test>::UnknownPack);
		assert_noop!(aggregate(MAKER_STAFF, 1, &[case(2)]), Error::<Test>::UnknownContainer);
		assert_noop!(aggregate(MAKER_STAFF, 1, &[Epc::Sscc(bad_sscc)]), Error::<Test>::InvalidSscc);
		assert_noop!(
			aggregate(MAKER_STAFF, 1, &[Epc::Sscc([b'0'; 18])]),
			Error::<Test>::InvalidSscc
		);
		assert_noop!(aggregate(MAKER_STAFF, 1, &[pack_epc("S 1")]), Error::<Test>::InvalidSerial);
		assert_noop!(
			aggregate(
				MAKER_STAFF,
				1,
				&[Epc::Sgtin(Sgtin { gtin: *b"10614141000018", serial: serial("S1") })]
			),
			Error::<Test>::InvalidGtin
		);
		assert_noop!(
			aggregate(MAKER_STAFF, 1, &[pack_epc("S1"), pack_epc("S1")]),
			Error::<Test>::AlreadyAggregated
		);
		// A new container is numbered by the company packing it: not under another's prefix,
		// nor under one nobody holds.
		assert_noop!(
			aggregate(WHOLESALE_STAFF, 1, &[pack_epc("S1")]),
			Error::<Test>::SsccOfAnotherCompany
		);
		assert_noop!(
			aggregate_into(MAKER_STAFF, sscc_of(WHOLESALER, 1), &[pack_epc("S1")]),
			Error::<Test>::SsccOfAnotherCompany
		);
		let unheld = *b"106999990000000015";
		assert!(is_valid_sscc(&unheld));
		assert_noop!(
			aggregate_into(MAKER_STAFF, unheld, &[pack_epc("S1")]),
			Error::<Test>::SsccOutsideCompanyPrefixes
		);
		assert_noop!(
			aggregate_into(WHOLESALE_STAFF, sscc_of(WHOLESALER, 1), &[pack_epc("S1")]),
			Error::<Test>::NotCustodian
		);
		assert_noop!(aggregate(PAUPER, 1, &[pack_epc("S1")]), TokenError::FundsUnavailable);

		assert_ok!(aggregate(MAKER_STAFF, 1, &[pack_epc("S1")]));
		assert_noop!(
			aggregate(MAKER_STAFF, 2, &[pack_epc("S1")]),
			Error::<Test>::AlreadyAggregated
		);
		// The parent must be held by the caller, top-level, not in transit.
		assert_noop!(aggregate(WHOLESALE_STAFF, 1, &[pack_epc("S2")]), Error::<Test>::NotCustodian);
		assert_ok!(aggregate(MAKER_STAFF, 2, &[case(1)]));
		assert_noop!(aggregate(MAKER_STAFF, 1, &[pack_epc("S2")]), Error::<Test>::InsideContainer);
		let shipment = ship(MAKER_STAFF, WHOLESALER, &[case(2), pack_epc("S3")]);
		assert_noop!(aggregate(MAKER_STAFF, 2, &[pack_epc("S2")]), Error::<Test>::ItemInTransit);
		assert_noop!(aggregate(MAKER_STAFF, 3, &[pack_epc("S3")]), Error::<Test>::ItemInTransit);
		assert_ok!(SupplyChain::reject(RuntimeOrigin::signed(WHOLESALE_STAFF), shipment));

		// Children must be active packs, or containers without quarantined packs.
		assert_ok!(suspect(MAKER_STAFF, "S2"));
		assert_noop!(aggregate(MAKER_STAFF, 3, &[pack_epc("S2")]), Error::<Test>::Suspect);
		assert_ok!(illegitimate(INSPECTOR, "S2"));
		assert_noop!(aggregate(MAKER_STAFF, 3, &[pack_epc("S2")]), Error::<Test>::Illegitimate);
		assert_ok!(decommission(MAKER_STAFF, "S3", DecommissionReason::Destroyed));
		assert_noop!(
			aggregate(MAKER_STAFF, 3, &[pack_epc("S3")]),
			Error::<Test>::AlreadyDecommissioned
		);
		assert_ok!(aggregate(MAKER_STAFF, 4, &[pack_epc("S4")]));
		assert_ok!(suspect(MAKER_STAFF, "S4"));
		assert_noop!(aggregate(MAKER_STAFF, 3, &[case(4)]), Error::<Test>::ContainsSuspect);
	});
}

#[test]
fn a_container_holds_packs_of_at_most_max_batches_batches() {
	new_test_ext().execute_with(|| {
		for (i, lot) in ["L0", "L1", "L2", "L3", "L4"].iter().enumerate() {
			assert_ok!(commission_lot(lot, EXPIRY, &[&format!("S{i}")]));
		}
		assert_ok!(aggregate(
			MAKER_STAFF,
			1,
			&[pack_epc("S0"), pack_epc("S1"), pack_epc("S2"), pack_epc("S3")]
		));
		assert_noop!(aggregate(MAKER_STAFF, 1, &[pack_epc("S4")]), Error::<Test>::TooManyBatches);
		// Through a child container too.
		assert_ok!(aggregate(MAKER_STAFF, 2, &[pack_epc("S4")]));
		assert_noop!(aggregate(MAKER_STAFF, 1, &[case(2)]), Error::<Test>::TooManyBatches);
	});
}

#[test]
fn a_container_holds_at_most_max_children_items() {
	new_test_ext().execute_with(|| {
		let many: Vec<String> = (0..1_001).map(|i| format!("P{i}")).collect();
		let texts: Vec<&str> = many.iter().map(String::as_str).collect();
		commission_a(&texts[..1_000]);
		commission_a(&texts[1_000..]);
		let children: Vec<Epc> = texts.iter().map(|text| pack_epc(text)).collect();
		assert_ok!(aggregate(MAKER_STAFF, 1, &children[..1_000]));
		assert_eq!(container_of(1).children, 1_000);
		assert_noop!(aggregate(MAKER_STAFF, 1, &children[1_000..]), Error::<Test>::ContainerFull);
	});
}

// ---------------------------------------------------------------------------------------------
// disaggregate
// ---------------------------------------------------------------------------------------------

#[test]
fn items_are_taken_out_of_a_container_and_its_counts_follow() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1", "S2"]);
		assert_ok!(commission_lot("LOT-B", EXPIRY, &["S3"]));
		assert_ok!(aggregate(MAKER_STAFF, 1, &[pack_epc("S1"), pack_epc("S2")]));
		assert_ok!(aggregate(MAKER_STAFF, 2, &[case(1), pack_epc("S3")]));
		assert_eq!(container_of(2).batches.to_vec(), vec![(0, 2), (1, 1)]);

		let event_id = next_event();
		assert_ok!(disaggregate(MAKER_STAFF, 2, &[pack_epc("S3")]));
		let expected = epcis(
			event_id,
			MAKER,
			BizStep::Unpacking,
			Disposition::ContainerOpen,
			EpcisAction::Delete,
		);
		assert_eq!(pack_of("S3").position, Position::Held(MAKER));
		assert_eq!(
			last_entry(&pack_epc("S3")),
			HistoryEntry {
				epcis: expected.clone(),
				detail: EventDetail::Parent { parent: sscc(2), parent_seq: 1 },
			}
		);
		assert_eq!(
			last_entry(&case(2)),
			HistoryEntry { epcis: expected.clone(), detail: EventDetail::Children { count: 1 } }
		);
		let pallet = container_of(2);
		assert_eq!(pallet.children, 1);
		assert_eq!(pallet.batches.to_vec(), vec![(0, 2)], "the batch of S3 is gone");
		assert_eq!(pallet.height, 3);
		System::assert_last_event(
			Event::Disaggregated {
				parent: sscc(2),
				children: epcs(&[pack_epc("S3")]),
				who: MAKER_STAFF,
				epcis: expected,
			}
			.into(),
		);

		// Emptied: one level again, nothing counted.
		assert_ok!(disaggregate(MAKER_STAFF, 2, &[case(1)]));
		let pallet = container_of(2);
		assert_eq!((pallet.children, pallet.height, pallet.batches.len()), (0, 1, 0));
		assert_eq!(container_of(1).position, Position::Held(MAKER));
		assert_eq!(custody("S1"), Some(Custody::Held(MAKER)));
		assert_eq!(SupplyChain::verify(&pack("S1")).container, Some(sscc(1)));
	});
}

#[test]
fn disaggregate_errors() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1", "S2"]);
		assert_ok!(aggregate(MAKER_STAFF, 1, &[pack_epc("S1")]));
		let mut bad_sscc = sscc(1);
		bad_sscc[0] = b'x';
		assert_noop!(disaggregate(STRANGER, 1, &[pack_epc("S1")]), Error::<Test>::NotMember);
		assert_noop!(
			SupplyChain::disaggregate(
				RuntimeOrigin::signed(MAKER_STAFF),
				bad_sscc,
				epcs(&[pack_epc("S1")])
			),
			Error::<Test>::InvalidSscc
		);
		assert_noop!(disaggregate(MAKER_STAFF, 1, &[]), Error::<Test>::NoItems);
		assert_noop!(
			disaggregate(MAKER_STAFF, 9, &[pack_epc("S1")]),
			Error::<Test>::UnknownContainer
		);
		assert_noop!(
			disaggregate(WHOLESALE_STAFF, 1, &[pack_epc("S1")]),
			Error::<Test>::NotCustodian
		);
		assert_noop!(
			disaggregate(MAKER_STAFF, 1, &[pack_epc("S2")]),
			Error::<Test>::NotInContainer
		);
		assert_noop!(
			disaggregate(MAKER_STAFF, 1, &[pack_epc("S1"), pack_epc("S1")]),
			Error::<Test>::NotInContainer
		);
		assert_noop!(disaggregate(MAKER_STAFF, 1, &[pack_epc("NO")]), Error::<Test>::UnknownPack);
		assert_ok!(aggregate(MAKER_STAFF, 2, &[case(1)]));
		assert_noop!(
			disaggregate(MAKER_STAFF, 1, &[pack_epc("S1")]),
			Error::<Test>::InsideContainer
		);
		ship(MAKER_STAFF, WHOLESALER, &[case(2)]);
		assert_noop!(disaggregate(MAKER_STAFF, 2, &[case(1)]), Error::<Test>::ItemInTransit);
	});
}

// ---------------------------------------------------------------------------------------------
// ship, receive, reject
// ---------------------------------------------------------------------------------------------

#[test]
fn a_seller_ships_and_the_buyer_receives() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1", "S2", "S3"]);
		assert_ok!(aggregate(MAKER_STAFF, 1, &[pack_epc("S2"), pack_epc("S3")]));
		let event_id = next_event();
		let shipment = ship(MAKER_STAFF, WHOLESALER, &[pack_epc("S1"), case(1)]);
		let shipped =
			epcis(event_id, MAKER, BizStep::Shipping, Disposition::InTransit, EpcisAction::Observe);
		let detail =
			EventDetail::Shipment { shipment, seller: MAKER, buyer: WHOLESALER, transaction: tx() };
		let stored = Shipments::<Test>::get(shipment).unwrap();
		assert_eq!((stored.seller, stored.buyer, stored.transaction), (MAKER, WHOLESALER, tx()));
		assert_eq!(stored.items.to_vec(), vec![pack_epc("S1"), case(1)]);
		assert_eq!(stored.event, event_id);
		assert_eq!(stored.kind, ShipmentKind::Sale);
		assert_eq!(pack_of("S1").position, Position::InTransit(shipment));
		assert_eq!(container_of(1).position, Position::InTransit(shipment));
		assert_eq!(pack_of("S2").position, Position::Inside(sscc(1)), "no write per pack inside");
		for text in ["S1", "S2", "S3"] {
			assert_eq!(status(text), PackStatus::InTransit);
			assert_eq!(
				custody(text),
				Some(Custody::InTransit { shipment, seller: MAKER, buyer: WHOLESALER })
			);
		}
		assert_eq!(
			last_entry(&case(1)),
			HistoryEntry { epcis: shipped.clone(), detail: detail.clone() }
		);
		System::assert_last_event(
			Event::Shipped {
				shipment,
				seller: MAKER,
				buyer: WHOLESALER,
				items: epcs(&[pack_epc("S1"), case(1)]),
				transaction: tx(),
				kind: ShipmentKind::Sale,
				who: MAKER_STAFF,
				epcis: shipped,
			}
			.into(),
		);

		let event_id = next_event();
		assert_ok!(SupplyChain::receive(RuntimeOrigin::signed(WHOLESALE_STAFF), shipment));
		let received = epcis(
			event_id,
			WHOLESALER,
			BizStep::Receiving,
			Disposition::Active,
			EpcisAction::Observe,
		);
		assert!(Shipments::<Test>::get(shipment).is_none());
		for text in ["S1", "S2", "S3"] {
			assert_eq!(status(text), PackStatus::Active);
			assert_eq!(custody(text), Some(Custody::Held(WHOLESALER)));
		}
		assert_eq!(last_entry(&pack_epc("S1")), HistoryEntry { epcis: received.clone(), detail });
		System::assert_last_event(
			Event::Received {
				shipment,
				seller: MAKER,
				buyer: WHOLESALER,
				items: epcs(&[pack_epc("S1"), case(1)]),
				transaction: tx(),
				who: WHOLESALE_STAFF,
				epcis: received,
			}
			.into(),
		);
		// The buyer now ships onwards; the maker no longer can.
		assert_noop!(
			try_ship(MAKER_STAFF, PHARMACY, &[pack_epc("S1")]),
			Error::<Test>::NotCustodian
		);
		ship(WHOLESALE_STAFF, PHARMACY, &[pack_epc("S1")]);
	});
}

#[test]
fn ship_errors() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1", "S2", "S3", "S4"]);
		assert_noop!(try_ship(STRANGER, WHOLESALER, &[pack_epc("S1")]), Error::<Test>::NotMember);
		assert_noop!(
			SupplyChain::ship(
				RuntimeOrigin::signed(MAKER_STAFF),
				WHOLESALER,
				epcs(&[pack_epc("S1")]),
				H256::zero()
			),
			Error::<Test>::MissingTransactionInfo
		);
		assert_noop!(try_ship(MAKER_STAFF, WHOLESALER, &[]), Error::<Test>::NoItems);
		assert_noop!(try_ship(MAKER_STAFF, MAKER, &[pack_epc("S1")]), Error::<Test>::ShipToSelf);
		assert_noop!(
			try_ship(MAKER_STAFF, 99, &[pack_epc("S1")]),
			Error::<Test>::UnknownOrganisation
		);
		assert_noop!(
			try_ship(MAKER_STAFF, WHOLESALER, &[pack_epc("S1"), pack_epc("S1")]),
			Error::<Test>::DuplicateItem
		);
		assert_noop!(
			try_ship(MAKER_STAFF, WHOLESALER, &[pack_epc("S1"), pack_epc("NO")]),
			Error::<Test>::UnknownPack
		);
		assert_noop!(
			try_ship(MAKER_STAFF, WHOLESALER, &[case(5)]),
			Error::<Test>::UnknownContainer
		);
		assert_noop!(
			try_ship(WHOLESALE_STAFF, PHARMACY, &[pack_epc("S1")]),
			Error::<Test>::NotCustodian
		);
		assert_ok!(aggregate(MAKER_STAFF, 1, &[pack_epc("S2")]));
		assert_noop!(
			try_ship(MAKER_STAFF, WHOLESALER, &[pack_epc("S2")]),
			Error::<Test>::InsideContainer
		);
		ship(MAKER_STAFF, WHOLESALER, &[pack_epc("S1"), case(1)]);
		// Items in transit cannot be shipped again, alone or inside their container.
		assert_noop!(
			try_ship(MAKER_STAFF, PHARMACY, &[pack_epc("S1")]),
			Error::<Test>::ItemInTransit
		);
		assert_noop!(try_ship(MAKER_STAFF, PHARMACY, &[case(1)]), Error::<Test>::ItemInTransit);
		assert_noop!(
			try_ship(MAKER_STAFF, PHARMACY, &[pack_epc("S2")]),
			Error::<Test>::InsideContainer
		);
		// Packs out of the supply chain or quarantined do not move.
		assert_ok!(suspect(MAKER_STAFF, "S3"));
		assert_noop!(try_ship(MAKER_STAFF, WHOLESALER, &[pack_epc("S3")]), Error::<Test>::Suspect);
		assert_ok!(illegitimate(INSPECTOR, "S3"));
		assert_noop!(
			try_ship(MAKER_STAFF, WHOLESALER, &[pack_epc("S3")]),
			Error::<Test>::Illegitimate
		);
		assert_ok!(decommission(MAKER_STAFF, "S4", DecommissionReason::Sample));
		assert_noop!(
			try_ship(MAKER_STAFF, WHOLESALER, &[pack_epc("S4")]),
			Error::<Test>::AlreadyDecommissioned
		);
	});
}

#[test]
fn containers_with_quarantined_expired_or_recalled_packs_are_not_shipped() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1", "S2"]);
		assert_ok!(commission_lot("LOT-S", *b"240100", &["E1"]));
		assert_ok!(aggregate(MAKER_STAFF, 1, &[pack_epc("S1")]));
		assert_ok!(aggregate(MAKER_STAFF, 2, &[case(1)]));
		assert_ok!(suspect(MAKER_STAFF, "S1"));
		assert_eq!((container_of(1).quarantined, container_of(2).quarantined), (1, 1));
		assert_noop!(try_ship(MAKER_STAFF, WHOLESALER, &[case(2)]), Error::<Test>::ContainsSuspect);
		assert_ok!(clear(INSPECTOR, "S1"));
		assert_eq!((container_of(1).quarantined, container_of(2).quarantined), (0, 0));

		// A short-dated pack in the pallet: fine until it expires.
		assert_ok!(aggregate(MAKER_STAFF, 2, &[pack_epc("E1")]));
		set_now(1_706_745_600_000); // 2024-02-01T00:00Z: lot LOT-S expired at the end of January.
		assert_eq!(status("E1"), PackStatus::Expired);
		assert_noop!(try_ship(MAKER_STAFF, WHOLESALER, &[case(2)]), Error::<Test>::Expired);
		// Taking the expired pack out lets the pallet go: the counts are exact.
		assert_ok!(disaggregate(MAKER_STAFF, 2, &[pack_epc("E1")]));
		assert_noop!(try_ship(MAKER_STAFF, WHOLESALER, &[pack_epc("E1")]), Error::<Test>::Expired);
		assert_ok!(recall_a(MAKER_STAFF));
		assert_noop!(try_ship(MAKER_STAFF, WHOLESALER, &[case(2)]), Error::<Test>::Recalled);
		assert_noop!(try_ship(MAKER_STAFF, WHOLESALER, &[pack_epc("S2")]), Error::<Test>::Recalled);
	});
}

fn try_return(who: u64, to: u32, items: &[Epc]) -> DispatchResult {
	SupplyChain::ship_return(RuntimeOrigin::signed(who), to, epcs(items), tx())
}

#[test]
fn recalled_and_expired_stock_goes_back_up_the_supply_chain() {
	new_test_ext().execute_with(|| {
		at_pharmacy(&["S1", "S2", "S3"]);
		assert_ok!(SupplyChain::aggregate(
			RuntimeOrigin::signed(PHARMACIST),
			sscc_of(PHARMACY, 1),
			epcs(&[pack_epc("S2"), pack_epc("S3")])
		));
		let tote = Epc::Sscc(sscc_of(PHARMACY, 1));
		assert_ok!(recall_a(MAKER_STAFF));
		// Recalled stock is not sold on, but goes back as a return.
		assert_noop!(try_ship(PHARMACIST, WHOLESALER, &[pack_epc("S1")]), Error::<Test>::Recalled);
		let event_id = next_event();
		let shipment = crate::NextShipmentId::<Test>::get();
		assert_ok!(try_return(PHARMACIST, WHOLESALER, &[pack_epc("S1"), tote.clone()]));
		let returned = epcis(
			event_id,
			PHARMACY,
			BizStep::Shipping,
			Disposition::Returned,
			EpcisAction::Observe,
		);
		assert_eq!(Shipments::<Test>::get(shipment).map(|s| s.kind), Some(ShipmentKind::Return));
		assert_eq!(last_entry(&pack_epc("S1")).epcis, returned);
		System::assert_last_event(
			Event::Shipped {
				shipment,
				seller: PHARMACY,
				buyer: WHOLESALER,
				items: epcs(&[pack_epc("S1"), tote.clone()]),
				transaction: tx(),
				kind: ShipmentKind::Return,
				who: PHARMACIST,
				epcis: returned,
			}
			.into(),
		);
		// The wholesaler takes it in: recalled goods are what a return carries. Its log says
		// it was taken back, not refused (`returned`).
		let event_id = next_event();
		assert_ok!(SupplyChain::receive(RuntimeOrigin::signed(WHOLESALE_STAFF), shipment));
		assert_eq!(
			last_entry(&pack_epc("S1")).epcis,
			epcis(
				event_id,
				WHOLESALER,
				BizStep::Receiving,
				Disposition::NonSellableOther,
				EpcisAction::Observe
			)
		);
		for text in ["S1", "S2", "S3"] {
			assert_eq!(custody(text), Some(Custody::Held(WHOLESALER)));
			assert_eq!(status(text), PackStatus::Recalled);
		}
		// It still cannot be sold on, only returned again, further up: to the maker.
		assert_noop!(
			try_ship(WHOLESALE_STAFF, PHARMACY, &[pack_epc("S1")]),
			Error::<Test>::Recalled
		);
		for down_or_sideways in [PHARMACY, NO_GLN_ORG] {
			assert_noop!(
				try_return(WHOLESALE_STAFF, down_or_sideways, &[pack_epc("S1")]),
				Error::<Test>::NotAReturnDestination
			);
		}
		let back_to_maker = crate::NextShipmentId::<Test>::get();
		assert_ok!(try_return(WHOLESALE_STAFF, MAKER, &[pack_epc("S1")]));
		assert_ok!(SupplyChain::receive(RuntimeOrigin::signed(MAKER_STAFF), back_to_maker));
		assert_eq!(custody("S1"), Some(Custody::Held(MAKER)));
		assert_ok!(decommission(MAKER_STAFF, "S1", DecommissionReason::Destroyed));

		// Expired stock goes back the same way, here to a regulator for destruction.
		assert_ok!(commission_lot("LOT-S", *b"240100", &["E1"]));
		set_now(1_706_745_600_000); // 2024-02-01T00:00Z: lot LOT-S expired at the end of January.
		assert_noop!(try_ship(MAKER_STAFF, REGULATOR, &[pack_epc("E1")]), Error::<Test>::Expired);
		// Not down to a wholesaler, though.
		assert_noop!(
			try_return(MAKER_STAFF, WHOLESALER, &[pack_epc("E1")]),
			Error::<Test>::NotAReturnDestination
		);
		let to_regulator = crate::NextShipmentId::<Test>::get();
		assert_ok!(try_return(MAKER_STAFF, REGULATOR, &[pack_epc("E1")]));
		assert_ok!(SupplyChain::receive(RuntimeOrigin::signed(INSPECTOR), to_regulator));
		assert_eq!(custody("E1"), Some(Custody::Held(REGULATOR)));
		assert_eq!(status("E1"), PackStatus::Expired);
	});
}

#[test]
fn a_refused_return_is_the_senders_again_and_still_not_for_sale() {
	new_test_ext().execute_with(|| {
		at_pharmacy(&["S1"]);
		assert_ok!(recall_a(MAKER_STAFF));
		let shipment = crate::NextShipmentId::<Test>::get();
		assert_ok!(try_return(PHARMACIST, WHOLESALER, &[pack_epc("S1")]));
		assert_ok!(SupplyChain::reject(RuntimeOrigin::signed(WHOLESALE_STAFF), shipment));
		assert_eq!(custody("S1"), Some(Custody::Held(PHARMACY)));
		assert_eq!(last_entry(&pack_epc("S1")).epcis.disposition, Disposition::Returned);
		assert_noop!(dispense(PHARMACIST, "S1"), Error::<Test>::Recalled);
		assert_noop!(try_ship(PHARMACIST, WHOLESALER, &[pack_epc("S1")]), Error::<Test>::Recalled);
		// The pharmacy sends it to the maker instead.
		assert_ok!(try_return(PHARMACIST, MAKER, &[pack_epc("S1")]));
	});
}

#[test]
fn ship_return_errors() {
	new_test_ext().execute_with(|| {
		at_pharmacy(&["S1", "S2", "S3", "S4"]);
		// Returns go up the supply chain only: not to another dispenser.
		for to in [HOSPITAL, CLINIC] {
			assert_noop!(
				try_return(PHARMACIST, to, &[pack_epc("S1")]),
				Error::<Test>::NotAReturnDestination
			);
		}
		assert_noop!(
			try_return(PHARMACIST, 99, &[pack_epc("S1")]),
			Error::<Test>::UnknownOrganisation
		);
		assert_noop!(try_return(STRANGER, WHOLESALER, &[pack_epc("S1")]), Error::<Test>::NotMember);
		assert_noop!(
			SupplyChain::ship_return(
				RuntimeOrigin::signed(PHARMACIST),
				WHOLESALER,
				epcs(&[pack_epc("S1")]),
				H256::zero()
			),
			Error::<Test>::MissingTransactionInfo
		);
		assert_noop!(try_return(PHARMACIST, WHOLESALER, &[]), Error::<Test>::NoItems);
		assert_noop!(
			try_return(INSPECTOR, REGULATOR, &[pack_epc("S1")]),
			Error::<Test>::ShipToSelf
		);
		assert_noop!(
			try_return(WHOLESALE_STAFF, MAKER, &[pack_epc("S1")]),
			Error::<Test>::NotCustodian
		);
		// Quarantined or spent packs stay where they are.
		assert_ok!(suspect(PHARMACIST, "S2"));
		assert_noop!(try_return(PHARMACIST, WHOLESALER, &[pack_epc("S2")]), Error::<Test>::Suspect);
		assert_ok!(SupplyChain::aggregate(
			RuntimeOrigin::signed(PHARMACIST),
			sscc_of(PHARMACY, 1),
			epcs(&[pack_epc("S3")])
		));
		assert_ok!(suspect(PHARMACIST, "S3"));
		assert_noop!(
			try_return(PHARMACIST, WHOLESALER, &[Epc::Sscc(sscc_of(PHARMACY, 1))]),
			Error::<Test>::ContainsSuspect
		);
		assert_ok!(dispense(PHARMACIST, "S4"));
		assert_noop!(
			try_return(PHARMACIST, WHOLESALER, &[pack_epc("S4")]),
			Error::<Test>::AlreadyDecommissioned
		);
		// A return quarantined in transit is not received.
		let shipment = crate::NextShipmentId::<Test>::get();
		assert_ok!(try_return(PHARMACIST, WHOLESALER, &[pack_epc("S1")]));
		assert_ok!(suspect(INSPECTOR, "S1"));
		assert_noop!(
			SupplyChain::receive(RuntimeOrigin::signed(WHOLESALE_STAFF), shipment),
			Error::<Test>::Suspect
		);
	});
}

#[test]
fn receive_errors() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1", "S2"]);
		assert_ok!(commission_lot("LOT-S", *b"240100", &["E1"]));
		let receive = |who, shipment| SupplyChain::receive(RuntimeOrigin::signed(who), shipment);
		assert_noop!(receive(WHOLESALE_STAFF, 0), Error::<Test>::UnknownShipment);
		let shipment = ship(MAKER_STAFF, WHOLESALER, &[pack_epc("S1")]);
		assert_noop!(receive(STRANGER, shipment), Error::<Test>::NotMember);
		assert_noop!(receive(PHARMACIST, shipment), Error::<Test>::NotBuyer);
		assert_noop!(receive(MAKER_STAFF, shipment), Error::<Test>::NotBuyer);
		// A regulator quarantines a pack in transit: it cannot be received.
		assert_ok!(suspect(INSPECTOR, "S1"));
		assert_noop!(receive(WHOLESALE_STAFF, shipment), Error::<Test>::Suspect);
		assert_ok!(clear(INSPECTOR, "S1"));
		assert_ok!(receive(WHOLESALE_STAFF, shipment));
		assert_noop!(receive(WHOLESALE_STAFF, shipment), Error::<Test>::UnknownShipment);

		// Packed and quarantined inside a container in transit.
		assert_ok!(aggregate(MAKER_STAFF, 1, &[pack_epc("S2")]));
		let shipment = ship(MAKER_STAFF, WHOLESALER, &[case(1), pack_epc("E1")]);
		assert_ok!(suspect(INSPECTOR, "S2"));
		assert_noop!(receive(WHOLESALE_STAFF, shipment), Error::<Test>::ContainsSuspect);
		assert_ok!(clear(INSPECTOR, "S2"));
		// Expired in transit.
		set_now(1_706_745_600_000);
		assert_noop!(receive(WHOLESALE_STAFF, shipment), Error::<Test>::Expired);
	});
}

#[test]
fn the_buyer_rejects_and_the_seller_holds_the_goods_again() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1", "S2"]);
		assert_ok!(aggregate(MAKER_STAFF, 1, &[pack_epc("S2")]));
		let shipment = ship(MAKER_STAFF, WHOLESALER, &[pack_epc("S1"), case(1)]);
		let reject = |who, shipment| SupplyChain::reject(RuntimeOrigin::signed(who), shipment);
		assert_noop!(reject(STRANGER, shipment), Error::<Test>::NotMember);
		assert_noop!(reject(PHARMACIST, shipment), Error::<Test>::NotBuyer);
		assert_noop!(reject(WHOLESALE_STAFF, shipment + 1), Error::<Test>::UnknownShipment);

		// Recalled while in transit: cannot be received, can be refused.
		assert_ok!(recall_a(MAKER_STAFF));
		assert_noop!(
			SupplyChain::receive(RuntimeOrigin::signed(WHOLESALE_STAFF), shipment),
			Error::<Test>::Recalled
		);
		let event_id = next_event();
		assert_ok!(reject(WHOLESALE_STAFF, shipment));
		let returned = epcis(
			event_id,
			WHOLESALER,
			BizStep::Receiving,
			Disposition::Returned,
			EpcisAction::Observe,
		);
		assert!(Shipments::<Test>::get(shipment).is_none());
		assert_eq!(pack_of("S1").position, Position::Held(MAKER));
		assert_eq!(container_of(1).position, Position::Held(MAKER));
		assert_eq!(custody("S2"), Some(Custody::Held(MAKER)));
		assert_eq!(
			last_entry(&pack_epc("S1")),
			HistoryEntry {
				epcis: returned.clone(),
				detail: EventDetail::Shipment {
					shipment,
					seller: MAKER,
					buyer: WHOLESALER,
					transaction: tx(),
				},
			}
		);
		System::assert_last_event(
			Event::Rejected {
				shipment,
				seller: MAKER,
				buyer: WHOLESALER,
				items: epcs(&[pack_epc("S1"), case(1)]),
				transaction: tx(),
				who: WHOLESALE_STAFF,
				epcis: returned,
			}
			.into(),
		);
		assert_noop!(reject(WHOLESALE_STAFF, shipment), Error::<Test>::UnknownShipment);
		// The maker destroys the recalled packs.
		assert_ok!(decommission(MAKER_STAFF, "S1", DecommissionReason::Destroyed));
	});
}

fn cancel(who: u64, shipment: ShipmentId) -> frame_support::dispatch::DispatchResultWithPostInfo {
	SupplyChain::cancel_shipment(RuntimeOrigin::signed(who), shipment)
}

#[test]
fn the_seller_takes_back_a_shipment_the_buyer_left_overdue() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1", "S2"]);
		assert_ok!(aggregate(MAKER_STAFF, 1, &[pack_epc("S2")]));
		let shipment = ship(MAKER_STAFF, WHOLESALER, &[pack_epc("S1"), case(1)]);
		// Until the timeout the buyer may still receive or reject: the seller cannot cancel.
		set_now(START + SHIPMENT_TIMEOUT - 1);
		assert_noop!(cancel(MAKER_STAFF, shipment), Error::<Test>::ShipmentNotOverdue);

		set_now(START + SHIPMENT_TIMEOUT);
		let event_id = next_event();
		assert_ok!(cancel(MAKER_STAFF, shipment));
		let voided = epcis(
			event_id,
			MAKER,
			BizStep::VoidShipping,
			Disposition::Returned,
			EpcisAction::Observe,
		);
		assert!(Shipments::<Test>::get(shipment).is_none());
		assert_eq!(pack_of("S1").position, Position::Held(MAKER));
		assert_eq!(container_of(1).position, Position::Held(MAKER));
		assert_eq!(custody("S2"), Some(Custody::Held(MAKER)));
		let entry = HistoryEntry {
			epcis: voided.clone(),
			detail: EventDetail::Shipment {
				shipment,
				seller: MAKER,
				buyer: WHOLESALER,
				transaction: tx(),
			},
		};
		assert_eq!(last_entry(&pack_epc("S1")), entry);
		assert_eq!(last_entry(&case(1)), entry);
		System::assert_last_event(
			Event::ShipmentCancelled {
				shipment,
				seller: MAKER,
				buyer: WHOLESALER,
				items: epcs(&[pack_epc("S1"), case(1)]),
				transaction: tx(),
				reason: CancelReason::Overdue,
				who: MAKER_STAFF,
				epcis: voided,
			}
			.into(),
		);
		// The shipment is closed for the buyer too.
		assert_noop!(
			SupplyChain::receive(RuntimeOrigin::signed(WHOLESALE_STAFF), shipment),
			Error::<Test>::UnknownShipment
		);
		// Lost in transit: the seller, custodian again, records the packs as stolen.
		assert_ok!(decommission(MAKER_STAFF, "S1", DecommissionReason::Stolen));
		assert_eq!(status("S1"), PackStatus::Decommissioned(DecommissionReason::Stolen));
	});
}

#[test]
fn the_seller_cancels_at_once_when_the_buyer_left_the_consortium() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1"]);
		let shipment = ship(MAKER_STAFF, WHOLESALER, &[pack_epc("S1")]);
		assert_noop!(cancel(MAKER_STAFF, shipment), Error::<Test>::ShipmentNotOverdue);
		MockOrganisations::deregister(WHOLESALER);
		assert_ok!(cancel(MAKER_STAFF, shipment));
		assert_eq!(pack_of("S1").position, Position::Held(MAKER));
		assert!(matches!(
			System::events().last().map(|record| record.event.clone()),
			Some(RuntimeEvent::SupplyChain(Event::ShipmentCancelled {
				reason: CancelReason::BuyerLeft,
				..
			}))
		));
		// The goods can go to another buyer.
		assert_ok!(try_ship(MAKER_STAFF, PHARMACY, &[pack_epc("S1")]));
	});
}

#[test]
fn cancel_shipment_errors() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1"]);
		let shipment = ship(MAKER_STAFF, WHOLESALER, &[pack_epc("S1")]);
		set_now(START + SHIPMENT_TIMEOUT);
		assert_noop!(cancel(MAKER_STAFF, shipment + 1), Error::<Test>::UnknownShipment);
		assert_noop!(cancel(STRANGER, shipment), Error::<Test>::NotMember);
		// Neither the buyer nor a third party may cancel: only the seller.
		assert_noop!(cancel(WHOLESALE_STAFF, shipment), Error::<Test>::NotSeller);
		assert_noop!(cancel(OTHER_MAKER_STAFF, shipment), Error::<Test>::NotSeller);
		// Once received, there is nothing left to cancel.
		assert_ok!(SupplyChain::receive(RuntimeOrigin::signed(WHOLESALE_STAFF), shipment));
		assert_noop!(cancel(MAKER_STAFF, shipment), Error::<Test>::UnknownShipment);
	});
}

#[test]
fn cancelling_is_charged_for_the_items_it_moves() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1", "S2"]);
		let shipment = ship(MAKER_STAFF, WHOLESALER, &[pack_epc("S1"), pack_epc("S2")]);
		set_now(START + SHIPMENT_TIMEOUT);
		let info = cancel(MAKER_STAFF, shipment).expect("overdue");
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::cancel_shipment(2)));
	});
}

#[test]
fn an_organisation_without_a_gln_acts_with_no_location() {
	new_test_ext().execute_with(|| {
		MockOrganisations::add_member(NO_GLN_ORG, STRANGER, &[]);
		commission_a(&["S1"]);
		deliver(MAKER_STAFF, NO_GLN_ORG, STRANGER, &[pack_epc("S1")]);
		let entry = last_entry(&pack_epc("S1"));
		assert_eq!((entry.epcis.org, entry.epcis.location), (NO_GLN_ORG, None));
	});
}

// ---------------------------------------------------------------------------------------------
// take_over
// ---------------------------------------------------------------------------------------------

fn take_over(who: u64, from: u32, items: &[Epc]) -> DispatchResult {
	SupplyChain::take_over(RuntimeOrigin::signed(who), from, epcs(items))
}

#[test]
fn a_regulator_takes_over_the_goods_of_an_organisation_that_left() {
	new_test_ext().execute_with(|| {
		at_pharmacy(&["S1", "S2", "S3", "S4", "S5"]);
		let tote = sscc_of(PHARMACY, 1);
		assert_ok!(aggregate_into(PHARMACIST, tote, &[pack_epc("S2"), pack_epc("S3")]));
		assert_ok!(dispense(PHARMACIST, "S4"));
		assert_ok!(suspect(PHARMACIST, "S5"));
		commission_a(&["S6"]);
		deliver(MAKER_STAFF, WHOLESALER, WHOLESALE_STAFF, &[pack_epc("S6")]);

		// While the pharmacy is registered, its own members act for its goods.
		assert_noop!(
			take_over(INSPECTOR, PHARMACY, &[pack_epc("S1")]),
			Error::<Test>::OrganisationStillRegistered
		);
		assert_noop!(take_over(STRANGER, PHARMACY, &[pack_epc("S1")]), Error::<Test>::NotMember);
		assert_noop!(
			take_over(PHARMACIST, PHARMACY, &[pack_epc("S1")]),
			Error::<Test>::NotRegulator
		);

		// The pharmacy closes.
		MockOrganisations::deregister(PHARMACY);
		assert_noop!(take_over(PHARMACIST, PHARMACY, &[pack_epc("S1")]), Error::<Test>::NotMember);
		assert_noop!(take_over(INSPECTOR, PHARMACY, &[]), Error::<Test>::NoItems);
		assert_noop!(
			take_over(INSPECTOR, PHARMACY, &[pack_epc("S1"), pack_epc("S1")]),
			Error::<Test>::DuplicateItem
		);
		assert_noop!(take_over(INSPECTOR, PHARMACY, &[pack_epc("NO")]), Error::<Test>::UnknownPack);
		assert_noop!(
			take_over(INSPECTOR, PHARMACY, &[pack_epc("S2")]),
			Error::<Test>::InsideContainer
		);
		assert_noop!(
			take_over(INSPECTOR, PHARMACY, &[pack_epc("S6")]),
			Error::<Test>::NotCustodian
		);
		assert_noop!(
			take_over(INSPECTOR, PHARMACY, &[pack_epc("S1"), pack_epc("S4")]),
			Error::<Test>::AlreadyDecommissioned
		);

		let event_id = next_event();
		let items = [pack_epc("S1"), Epc::Sscc(tote), pack_epc("S5")];
		assert_ok!(take_over(INSPECTOR, PHARMACY, &items));
		let taken = epcis(
			event_id,
			REGULATOR,
			BizStep::Receiving,
			Disposition::NonSellableOther,
			EpcisAction::Observe,
		);
		for epc in &items {
			assert_eq!(
				last_entry(epc),
				HistoryEntry {
					epcis: taken.clone(),
					detail: EventDetail::TakeOver { from: PHARMACY }
				}
			);
		}
		for text in ["S1", "S2", "S3", "S5"] {
			assert_eq!(custody(text), Some(Custody::Held(REGULATOR)));
		}
		// The suspect pack is still suspect: a take-over changes custody only.
		assert_eq!(status("S5"), PackStatus::Suspect);
		System::assert_last_event(
			Event::TakenOver {
				from: PHARMACY,
				regulator: REGULATOR,
				items: epcs(&items),
				who: INSPECTOR,
				epcis: taken,
			}
			.into(),
		);
		// Taken over once: the regulator now acts as custodian.
		assert_noop!(
			take_over(INSPECTOR, PHARMACY, &[pack_epc("S1")]),
			Error::<Test>::NotCustodian
		);
		assert_ok!(decommission(INSPECTOR, "S1", DecommissionReason::Destroyed));
		assert_ok!(SupplyChain::disaggregate(
			RuntimeOrigin::signed(INSPECTOR),
			tote,
			epcs(&[pack_epc("S2")])
		));
		// The dispensed pack needed no custodian: it is purged where it is.
		set_now(EXPIRES_AT + RETENTION);
		assert_ok!(SupplyChain::purge_pack(RuntimeOrigin::signed(STRANGER), pack("S4")));
	});
}

#[test]
fn goods_rejected_back_to_a_seller_that_left_are_taken_over() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1"]);
		let shipment = ship(MAKER_STAFF, WHOLESALER, &[pack_epc("S1")]);
		MockOrganisations::deregister(MAKER);
		assert_ok!(SupplyChain::reject(RuntimeOrigin::signed(WHOLESALE_STAFF), shipment));
		assert_eq!(custody("S1"), Some(Custody::Held(MAKER)));
		assert_ok!(take_over(INSPECTOR, MAKER, &[pack_epc("S1")]));
		assert_eq!(custody("S1"), Some(Custody::Held(REGULATOR)));
	});
}

#[test]
fn take_over_refuses_goods_in_transit_and_illegitimate_packs() {
	new_test_ext().execute_with(|| {
		at_pharmacy(&["S1", "S2"]);
		assert_ok!(suspect(PHARMACIST, "S1"));
		assert_ok!(illegitimate(INSPECTOR, "S1"));
		let shipment = ship(PHARMACIST, WHOLESALER, &[pack_epc("S2")]);
		MockOrganisations::deregister(PHARMACY);
		assert_noop!(
			take_over(INSPECTOR, PHARMACY, &[pack_epc("S1")]),
			Error::<Test>::Illegitimate
		);
		assert_noop!(
			take_over(INSPECTOR, PHARMACY, &[pack_epc("S2")]),
			Error::<Test>::ItemInTransit
		);
		// An id no organisation ever had holds nothing.
		assert_noop!(take_over(INSPECTOR, 99, &[pack_epc("S2")]), Error::<Test>::ItemInTransit);
		assert_noop!(take_over(INSPECTOR, 99, &[case(5)]), Error::<Test>::UnknownContainer);
		// The buyer receives the shipment from the pharmacy that left, as from anyone.
		assert_ok!(SupplyChain::receive(RuntimeOrigin::signed(WHOLESALE_STAFF), shipment));
	});
}

#[test]
fn a_container_whose_log_is_full_is_still_taken_over() {
	new_test_ext().execute_with(|| {
		let texts: Vec<String> = (0..40).map(|i| format!("S{i}")).collect();
		let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
		commission_a(&refs);
		let packs: Vec<Epc> = refs.iter().map(|text| pack_epc(text)).collect();
		assert_ok!(aggregate(MAKER_STAFF, 1, &packs));
		// Picked one pack at a time until the case's log is full, packs still inside.
		let most = SupplyChain::max_log_entries();
		let mut picked = 0;
		while container_of(1).history_len < most {
			assert_ok!(disaggregate(MAKER_STAFF, 1, core::slice::from_ref(&packs[picked])));
			picked += 1;
		}
		assert!(container_of(1).children > 0);
		MockOrganisations::deregister(MAKER);
		assert_ok!(take_over(INSPECTOR, MAKER, &[case(1)]));
		assert_eq!(container_of(1).position, Position::Held(REGULATOR));
		assert_eq!(container_of(1).history_len, most);
		assert_eq!(custody(refs[picked]), Some(Custody::Held(REGULATOR)));
		// The regulator unpacks what is left.
		assert_ok!(disaggregate(INSPECTOR, 1, &packs[picked..]));
		assert_eq!(container_of(1).children, 0);
	});
}

#[test]
fn a_regulator_cancels_a_shipment_whose_seller_left() {
	new_test_ext().execute_with(|| {
		at_pharmacy(&["S1"]);
		let shipment = ship(PHARMACIST, WHOLESALER, &[pack_epc("S1")]);
		let cancel = |who| SupplyChain::cancel_shipment(RuntimeOrigin::signed(who), shipment);
		// While the seller is registered, only it may cancel.
		set_now(START + SHIPMENT_TIMEOUT);
		assert_noop!(cancel(INSPECTOR), Error::<Test>::NotSeller);
		MockOrganisations::deregister(PHARMACY);
		assert_noop!(cancel(WHOLESALE_STAFF), Error::<Test>::NotSeller);
		set_now(START + SHIPMENT_TIMEOUT - 1);
		assert_noop!(cancel(INSPECTOR), Error::<Test>::ShipmentNotOverdue);
		set_now(START + SHIPMENT_TIMEOUT);
		assert_ok!(cancel(INSPECTOR));
		assert_eq!(custody("S1"), Some(Custody::Held(REGULATOR)));
		assert!(Shipments::<Test>::get(shipment).is_none());
	});
}

// ---------------------------------------------------------------------------------------------
// dispense, decommission, revert
// ---------------------------------------------------------------------------------------------

#[test]
fn a_pharmacist_dispenses_a_pack() {
	new_test_ext().execute_with(|| {
		at_pharmacy(&["S1"]);
		let event_id = next_event();
		assert_ok!(dispense(PHARMACIST, "S1"));
		let expected = epcis(
			event_id,
			PHARMACY,
			BizStep::Dispensing,
			Disposition::Dispensed,
			EpcisAction::Observe,
		);
		assert_eq!(state("S1"), PackState::Dispensed { by: PHARMACY, at: START });
		assert_eq!(status("S1"), PackStatus::Dispensed);
		assert_eq!(custody("S1"), Some(Custody::Held(PHARMACY)));
		assert_eq!(
			last_entry(&pack_epc("S1")),
			HistoryEntry { epcis: expected.clone(), detail: EventDetail::None }
		);
		System::assert_last_event(
			Event::Dispensed { sgtin: pack("S1"), who: PHARMACIST, epcis: expected }.into(),
		);
		assert_noop!(dispense(PHARMACIST, "S1"), Error::<Test>::AlreadyDecommissioned);
	});
}

#[test]
fn a_hospital_pharmacist_dispenses_too() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1"]);
		deliver(MAKER_STAFF, HOSPITAL, HOSPITAL_PHARMACIST, &[pack_epc("S1")]);
		assert_ok!(dispense(HOSPITAL_PHARMACIST, "S1"));
		assert_eq!(status("S1"), PackStatus::Dispensed);
	});
}

#[test]
fn dispense_errors() {
	new_test_ext().execute_with(|| {
		at_pharmacy(&["S1", "S2", "S3", "S4"]);
		assert_ok!(commission_lot("LOT-S", *b"240100", &["E1"]));
		deliver(MAKER_STAFF, PHARMACY, PHARMACIST, &[pack_epc("E1")]);
		commission_a(&["M1"]);
		MockOrganisations::add_member(WHOLESALER, 12, &[Role::Pharmacist]);

		assert_noop!(dispense(STRANGER, "S1"), Error::<Test>::NotMember);
		assert_noop!(dispense(PHARMACY_CLERK, "S1"), Error::<Test>::NotPharmacist);
		assert_noop!(dispense(CLINIC_PHARMACIST, "S1"), Error::<Test>::NotPharmacist);
		assert_noop!(dispense(12, "S1"), Error::<Test>::NotPharmacist);
		assert_noop!(dispense(PHARMACIST, "NO"), Error::<Test>::UnknownPack);
		assert_noop!(dispense(PHARMACIST, "S 1"), Error::<Test>::InvalidSerial);
		assert_noop!(
			SupplyChain::dispense(
				RuntimeOrigin::signed(PHARMACIST),
				Sgtin { gtin: *b"00000000000001", serial: serial("S1") }
			),
			Error::<Test>::InvalidGtin
		);
		assert_noop!(dispense(PHARMACIST, "M1"), Error::<Test>::NotCustodian);
		assert_noop!(dispense(HOSPITAL_PHARMACIST, "S1"), Error::<Test>::NotCustodian);
		assert_ok!(aggregate_into(PHARMACIST, sscc_of(PHARMACY, 1), &[pack_epc("S2")]));
		assert_noop!(dispense(PHARMACIST, "S2"), Error::<Test>::InsideContainer);
		ship(PHARMACIST, HOSPITAL, &[pack_epc("S3")]);
		assert_noop!(dispense(PHARMACIST, "S3"), Error::<Test>::ItemInTransit);
		assert_ok!(suspect(PHARMACIST, "S4"));
		assert_noop!(dispense(PHARMACIST, "S4"), Error::<Test>::Suspect);
		assert_ok!(illegitimate(INSPECTOR, "S4"));
		assert_noop!(dispense(PHARMACIST, "S4"), Error::<Test>::Illegitimate);
		set_now(1_706_745_600_000);
		assert_noop!(dispense(PHARMACIST, "E1"), Error::<Test>::Expired);
		assert_ok!(recall_a(INSPECTOR));
		assert_noop!(dispense(PHARMACIST, "S1"), Error::<Test>::Recalled);
	});
}

#[test]
fn a_custodian_decommissions_a_pack_for_a_reason() {
	new_test_ext().execute_with(|| {
		commission_a(&["D", "T", "S", "X", "I"]);
		for (text, reason, disposition) in [
			("D", DecommissionReason::Destroyed, Disposition::Destroyed),
			("T", DecommissionReason::Stolen, Disposition::Stolen),
			("S", DecommissionReason::Sample, Disposition::Inactive),
			("X", DecommissionReason::Exported, Disposition::Inactive),
			("I", DecommissionReason::SuppliedToInstitution, Disposition::Inactive),
		] {
			let event_id = next_event();
			assert_ok!(decommission(MAKER_STAFF, text, reason));
			let expected =
				epcis(event_id, MAKER, BizStep::Decommissioning, disposition, EpcisAction::Delete);
			assert_eq!(state(text), PackState::Decommissioned { reason, by: MAKER, at: START });
			assert_eq!(status(text), PackStatus::Decommissioned(reason));
			assert_eq!(
				last_entry(&pack_epc(text)),
				HistoryEntry { epcis: expected.clone(), detail: EventDetail::Decommission(reason) }
			);
			System::assert_last_event(
				Event::Decommissioned {
					sgtin: pack(text),
					reason,
					who: MAKER_STAFF,
					epcis: expected,
				}
				.into(),
			);
		}
	});
}

#[test]
fn decommission_errors() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1", "S2", "S3", "S4", "S5"]);
		let destroy = |who, text| decommission(who, text, DecommissionReason::Destroyed);
		assert_noop!(destroy(STRANGER, "S1"), Error::<Test>::NotMember);
		assert_noop!(destroy(MAKER_STAFF, "NO"), Error::<Test>::UnknownPack);
		assert_noop!(destroy(WHOLESALE_STAFF, "S1"), Error::<Test>::NotCustodian);
		assert_ok!(aggregate(MAKER_STAFF, 1, &[pack_epc("S2")]));
		assert_noop!(destroy(MAKER_STAFF, "S2"), Error::<Test>::InsideContainer);
		ship(MAKER_STAFF, WHOLESALER, &[pack_epc("S3")]);
		assert_noop!(destroy(MAKER_STAFF, "S3"), Error::<Test>::ItemInTransit);
		assert_ok!(suspect(MAKER_STAFF, "S4"));
		assert_noop!(destroy(MAKER_STAFF, "S4"), Error::<Test>::Suspect);
		assert_ok!(destroy(MAKER_STAFF, "S5"));
		assert_noop!(destroy(MAKER_STAFF, "S5"), Error::<Test>::AlreadyDecommissioned);
		// Recalled and expired packs can be destroyed.
		assert_ok!(recall_a(MAKER_STAFF));
		assert_ok!(destroy(MAKER_STAFF, "S1"));
	});
}

#[test]
fn a_dispensed_pack_is_reverted_within_ten_days_by_the_same_pharmacy() {
	new_test_ext().execute_with(|| {
		at_pharmacy(&["S1"]);
		assert_ok!(dispense(PHARMACIST, "S1"));
		set_now(START + REVERT_WINDOW - 1);
		let event_id = next_event();
		// Another pharmacist of the same pharmacy.
		assert_ok!(revert(OTHER_PHARMACIST, "S1"));
		let expected =
			epcis(event_id, PHARMACY, BizStep::Reverting, Disposition::Active, EpcisAction::Add);
		assert_eq!(state("S1"), PackState::Active);
		assert_eq!(status("S1"), PackStatus::Active);
		assert_eq!(
			last_entry(&pack_epc("S1")),
			HistoryEntry { epcis: expected.clone(), detail: EventDetail::None }
		);
		System::assert_last_event(
			Event::Reverted { sgtin: pack("S1"), who: OTHER_PHARMACIST, epcis: expected }.into(),
		);
		// Active again: it can be dispensed again.
		assert_ok!(dispense(PHARMACIST, "S1"));
	});
}

#[test]
fn a_sample_is_reverted_by_the_organisation_that_took_it() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1"]);
		assert_ok!(decommission(MAKER_STAFF, "S1", DecommissionReason::Sample));
		assert_ok!(revert(MAKER_STAFF, "S1"));
		assert_eq!(status("S1"), PackStatus::Active);
	});
}

#[test]
fn revert_errors() {
	new_test_ext().execute_with(|| {
		at_pharmacy(&["S1", "S2", "S3", "S4", "S5"]);
		assert_ok!(commission_lot("LOT-S", *b"240100", &["E1"]));
		deliver(MAKER_STAFF, PHARMACY, PHARMACIST, &[pack_epc("E1")]);
		assert_noop!(revert(STRANGER, "S1"), Error::<Test>::NotMember);
		assert_noop!(revert(PHARMACIST, "NO"), Error::<Test>::UnknownPack);
		assert_noop!(revert(PHARMACIST, "S1"), Error::<Test>::NotDecommissioned);
		assert_ok!(suspect(PHARMACIST, "S5"));
		assert_noop!(revert(PHARMACIST, "S5"), Error::<Test>::NotDecommissioned);

		assert_ok!(dispense(PHARMACIST, "S1"));
		assert_noop!(revert(HOSPITAL_PHARMACIST, "S1"), Error::<Test>::NotSameOrganisation);
		assert_noop!(revert(PHARMACY_CLERK, "S1"), Error::<Test>::NotPharmacist);

		// Stolen or destroyed packs never come back (FMD Art. 13).
		assert_ok!(decommission(PHARMACY_CLERK, "S2", DecommissionReason::Stolen));
		assert_noop!(revert(PHARMACY_CLERK, "S2"), Error::<Test>::CannotRevert);
		assert_ok!(decommission(PHARMACY_CLERK, "S3", DecommissionReason::Destroyed));
		assert_noop!(revert(PHARMACY_CLERK, "S3"), Error::<Test>::CannotRevert);

		// Ten days and no more.
		set_now(START + REVERT_WINDOW);
		assert_noop!(revert(PHARMACIST, "S1"), Error::<Test>::RevertWindowPassed);

		// Expired.
		set_now(1_706_745_600_000 - 5 * DAY);
		assert_ok!(dispense(PHARMACIST, "E1"));
		set_now(1_706_745_600_000);
		assert_noop!(revert(PHARMACIST, "E1"), Error::<Test>::Expired);

		// Recalled.
		assert_ok!(dispense(PHARMACIST, "S4"));
		assert_ok!(recall_a(MAKER_STAFF));
		assert_noop!(revert(PHARMACIST, "S4"), Error::<Test>::Recalled);
	});
}

// ---------------------------------------------------------------------------------------------
// recall
// ---------------------------------------------------------------------------------------------

#[test]
fn the_manufacturer_or_a_regulator_recalls_a_lot() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1"]);
		assert_ok!(commission_lot("LOT-B", EXPIRY, &["S2"]));
		let event_id = next_event();
		assert_ok!(recall_a(MAKER_STAFF));
		let expected =
			epcis(event_id, MAKER, BizStep::Recalling, Disposition::Recalled, EpcisAction::Observe);
		assert_eq!(
			Batches::<Test>::get(0).unwrap().recall,
			Some(crate::Recall { epcis: expected.clone() })
		);
		assert_eq!(status("S1"), PackStatus::Recalled);
		assert!(SupplyChain::verify(&pack("S1")).recalled);
		assert_eq!(status("S2"), PackStatus::Active, "another lot");
		System::assert_last_event(
			Event::Recalled {
				gtin: product(),
				lot: lot_a(),
				batch: 0,
				who: MAKER_STAFF,
				epcis: expected,
			}
			.into(),
		);
		assert_ok!(SupplyChain::recall(RuntimeOrigin::signed(INSPECTOR), product(), lot("LOT-B")));
		assert_eq!(status("S2"), PackStatus::Recalled);
	});
}

#[test]
fn recall_errors() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1"]);
		let recall = |who, gtin, lot: &str| {
			SupplyChain::recall(RuntimeOrigin::signed(who), gtin, crate::mock::lot(lot))
		};
		assert_noop!(recall(STRANGER, product(), "LOT-A"), Error::<Test>::NotMember);
		assert_noop!(recall(MAKER_STAFF, *b"10614141000018", "LOT-A"), Error::<Test>::InvalidGtin);
		assert_noop!(recall(MAKER_STAFF, product(), "LOT A"), Error::<Test>::InvalidLot);
		assert_noop!(recall(MAKER_STAFF, product(), "LOT-Z"), Error::<Test>::UnknownBatch);
		assert_noop!(
			recall(WHOLESALE_STAFF, product(), "LOT-A"),
			Error::<Test>::NotRecallAuthority
		);
		assert_noop!(
			recall(OTHER_MAKER_STAFF, product(), "LOT-A"),
			Error::<Test>::NotRecallAuthority
		);
		assert_noop!(recall(PHARMACIST, product(), "LOT-A"), Error::<Test>::NotRecallAuthority);
		assert_ok!(recall(MAKER_STAFF, product(), "LOT-A"));
		assert_noop!(recall(INSPECTOR, product(), "LOT-A"), Error::<Test>::AlreadyRecalled);
	});
}

/// A recall reaches every pack of the lot, wherever it is and whatever holds it, with one
/// write: packs held by the maker, packed in a case in a pallet at the wholesaler, in transit
/// alone and inside a container, and on a pharmacy's shelf.
#[test]
fn a_recall_blocks_every_pack_of_the_lot_whatever_its_aggregation_or_custody() {
	new_test_ext().execute_with(|| {
		let texts = ["HOME", "CASE1", "CASE2", "LOOSE", "BOXED", "SHELF"];
		commission_a(&texts);
		assert_ok!(commission_lot("LOT-B", EXPIRY, &["OTHER"]));
		// CASE1, CASE2 in case 1 in pallet 10, at the wholesaler.
		assert_ok!(aggregate(MAKER_STAFF, 1, &[pack_epc("CASE1"), pack_epc("CASE2")]));
		assert_ok!(aggregate(MAKER_STAFF, 10, &[case(1)]));
		deliver(MAKER_STAFF, WHOLESALER, WHOLESALE_STAFF, &[case(10)]);
		// SHELF at the pharmacy.
		deliver(MAKER_STAFF, PHARMACY, PHARMACIST, &[pack_epc("SHELF")]);
		// LOOSE in transit alone; BOXED in transit in case 2 with a pack of another lot.
		assert_ok!(aggregate(MAKER_STAFF, 2, &[pack_epc("BOXED"), pack_epc("OTHER")]));
		let loose = ship(MAKER_STAFF, PHARMACY, &[pack_epc("LOOSE")]);
		let boxed = ship(MAKER_STAFF, WHOLESALER, &[case(2)]);

		let writes_before = Batches::<Test>::iter().count();
		assert_ok!(recall_a(INSPECTOR));
		assert_eq!(Batches::<Test>::iter().count(), writes_before);
		for text in texts {
			let verification = SupplyChain::verify(&pack(text));
			assert_eq!(verification.status, PackStatus::Recalled, "{text}");
			assert!(verification.recalled);
		}
		assert_eq!(status("OTHER"), PackStatus::InTransit, "another lot");

		// Nothing of the lot ships, alone or in a container, at any level.
		assert_noop!(try_ship(MAKER_STAFF, PHARMACY, &[pack_epc("HOME")]), Error::<Test>::Recalled);
		assert_noop!(try_ship(WHOLESALE_STAFF, PHARMACY, &[case(10)]), Error::<Test>::Recalled);
		assert_ok!(disaggregate(WHOLESALE_STAFF, 10, &[case(1)]));
		assert_noop!(try_ship(WHOLESALE_STAFF, PHARMACY, &[case(1)]), Error::<Test>::Recalled);
		assert_ok!(disaggregate(WHOLESALE_STAFF, 1, &[pack_epc("CASE1")]));
		assert_noop!(
			try_ship(WHOLESALE_STAFF, PHARMACY, &[pack_epc("CASE1")]),
			Error::<Test>::Recalled
		);
		// Nothing in transit is received.
		assert_noop!(
			SupplyChain::receive(RuntimeOrigin::signed(PHARMACIST), loose),
			Error::<Test>::Recalled
		);
		assert_noop!(
			SupplyChain::receive(RuntimeOrigin::signed(WHOLESALE_STAFF), boxed),
			Error::<Test>::Recalled
		);
		// Nothing is dispensed.
		assert_noop!(dispense(PHARMACIST, "SHELF"), Error::<Test>::Recalled);
		// The goods go back and are destroyed.
		assert_ok!(SupplyChain::reject(RuntimeOrigin::signed(PHARMACIST), loose));
		assert_ok!(SupplyChain::reject(RuntimeOrigin::signed(WHOLESALE_STAFF), boxed));
		assert_ok!(disaggregate(MAKER_STAFF, 2, &[pack_epc("BOXED")]));
		// Case 2 holds only a pack of another lot now: it ships.
		assert_ok!(try_ship(MAKER_STAFF, PHARMACY, &[case(2)]));
		for text in ["HOME", "LOOSE", "BOXED"] {
			assert_ok!(decommission(MAKER_STAFF, text, DecommissionReason::Destroyed));
		}
		assert_ok!(decommission(PHARMACY_CLERK, "SHELF", DecommissionReason::Destroyed));
	});
}

// ---------------------------------------------------------------------------------------------
// suspect, clear, illegitimate
// ---------------------------------------------------------------------------------------------

#[test]
fn a_custodian_quarantines_a_pack_and_a_regulator_clears_it() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1"]);
		assert_ok!(aggregate(MAKER_STAFF, 1, &[pack_epc("S1")]));
		assert_ok!(aggregate(MAKER_STAFF, 2, &[case(1)]));
		deliver(MAKER_STAFF, WHOLESALER, WHOLESALE_STAFF, &[case(2)]);
		let event_id = next_event();
		// The wholesaler holds the pallet, so the pack inside it.
		assert_ok!(suspect(WHOLESALE_STAFF, "S1"));
		let expected = epcis(
			event_id,
			WHOLESALER,
			BizStep::Holding,
			Disposition::NonSellableOther,
			EpcisAction::Observe,
		);
		assert_eq!(state("S1"), PackState::Suspect { by: WHOLESALER, at: START });
		assert_eq!(status("S1"), PackStatus::Suspect);
		assert_eq!((container_of(1).quarantined, container_of(2).quarantined), (1, 1));
		assert_eq!(
			last_entry(&pack_epc("S1")),
			HistoryEntry { epcis: expected.clone(), detail: EventDetail::None }
		);
		System::assert_last_event(
			Event::Quarantined { sgtin: pack("S1"), who: WHOLESALE_STAFF, epcis: expected }.into(),
		);

		let event_id = next_event();
		assert_ok!(clear(INSPECTOR, "S1"));
		let expected = epcis(
			event_id,
			REGULATOR,
			BizStep::Inspecting,
			Disposition::Active,
			EpcisAction::Observe,
		);
		assert_eq!(state("S1"), PackState::Active);
		assert_eq!((container_of(1).quarantined, container_of(2).quarantined), (0, 0));
		System::assert_last_event(
			Event::Cleared { sgtin: pack("S1"), who: INSPECTOR, epcis: expected }.into(),
		);
		ship(WHOLESALE_STAFF, PHARMACY, &[case(2)]);
	});
}

#[test]
fn a_regulator_confirms_a_suspect_pack_illegitimate() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1", "S2"]);
		assert_ok!(aggregate(MAKER_STAFF, 1, &[pack_epc("S1"), pack_epc("S2")]));
		assert_ok!(suspect(INSPECTOR, "S1"));
		let event_id = next_event();
		assert_ok!(illegitimate(INSPECTOR, "S1"));
		let expected = epcis(
			event_id,
			REGULATOR,
			BizStep::Inspecting,
			Disposition::Illegitimate,
			EpcisAction::Observe,
		);
		assert_eq!(state("S1"), PackState::Illegitimate { by: REGULATOR, at: START });
		assert_eq!(status("S1"), PackStatus::Illegitimate);
		System::assert_last_event(
			Event::ConfirmedIllegitimate { sgtin: pack("S1"), who: INSPECTOR, epcis: expected }
				.into(),
		);
		// Still blocks its container until taken out.
		assert_eq!(container_of(1).quarantined, 1);
		assert_noop!(try_ship(MAKER_STAFF, WHOLESALER, &[case(1)]), Error::<Test>::ContainsSuspect);
		assert_ok!(disaggregate(MAKER_STAFF, 1, &[pack_epc("S1")]));
		assert_eq!(container_of(1).quarantined, 0);
		ship(MAKER_STAFF, WHOLESALER, &[case(1)]);
		// Illegitimate beats recalled in the verification.
		assert_ok!(recall_a(MAKER_STAFF));
		assert_eq!(status("S1"), PackStatus::Illegitimate);
	});
}

#[test]
fn suspect_errors() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1", "S2", "S3"]);
		assert_noop!(suspect(STRANGER, "S1"), Error::<Test>::NotMember);
		assert_noop!(suspect(MAKER_STAFF, "NO"), Error::<Test>::UnknownPack);
		assert_noop!(suspect(WHOLESALE_STAFF, "S1"), Error::<Test>::NotCustodian);
		// In transit, only a regulator may.
		ship(MAKER_STAFF, WHOLESALER, &[pack_epc("S3")]);
		assert_noop!(suspect(MAKER_STAFF, "S3"), Error::<Test>::NotCustodian);
		assert_noop!(suspect(WHOLESALE_STAFF, "S3"), Error::<Test>::NotCustodian);
		assert_ok!(suspect(MAKER_STAFF, "S1"));
		assert_noop!(suspect(MAKER_STAFF, "S1"), Error::<Test>::AlreadySuspect);
		assert_ok!(illegitimate(INSPECTOR, "S1"));
		assert_noop!(suspect(INSPECTOR, "S1"), Error::<Test>::Illegitimate);
		assert_ok!(decommission(MAKER_STAFF, "S2", DecommissionReason::Sample));
		assert_noop!(suspect(MAKER_STAFF, "S2"), Error::<Test>::AlreadyDecommissioned);
	});
}

#[test]
fn clear_and_illegitimate_errors() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1"]);
		let calls: [fn(u64, &str) -> DispatchResult; 2] = [clear, illegitimate];
		for call in calls {
			assert_noop!(call(STRANGER, "S1"), Error::<Test>::NotMember);
			assert_noop!(call(MAKER_STAFF, "S1"), Error::<Test>::NotRegulator);
			assert_noop!(call(INSPECTOR, "NO"), Error::<Test>::UnknownPack);
			assert_noop!(call(INSPECTOR, "S1"), Error::<Test>::NotSuspect);
		}
		assert_ok!(suspect(MAKER_STAFF, "S1"));
		assert_noop!(clear(MAKER_STAFF, "S1"), Error::<Test>::NotRegulator);
		assert_noop!(illegitimate(MAKER_STAFF, "S1"), Error::<Test>::NotRegulator);
		assert_ok!(illegitimate(INSPECTOR, "S1"));
		assert_noop!(clear(INSPECTOR, "S1"), Error::<Test>::NotSuspect);
		assert_noop!(illegitimate(INSPECTOR, "S1"), Error::<Test>::NotSuspect);
	});
}

// ---------------------------------------------------------------------------------------------
// history
// ---------------------------------------------------------------------------------------------

/// Ships S1 back and forth until its log holds `MaxHistoryLen - 1` entries, ending at
/// `WHOLESALER`; returns the cap.
fn fill_the_log_of_s1() -> u32 {
	let cap: u32 = <Test as crate::Config>::MaxHistoryLen::get();
	assert_eq!(cap, 16);
	commission_a(&["S1"]);
	// Commissioning is one entry, each delivery two (shipping, receiving).
	for _ in 0..3 {
		deliver(MAKER_STAFF, WHOLESALER, WHOLESALE_STAFF, &[pack_epc("S1")]);
		deliver(WHOLESALE_STAFF, MAKER, MAKER_STAFF, &[pack_epc("S1")]);
	}
	deliver(MAKER_STAFF, WHOLESALER, WHOLESALE_STAFF, &[pack_epc("S1")]);
	assert_eq!(pack_of("S1").history_len, cap - 1);
	cap
}

#[test]
fn a_full_log_refuses_ordinary_steps_but_still_ends_the_shipment_and_the_packs_life() {
	new_test_ext().execute_with(|| {
		let cap = fill_the_log_of_s1();
		let shipment = ship(WHOLESALE_STAFF, PHARMACY, &[pack_epc("S1")]);
		assert_eq!(pack_of("S1").history_len, cap);

		// The shipment still ends, and the pack's life.
		assert_ok!(SupplyChain::receive(RuntimeOrigin::signed(PHARMACIST), shipment));
		assert_eq!(custody("S1"), Some(Custody::Held(PHARMACY)));
		// Full: nothing that lets the pack go on is filed.
		assert_noop!(
			try_ship(PHARMACIST, WHOLESALER, &[pack_epc("S1")]),
			Error::<Test>::HistoryFull
		);
		assert_ok!(dispense(PHARMACIST, "S1"));
		assert_eq!(pack_of("S1").history_len, cap + 2);
		assert_eq!(SupplyChain::history(&pack("S1"), 0, 100).len() as u32, cap + 2);
		// Reverting would let it go on: refused.
		assert_noop!(revert(PHARMACIST, "S1"), Error::<Test>::HistoryFull);
	});
}

#[test]
fn a_pack_with_a_full_log_can_still_be_quarantined_and_always_leaves_quarantine() {
	new_test_ext().execute_with(|| {
		let cap = fill_the_log_of_s1();
		// Shipped once more, the ordinary log is full; a regulator still stops the pack, and
		// clears it, twice.
		let shipment = ship(WHOLESALE_STAFF, PHARMACY, &[pack_epc("S1")]);
		assert_eq!(pack_of("S1").history_len, cap);
		for _ in 0..2 {
			assert_ok!(suspect(INSPECTOR, "S1"));
			assert_ok!(clear(INSPECTOR, "S1"));
		}
		assert_eq!(pack_of("S1").history_len, cap + crate::QUARANTINE_RESERVE);
		// The quarantine reserve is used up: a third round is refused before it starts, so
		// no pack is ever left in quarantine for want of room for its release.
		assert_noop!(suspect(INSPECTOR, "S1"), Error::<Test>::HistoryFull);
		// The shipment and the pack's life still end.
		assert_ok!(SupplyChain::receive(RuntimeOrigin::signed(PHARMACIST), shipment));
		assert_ok!(dispense(PHARMACIST, "S1"));
		assert_eq!(pack_of("S1").history_len, SupplyChain::max_log_entries());
		assert_eq!(
			SupplyChain::history(&pack("S1"), 0, 100).len() as u32,
			SupplyChain::max_log_entries()
		);
	});
}

#[test]
fn a_suspect_pack_whose_shipment_is_rejected_is_still_cleared_and_ends_its_life() {
	new_test_ext().execute_with(|| {
		let cap = fill_the_log_of_s1();
		let shipment = ship(WHOLESALE_STAFF, PHARMACY, &[pack_epc("S1")]);
		assert_ok!(suspect(INSPECTOR, "S1"));
		assert_ok!(clear(INSPECTOR, "S1"));
		// The last quarantine the reserve admits; the buyer refuses the suspect shipment,
		// which files an entry while the pack is suspect.
		assert_ok!(suspect(INSPECTOR, "S1"));
		assert_eq!(pack_of("S1").history_len, cap + 3);
		assert_ok!(SupplyChain::reject(RuntimeOrigin::signed(PHARMACIST), shipment));
		// Still cleared, not forced into "illegitimate", and its life still ends.
		assert_ok!(clear(INSPECTOR, "S1"));
		assert_ok!(decommission(WHOLESALE_STAFF, "S1", DecommissionReason::Destroyed));
		assert_eq!(pack_of("S1").history_len, SupplyChain::max_log_entries());
	});
}

#[test]
fn a_pack_received_after_its_log_filled_up_can_still_be_quarantined() {
	new_test_ext().execute_with(|| {
		let cap = fill_the_log_of_s1();
		let shipment = ship(WHOLESALE_STAFF, PHARMACY, &[pack_epc("S1")]);
		assert_ok!(SupplyChain::receive(RuntimeOrigin::signed(PHARMACIST), shipment));
		// The most entries a pack that can still go on holds outside quarantine.
		assert_eq!(pack_of("S1").history_len, cap + 1);
		assert_ok!(suspect(INSPECTOR, "S1"));
		assert_ok!(clear(INSPECTOR, "S1"));
		assert_ok!(dispense(PHARMACIST, "S1"));
		assert_eq!(pack_of("S1").history_len, cap + 4);
	});
}

#[test]
fn a_pack_quarantined_as_its_log_fills_up_is_still_cleared() {
	new_test_ext().execute_with(|| {
		let cap = fill_the_log_of_s1();
		// The custodian's quarantine is the last entry the ordinary log has room for.
		assert_ok!(suspect(WHOLESALE_STAFF, "S1"));
		assert_eq!(pack_of("S1").history_len, cap);
		assert_ok!(clear(INSPECTOR, "S1"));
		assert_eq!(pack_of("S1").state, PackState::Active);
		// Or it is confirmed illegitimate, which ends its life.
		assert_ok!(suspect(INSPECTOR, "S1"));
		assert_ok!(illegitimate(INSPECTOR, "S1"));
		assert_eq!(pack_of("S1").history_len, cap + 3);
	});
}

#[test]
fn a_full_log_still_lets_the_buyer_reject_and_the_seller_decommission() {
	new_test_ext().execute_with(|| {
		let cap = fill_the_log_of_s1();
		let shipment = ship(WHOLESALE_STAFF, MAKER, &[pack_epc("S1")]);
		assert_ok!(SupplyChain::reject(RuntimeOrigin::signed(MAKER_STAFF), shipment));
		assert_eq!(custody("S1"), Some(Custody::Held(WHOLESALER)));
		assert_ok!(decommission(WHOLESALE_STAFF, "S1", DecommissionReason::Destroyed));
		assert_eq!(pack_of("S1").history_len, cap + 2);
	});
}

#[test]
fn a_case_whose_log_fills_up_can_still_be_unpacked_pack_by_pack() {
	new_test_ext().execute_with(|| {
		let most = SupplyChain::max_log_entries();
		let texts: Vec<String> = (0..most + 2).map(|i| format!("S{i}")).collect();
		let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
		commission_a(&refs);
		let packs: Vec<Epc> = refs.iter().map(|text| pack_epc(text)).collect();
		assert_ok!(aggregate(MAKER_STAFF, 1, &packs));
		// Each unpacking is one entry in the case's log, whose reserve then fills up too.
		for item in &packs {
			assert_ok!(disaggregate(MAKER_STAFF, 1, core::slice::from_ref(item)));
		}
		assert_eq!(container_of(1).children, 0);
		assert_eq!(container_of(1).history_len, most);
		// Every pack is out and its own log holds its unpacking.
		for text in &refs {
			assert_eq!(custody(text), Some(Custody::Held(MAKER)));
			let history = SupplyChain::history(&pack(text), 0, 100);
			assert!(
				history.iter().any(|(epc, entry)| *epc == pack_epc(text)
					&& entry.epcis.biz_step == BizStep::Unpacking),
				"{text}'s log lacks its unpacking"
			);
		}
		// The case itself can no longer take part in anything that would need unpacking.
		assert_noop!(aggregate(MAKER_STAFF, 1, &[]), Error::<Test>::NoItems);
		commission_a(&["EXTRA"]);
		assert_noop!(aggregate(MAKER_STAFF, 1, &[pack_epc("EXTRA")]), Error::<Test>::HistoryFull);
	});
}

#[test]
fn a_case_shipped_with_a_full_log_is_still_received() {
	new_test_ext().execute_with(|| {
		let cap: u32 = <Test as crate::Config>::MaxHistoryLen::get();
		let texts: Vec<String> = (0..cap).map(|i| format!("S{i}")).collect();
		let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
		commission_a(&refs);
		let packs: Vec<Epc> = refs.iter().map(|text| pack_epc(text)).collect();
		assert_ok!(aggregate(MAKER_STAFF, 1, &packs));
		// Unpacking leaves the case at one short of the cap, one pack still inside.
		for item in &packs[..(cap - 2) as usize] {
			assert_ok!(disaggregate(MAKER_STAFF, 1, core::slice::from_ref(item)));
		}
		assert_eq!(container_of(1).history_len, cap - 1);
		let shipment = ship(MAKER_STAFF, WHOLESALER, &[case(1)]);
		assert_eq!(container_of(1).history_len, cap);
		assert_ok!(SupplyChain::receive(RuntimeOrigin::signed(WHOLESALE_STAFF), shipment));
		assert_eq!(custody(refs[refs.len() - 1]), Some(Custody::Held(WHOLESALER)));
		assert_ok!(disaggregate(WHOLESALE_STAFF, 1, &packs[(cap - 2) as usize..]));
		assert_eq!(container_of(1).children, 0);
	});
}

#[test]
fn history_splices_in_the_containers_events_while_the_pack_was_inside() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1", "S2"]);
		// 0: commission. 1: S1 into case 1. 2: case 1 into pallet 10. 3: S2 into case 1? no:
		// the case is inside the pallet; S2 joins the pallet.
		assert_ok!(aggregate(MAKER_STAFF, 1, &[pack_epc("S1")]));
		assert_ok!(aggregate(MAKER_STAFF, 10, &[case(1)]));
		assert_ok!(aggregate(MAKER_STAFF, 10, &[pack_epc("S2")]));
		System::set_block_number(2);
		set_now(START + HOUR);
		let shipment = ship(MAKER_STAFF, WHOLESALER, &[case(10)]);
		System::set_block_number(3);
		set_now(START + 2 * HOUR);
		assert_ok!(SupplyChain::receive(RuntimeOrigin::signed(WHOLESALE_STAFF), shipment));
		assert_ok!(disaggregate(WHOLESALE_STAFF, 10, &[case(1)]));
		assert_ok!(disaggregate(WHOLESALE_STAFF, 1, &[pack_epc("S1")]));
		// After S1 left, the case moves on: not in S1's history.
		assert_ok!(aggregate(WHOLESALE_STAFF, 10, &[case(1)]));
		deliver(WHOLESALE_STAFF, PHARMACY, PHARMACIST, &[pack_epc("S1")]);
		assert_ok!(dispense(PHARMACIST, "S1"));
		assert_ok!(recall_a(MAKER_STAFF));

		let history = SupplyChain::history(&pack("S1"), 0, 100);
		let summary: Vec<(Epc, BizStep, u32)> = history
			.iter()
			.map(|(epc, entry)| (epc.clone(), entry.epcis.biz_step, entry.epcis.block as u32))
			.collect();
		assert_eq!(
			summary,
			vec![
				(pack_epc("S1"), BizStep::Commissioning, 1),
				(pack_epc("S1"), BizStep::Packing, 1),
				(case(1), BizStep::Packing, 1), // the case into the pallet
				// S2 joining the pallet is not S1's event: left out.
				(case(10), BizStep::Shipping, 2),
				(case(10), BizStep::Receiving, 3),
				(case(1), BizStep::Unpacking, 3), // the case out of the pallet
				(pack_epc("S1"), BizStep::Unpacking, 3),
				(pack_epc("S1"), BizStep::Shipping, 3),
				(pack_epc("S1"), BizStep::Receiving, 3),
				(pack_epc("S1"), BizStep::Dispensing, 3),
				(pack_epc("S1"), BizStep::Recalling, 3),
			]
		);
		let ids: Vec<u64> = history.iter().map(|(_, entry)| entry.epcis.event_id).collect();
		assert!(ids.windows(2).all(|pair| pair[0] < pair[1]), "ordered by event id: {ids:?}");
		assert_eq!(history[3].1.epcis.at, START + HOUR);
		assert_eq!(
			history[3].1.detail,
			EventDetail::Shipment { shipment, seller: MAKER, buyer: WHOLESALER, transaction: tx() }
		);
		assert_eq!(history[10].1.detail, EventDetail::Recall { batch: 0 });

		// Paging.
		assert_eq!(SupplyChain::history(&pack("S1"), 3, 2), history[3..5].to_vec());
		assert_eq!(SupplyChain::history(&pack("S1"), 10, 100), history[10..].to_vec());
		assert!(SupplyChain::history(&pack("S1"), 11, 100).is_empty());
		assert!(SupplyChain::history(&pack("NO"), 0, 100).is_empty());

		// S2, still in the pallet: the pallet's moves to date, not the case leaving or
		// rejoining it.
		let s2: Vec<(Epc, BizStep)> = SupplyChain::history(&pack("S2"), 0, 100)
			.into_iter()
			.map(|(epc, entry)| (epc, entry.epcis.biz_step))
			.collect();
		assert_eq!(
			s2,
			vec![
				(pack_epc("S2"), BizStep::Commissioning),
				(pack_epc("S2"), BizStep::Packing),
				(case(10), BizStep::Shipping),
				(case(10), BizStep::Receiving),
				(pack_epc("S2"), BizStep::Recalling),
			]
		);
	});
}

#[test]
fn a_page_is_at_most_max_history_page_long() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1"]);
		assert_eq!(SupplyChain::history(&pack("S1"), 0, u32::MAX).len(), 1);
		assert_eq!(crate::MAX_HISTORY_PAGE, 100);
	});
}

// ---------------------------------------------------------------------------------------------
// verify
// ---------------------------------------------------------------------------------------------

#[test]
fn verify_answers_unknown_for_packs_never_commissioned() {
	new_test_ext().execute_with(|| {
		assert_eq!(
			SupplyChain::verify(&pack("NO")),
			Verification {
				status: PackStatus::Unknown,
				gtin: product(),
				lot: None,
				expiry: None,
				manufacturer: None,
				custody: None,
				container: None,
				recalled: false,
				expired: false,
			}
		);
	});
}

#[test]
fn verify_derives_expiry_from_the_clock() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1"]);
		set_now(EXPIRES_AT - 1);
		assert_eq!(status("S1"), PackStatus::Active, "usable through the last day of December");
		set_now(EXPIRES_AT);
		let verification = SupplyChain::verify(&pack("S1"));
		assert_eq!(verification.status, PackStatus::Expired);
		assert!(verification.expired);
		// Recalled beats expired; a dispensed pack stays dispensed, flagged expired.
		assert_ok!(recall_a(MAKER_STAFF));
		assert_eq!(status("S1"), PackStatus::Recalled);
	});
}

// ---------------------------------------------------------------------------------------------
// purge
// ---------------------------------------------------------------------------------------------

#[test]
fn a_pack_out_of_the_supply_chain_is_purged_after_the_retention_period() {
	new_test_ext().execute_with(|| {
		at_pharmacy(&["S1", "S2"]);
		assert_ok!(dispense(PHARMACIST, "S1"));
		assert_ok!(decommission(PHARMACY_CLERK, "S2", DecommissionReason::Destroyed));
		let purge = |text| SupplyChain::purge_pack(RuntimeOrigin::signed(STRANGER), pack(text));
		set_now(EXPIRES_AT + RETENTION - 1);
		assert_noop!(purge("S1"), Error::<Test>::RetentionNotOver);
		set_now(EXPIRES_AT + RETENTION);
		let held = hold_of(HoldReason::PackDeposit, MAKER_STAFF);
		let len = pack_of("S1").history_len;
		assert_ok!(purge("S1"));
		assert!(Packs::<Test>::get(pack("S1")).is_none());
		for seq in 0..len {
			assert!(History::<Test>::get(pack_epc("S1"), seq).is_none());
		}
		assert_eq!(hold_of(HoldReason::PackDeposit, MAKER_STAFF), held - PackDeposit::get());
		assert_eq!(status("S1"), PackStatus::Unknown);
		assert_eq!(Batches::<Test>::get(0).unwrap().packs, 1);
		System::assert_last_event(Event::PackPurged { sgtin: pack("S1"), who: STRANGER }.into());
		// The last pack of the batch takes the batch with it.
		assert_ok!(purge("S2"));
		assert!(Batches::<Test>::get(0).is_none());
		assert!(BatchIds::<Test>::get(product(), lot_a()).is_none());
		assert_eq!(hold_of(HoldReason::PackDeposit, MAKER_STAFF), 0);
	});
}

#[test]
fn a_purged_lots_number_is_never_given_to_another_batch() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1", "S2"]);
		assert_ok!(recall_a(MAKER_STAFF));
		for text in ["S1", "S2"] {
			assert_ok!(decommission(MAKER_STAFF, text, DecommissionReason::Destroyed));
		}
		set_now(EXPIRES_AT + RETENTION);
		let purge = |text| SupplyChain::purge_pack(RuntimeOrigin::signed(STRANGER), pack(text));
		assert_ok!(purge("S1"));
		assert!(!RetiredLots::<Test>::contains_key(product(), lot_a()), "S2 is still on chain");
		assert_ok!(purge("S2"));
		assert!(RetiredLots::<Test>::contains_key(product(), lot_a()));
		System::assert_has_event(Event::PackPurged { sgtin: pack("S2"), who: STRANGER }.into());
		System::assert_last_event(
			Event::LotRetired { gtin: product(), lot: lot_a(), batch: 0 }.into(),
		);

		// Under a new expiry the recalled lot's number would be back, unrecalled.
		let later = *b"281231";
		assert_noop!(commission_lot("LOT-A", later, &["S3"]), Error::<Test>::LotRetired);
		assert_ok!(commission_lot("LOT-B", later, &["S3"]));
		// The number stays retired when the product moves to another manufacturer.
		assert_ok!(transfer(product(), OTHER_MAKER));
		let commission_other = |lot_text| {
			SupplyChain::commission(
				RuntimeOrigin::signed(OTHER_MAKER_STAFF),
				product(),
				crate::mock::lot(lot_text),
				later,
				serials(&["S4"]),
			)
		};
		assert_noop!(commission_other("LOT-A"), Error::<Test>::LotRetired);
		assert_ok!(commission_other("LOT-C"));
	});
}

#[test]
fn a_pack_that_leaves_after_its_expiry_is_kept_for_the_whole_period_after() {
	new_test_ext().execute_with(|| {
		at_pharmacy(&["S1", "S2", "S3"]);
		let purge = |text| SupplyChain::purge_pack(RuntimeOrigin::signed(STRANGER), pack(text));
		// Years after the lot expired, a forgotten pack turns out illegitimate, another is
		// stolen and a third destroyed.
		let found = EXPIRES_AT + RETENTION;
		set_now(found);
		assert_ok!(suspect(PHARMACIST, "S1"));
		assert_ok!(illegitimate(INSPECTOR, "S1"));
		assert_ok!(decommission(PHARMACY_CLERK, "S2", DecommissionReason::Stolen));
		assert_ok!(decommission(PHARMACY_CLERK, "S3", DecommissionReason::Destroyed));
		set_now(found + RETENTION - 1);
		for text in ["S1", "S2", "S3"] {
			assert_noop!(purge(text), Error::<Test>::RetentionNotOver);
			assert_ne!(status(text), PackStatus::Unknown);
		}
		set_now(found + RETENTION);
		for text in ["S1", "S2", "S3"] {
			assert_ok!(purge(text));
		}
	});
}

#[test]
fn purge_pack_errors() {
	new_test_ext().execute_with(|| {
		at_pharmacy(&["S1", "S2", "S3", "S4"]);
		let purge = |text| SupplyChain::purge_pack(RuntimeOrigin::signed(STRANGER), pack(text));
		assert_noop!(purge("NO"), Error::<Test>::UnknownPack);
		assert_noop!(purge("S1"), Error::<Test>::NotTerminal);
		assert_ok!(suspect(PHARMACIST, "S2"));
		assert_noop!(purge("S2"), Error::<Test>::NotTerminal);
		assert_ok!(dispense(PHARMACIST, "S3"));
		assert_noop!(purge("S3"), Error::<Test>::NotTerminal);
		// An illegitimate pack inside a container stays until taken out.
		assert_ok!(aggregate_into(PHARMACIST, sscc_of(PHARMACY, 1), &[pack_epc("S4")]));
		assert_ok!(suspect(PHARMACIST, "S4"));
		assert_ok!(illegitimate(INSPECTOR, "S4"));
		set_now(EXPIRES_AT + RETENTION);
		assert_noop!(purge("S4"), Error::<Test>::InsideContainer);
		assert_ok!(purge("S3"));
	});
}

#[test]
fn an_empty_container_is_purged_after_the_retention_period() {
	new_test_ext().execute_with(|| {
		commission_a(&["S1", "S2", "S3"]);
		let purge = |n| SupplyChain::purge_container(RuntimeOrigin::signed(STRANGER), sscc(n));
		assert_noop!(purge(1), Error::<Test>::UnknownContainer);
		// While S1 is in case 1, the case goes onto pallet 2 and off again: S1's history
		// shows that.
		assert_ok!(aggregate(MAKER_STAFF, 1, &[pack_epc("S1")]));
		assert_ok!(aggregate(MAKER_STAFF, 1, &[pack_epc("S2")]));
		assert_ok!(aggregate(MAKER_STAFF, 2, &[case(1)]));
		assert_ok!(disaggregate(MAKER_STAFF, 2, &[case(1)]));
		assert!(SupplyChain::history(&pack("S1"), 0, 100).iter().any(|(epc, _)| *epc == case(1)));
		assert_noop!(purge(1), Error::<Test>::ContainerNotEmpty);
		assert_ok!(disaggregate(MAKER_STAFF, 1, &[pack_epc("S1"), pack_epc("S2")]));
		assert_ok!(aggregate(MAKER_STAFF, 2, &[case(1), pack_epc("S3")]));
		assert_noop!(purge(1), Error::<Test>::InsideContainer);
		assert_noop!(purge(2), Error::<Test>::ContainerNotEmpty);
		assert_ok!(disaggregate(MAKER_STAFF, 2, &[case(1)]));
		let shipment = ship(MAKER_STAFF, WHOLESALER, &[case(1)]);
		assert_noop!(purge(1), Error::<Test>::ItemInTransit);
		assert_ok!(SupplyChain::reject(RuntimeOrigin::signed(WHOLESALE_STAFF), shipment));
		assert_noop!(purge(1), Error::<Test>::RetentionNotOver);
		// A retention period after its last change, the packs it carried are still on chain
		// (they expire later): their journeys in it are kept with them.
		set_now(START + RETENTION);
		assert_eq!(container_of(1).latest_expiry, EXPIRES_AT);
		assert_noop!(purge(1), Error::<Test>::RetentionNotOver);
		set_now(EXPIRES_AT + RETENTION);
		let len = container_of(1).history_len;
		assert_eq!(hold_of(HoldReason::ContainerDeposit, MAKER_STAFF), 2 * ContainerDeposit::get());
		assert_ok!(purge(1));
		assert!(Containers::get(sscc(1)).is_none());
		assert!((0..len).all(|seq| History::<Test>::get(case(1), seq).is_none()));
		assert_eq!(hold_of(HoldReason::ContainerDeposit, MAKER_STAFF), ContainerDeposit::get());
		System::assert_last_event(Event::ContainerPurged { sscc: sscc(1), who: STRANGER }.into());

		// S1's history no longer includes the purged case's entries, and a new case with the
		// same SSCC does not leak into it.
		let before = SupplyChain::history(&pack("S1"), 0, 100);
		assert!(before.iter().all(|(epc, _)| *epc == pack_epc("S1")));
		assert_eq!(before.len(), 3, "commissioning, packing, unpacking");
		assert_ok!(aggregate(MAKER_STAFF, 1, &[pack_epc("S2")]));
		assert_ok!(aggregate(MAKER_STAFF, 1, &[pack_epc("S1")]));
		assert_eq!(SupplyChain::history(&pack("S1"), 0, 100).len(), 4, "the new stay only");
	});
}
