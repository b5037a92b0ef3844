//! A runtime with the supply-chain pallet, balances, a clock and a stand-in for the
//! consortium's organisations (with GLNs), to test the supply-chain pallet in.

use crate as pallet_supply_chain;
use crate::{Epc, Expiry, Gtin, Lot, Serial, SerialsOf, Sgtin, Sscc};
use core::cell::RefCell;
use frame_support::{derive_impl, parameter_types, traits::ConstU32, BoundedVec};
use medchain_primitives::{
	gs1::{
		check_digit, gtin_company_prefixes, is_valid_company_prefix, sscc_company_prefixes, Gln,
	},
	health::{OrgId, OrgKind, Organisations, OrganisationsBenchmarkHelper, Role},
};
use sp_runtime::{traits::IdentityLookup, BuildStorage};
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Timestamp: pallet_timestamp,
		SupplyChain: pallet_supply_chain,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	// What `<() as WeightInfo>` counts storage with, so that refunds computed with it match.
	type DbWeight = frame_support::weights::constants::RocksDbWeight;
	type Block = Block;
	type AccountId = u64;
	type Lookup = IdentityLookup<u64>;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

/// One hour, in milliseconds.
pub const HOUR: u64 = 3_600_000;
/// One day, in milliseconds.
pub const DAY: u64 = 24 * HOUR;
/// The revert window: 10 days (FMD Art. 13).
pub const REVERT_WINDOW: u64 = 10 * DAY;
/// The retention period in the tests: one year.
pub const RETENTION: u64 = 365 * DAY;
/// How long a shipment may stay in transit before its seller may cancel it: 30 days.
pub const SHIPMENT_TIMEOUT: u64 = 30 * DAY;

parameter_types! {
	pub const ProductDeposit: u64 = 100;
	pub const PackDeposit: u64 = 2;
	pub const ContainerDeposit: u64 = 10;
	pub const RevertWindow: u64 = REVERT_WINDOW;
	pub const RetentionPeriod: u64 = RETENTION;
	pub const ShipmentTimeout: u64 = SHIPMENT_TIMEOUT;
}

impl pallet_supply_chain::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Time = Timestamp;
	type Organisations = MockOrganisations;
	type ProductDeposit = ProductDeposit;
	type PackDeposit = PackDeposit;
	type ContainerDeposit = ContainerDeposit;
	type MaxCommissionPerCall = ConstU32<1_000>;
	type MaxChildrenPerContainer = ConstU32<1_000>;
	type MaxNestingDepth = ConstU32<3>;
	type MaxBatchesPerContainer = ConstU32<4>;
	type MaxShipmentItems = ConstU32<8>;
	type MaxHistoryLen = ConstU32<16>;
	type RevertWindow = RevertWindow;
	type RetentionPeriod = RetentionPeriod;
	type ShipmentTimeout = ShipmentTimeout;
	type ProductOrigin = frame_system::EnsureRoot<u64>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type OrganisationsHelper = MockOrganisations;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockOrganisations;
}

/// A manufacturer.
pub const MAKER: OrgId = 1;
/// Another manufacturer.
pub const OTHER_MAKER: OrgId = 2;
/// A wholesaler.
pub const WHOLESALER: OrgId = 3;
/// A pharmacy.
pub const PHARMACY: OrgId = 4;
/// A hospital (with a pharmacy).
pub const HOSPITAL: OrgId = 5;
/// A regulator.
pub const REGULATOR: OrgId = 6;
/// A clinic: cannot dispense.
pub const CLINIC: OrgId = 7;
/// An organisation without a GLN.
pub const NO_GLN_ORG: OrgId = 8;

/// A member of [`MAKER`].
pub const MAKER_STAFF: u64 = 1;
/// A member of [`OTHER_MAKER`].
pub const OTHER_MAKER_STAFF: u64 = 2;
/// A member of [`WHOLESALER`].
pub const WHOLESALE_STAFF: u64 = 3;
/// A pharmacist of [`PHARMACY`].
pub const PHARMACIST: u64 = 4;
/// A member of [`PHARMACY`] who is not a pharmacist.
pub const PHARMACY_CLERK: u64 = 5;
/// A pharmacist of [`HOSPITAL`].
pub const HOSPITAL_PHARMACIST: u64 = 6;
/// An inspector of [`REGULATOR`].
pub const INSPECTOR: u64 = 7;
/// A pharmacist of [`CLINIC`].
pub const CLINIC_PHARMACIST: u64 = 8;
/// An account in no organisation.
pub const STRANGER: u64 = 9;
/// A member of [`MAKER`] without funds.
pub const PAUPER: u64 = 10;
/// A second member of [`PHARMACY`], also a pharmacist.
pub const OTHER_PHARMACIST: u64 = 11;

/// What every funded account starts with.
pub const ENDOWMENT: u64 = 1_000_000;
/// The clock when each test starts: 2023-11-14, in milliseconds since the Unix epoch.
pub const START: u64 = 1_700_000_000_000;

thread_local! {
	static ORGANISATIONS: RefCell<BTreeMap<OrgId, (OrgKind, Option<Gln>)>> =
		const { RefCell::new(BTreeMap::new()) };
	static MEMBERS: RefCell<BTreeMap<u64, (OrgId, Vec<Role>)>> =
		const { RefCell::new(BTreeMap::new()) };
	static PREFIX_HOLDERS: RefCell<BTreeMap<Vec<u8>, OrgId>> =
		const { RefCell::new(BTreeMap::new()) };
}

/// A stand-in for the consortium pallet's organisations, set up by the tests.
pub struct MockOrganisations;

impl MockOrganisations {
	/// Registers `org` of `kind` with the GLN `gln`.
	pub fn register(org: OrgId, kind: OrgKind, gln: Option<Gln>) {
		ORGANISATIONS.with(|orgs| orgs.borrow_mut().insert(org, (kind, gln)));
	}

	/// Deregisters `org`; its members lose every role.
	pub fn deregister(org: OrgId) {
		ORGANISATIONS.with(|orgs| orgs.borrow_mut().remove(&org));
	}

	/// Makes `who` a member of `org` with `roles`.
	pub fn add_member(org: OrgId, who: u64, roles: &[Role]) {
		MEMBERS.with(|members| members.borrow_mut().insert(who, (org, roles.to_vec())));
	}

	/// Makes `org` the holder of the GS1 Company Prefix `digits` (or takes it from whoever held
	/// it). The tests keep prefixes from overlapping, as the consortium pallet does.
	pub fn assign_prefix(org: OrgId, digits: &str) {
		PREFIX_HOLDERS.with(|holders| holders.borrow_mut().insert(digits.into(), org));
	}

	/// The holder of the first of a key's possible prefixes `candidates` that is held.
	fn holder_of_any<'a>(mut candidates: impl Iterator<Item = &'a [u8]>) -> Option<OrgId> {
		PREFIX_HOLDERS
			.with(|holders| candidates.find_map(|prefix| holders.borrow().get(prefix).copied()))
	}

	/// Makes `org` the holder of the longest of a key's possible prefixes `candidates`,
	/// refusing what the consortium pallet refuses of the prefix itself, so that benchmarks
	/// that pass here also run on the runtime.
	fn hold_longest<'a>(
		org: OrgId,
		candidates: impl Iterator<Item = &'a [u8]>,
	) -> Result<(), &'static str> {
		let prefix = candidates.last().ok_or("the key has no company prefix")?;
		if !is_valid_company_prefix(prefix) {
			return Err("InvalidCompanyPrefix");
		}
		PREFIX_HOLDERS.with(|holders| holders.borrow_mut().insert(prefix.to_vec(), org));
		Ok(())
	}

	fn reset() {
		ORGANISATIONS.with(|orgs| orgs.borrow_mut().clear());
		MEMBERS.with(|members| members.borrow_mut().clear());
		PREFIX_HOLDERS.with(|holders| holders.borrow_mut().clear());
	}
}

impl Organisations<u64> for MockOrganisations {
	fn organisation_of(who: &u64) -> Option<OrgId> {
		MEMBERS
			.with(|members| members.borrow().get(who).map(|(org, _)| *org))
			.filter(|org| Self::organisation_kind(*org).is_some())
	}

	fn has_role(org: OrgId, who: &u64, role: Role) -> bool {
		Self::organisation_of(who) == Some(org)
			&& MEMBERS.with(|members| {
				members.borrow().get(who).is_some_and(|(_, roles)| roles.contains(&role))
			})
	}

	fn organisation_kind(org: OrgId) -> Option<OrgKind> {
		ORGANISATIONS.with(|orgs| orgs.borrow().get(&org).map(|(kind, _)| *kind))
	}

	fn organisation_gln(org: OrgId) -> Option<Gln> {
		ORGANISATIONS.with(|orgs| orgs.borrow().get(&org).and_then(|(_, gln)| *gln))
	}

	fn gtin_prefix_holder(gtin: &Gtin) -> Option<OrgId> {
		Self::holder_of_any(gtin_company_prefixes(gtin))
	}

	fn sscc_prefix_holder(sscc: &Sscc) -> Option<OrgId> {
		Self::holder_of_any(sscc_company_prefixes(sscc))
	}
}

impl OrganisationsBenchmarkHelper<u64> for MockOrganisations {
	fn member_with_role(who: &u64, kind: OrgKind, role: Role) -> OrgId {
		let org = ORGANISATIONS.with(|orgs| orgs.borrow().keys().max().copied().unwrap_or(0) + 1);
		Self::register(org, kind, Some(gln(org)));
		Self::add_member(org, *who, &[role]);
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
impl crate::BenchmarkHelper for MockOrganisations {
	fn set_time(now: u64) {
		Timestamp::set_timestamp(now);
	}
}

/// Appends the GS1 check digit to the digits of `body`.
fn with_check_digit<const N: usize>(body: &str) -> [u8; N] {
	assert_eq!(body.len() + 1, N, "{body} needs {} digits", N - 1);
	let mut out = [0u8; N];
	out[..N - 1].copy_from_slice(body.as_bytes());
	out[N - 1] = check_digit(body.as_bytes()).expect("digits");
	out
}

/// The GLN of organisation `org`: GS1 company prefix 0614141, location `org`.
pub fn gln(org: OrgId) -> Gln {
	with_check_digit::<13>(&format!("06141410{:04}", org))
}

/// A valid GTIN-14 for product number `n` of company prefix 0614141.
pub fn gtin(n: u32) -> Gtin {
	with_check_digit::<14>(&format!("10614141{:05}", n))
}

/// A valid SSCC-18 with serial reference `n` of company prefix 0614141, [`MAKER`]'s.
pub fn sscc(n: u32) -> Sscc {
	with_check_digit::<18>(&format!("10614141{:09}", n))
}

/// The GS1 Company Prefix of organisation `org` other than the two manufacturers' (which
/// hold 0614141 and 0614142): `07000` and `org` in two digits.
pub fn prefix_of(org: OrgId) -> String {
	format!("07000{:02}", org)
}

/// A valid SSCC-18 with serial reference `n` under [`prefix_of`] `org`.
pub fn sscc_of(org: OrgId, n: u32) -> Sscc {
	with_check_digit::<18>(&format!("1{}{:09}", prefix_of(org), n))
}

/// The main test product.
pub fn product() -> Gtin {
	gtin(1)
}

/// A serial from text.
pub fn serial(text: &str) -> Serial {
	BoundedVec::truncate_from(text.as_bytes().to_vec())
}

/// A lot from text.
pub fn lot(text: &str) -> Lot {
	BoundedVec::truncate_from(text.as_bytes().to_vec())
}

/// The main test lot.
pub fn lot_a() -> Lot {
	lot("LOT-A")
}

/// The expiry of the main test lot: end of December 2025.
pub const EXPIRY: Expiry = *b"251200";
/// The first instant after [`EXPIRY`]: 2026-01-01T00:00Z.
pub const EXPIRES_AT: u64 = 1_767_225_600_000;

/// The pack of the main product with serial `text`.
pub fn pack(text: &str) -> Sgtin {
	Sgtin { gtin: product(), serial: serial(text) }
}

/// The pack of the main product with serial `text`, as an EPC.
pub fn pack_epc(text: &str) -> Epc {
	Epc::Sgtin(pack(text))
}

/// Serials from texts.
pub fn serials(texts: &[&str]) -> SerialsOf<Test> {
	BoundedVec::truncate_from(texts.iter().map(|text| serial(text)).collect())
}

/// A bounded list of EPCs.
pub fn epcs<S: frame_support::traits::Get<u32>>(list: &[Epc]) -> BoundedVec<Epc, S> {
	BoundedVec::truncate_from(list.to_vec())
}

/// A test chain: funded accounts, the organisations above with their staff, the main product
/// registered by [`MAKER`], the clock at [`START`].
pub fn new_test_ext() -> sp_io::TestExternalities {
	MockOrganisations::reset();
	MockOrganisations::register(MAKER, OrgKind::Manufacturer, Some(gln(MAKER)));
	MockOrganisations::register(OTHER_MAKER, OrgKind::Manufacturer, Some(gln(OTHER_MAKER)));
	MockOrganisations::register(WHOLESALER, OrgKind::Wholesaler, Some(gln(WHOLESALER)));
	MockOrganisations::register(PHARMACY, OrgKind::Pharmacy, Some(gln(PHARMACY)));
	MockOrganisations::register(HOSPITAL, OrgKind::Hospital, Some(gln(HOSPITAL)));
	MockOrganisations::register(REGULATOR, OrgKind::Regulator, Some(gln(REGULATOR)));
	MockOrganisations::register(CLINIC, OrgKind::Clinic, Some(gln(CLINIC)));
	MockOrganisations::register(NO_GLN_ORG, OrgKind::Wholesaler, None);
	// Every test GTIN (`gtin(n)`) is under the maker's prefix.
	MockOrganisations::assign_prefix(MAKER, "0614141");
	MockOrganisations::assign_prefix(OTHER_MAKER, "0614142");
	// The others number their logistic units under prefixes of their own.
	for org in [WHOLESALER, PHARMACY, HOSPITAL, REGULATOR, CLINIC, NO_GLN_ORG] {
		MockOrganisations::assign_prefix(org, &prefix_of(org));
	}
	MockOrganisations::add_member(MAKER, MAKER_STAFF, &[]);
	MockOrganisations::add_member(MAKER, PAUPER, &[]);
	MockOrganisations::add_member(OTHER_MAKER, OTHER_MAKER_STAFF, &[]);
	MockOrganisations::add_member(WHOLESALER, WHOLESALE_STAFF, &[]);
	MockOrganisations::add_member(PHARMACY, PHARMACIST, &[Role::Pharmacist]);
	MockOrganisations::add_member(PHARMACY, OTHER_PHARMACIST, &[Role::Pharmacist]);
	MockOrganisations::add_member(PHARMACY, PHARMACY_CLERK, &[Role::RecordsClerk]);
	MockOrganisations::add_member(HOSPITAL, HOSPITAL_PHARMACIST, &[Role::Pharmacist]);
	MockOrganisations::add_member(REGULATOR, INSPECTOR, &[Role::Auditor]);
	MockOrganisations::add_member(CLINIC, CLINIC_PHARMACIST, &[Role::Pharmacist]);

	let funded = [
		MAKER_STAFF,
		OTHER_MAKER_STAFF,
		WHOLESALE_STAFF,
		PHARMACIST,
		PHARMACY_CLERK,
		HOSPITAL_PHARMACIST,
		INSPECTOR,
		CLINIC_PHARMACIST,
		STRANGER,
		OTHER_PHARMACIST,
	];
	let storage = RuntimeGenesisConfig {
		balances: pallet_balances::GenesisConfig {
			balances: funded.iter().map(|who| (*who, ENDOWMENT)).collect(),
			..Default::default()
		},
		..Default::default()
	}
	.build_storage()
	.expect("the test genesis config is valid");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		Timestamp::set_timestamp(START);
		frame_support::assert_ok!(SupplyChain::register_product(
			RuntimeOrigin::signed(MAKER_STAFF),
			product()
		));
	});
	ext
}

/// Moves the clock to `at`, in milliseconds since the Unix epoch.
pub fn set_now(at: u64) {
	Timestamp::set_timestamp(at);
}
