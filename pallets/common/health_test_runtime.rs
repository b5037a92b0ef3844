// The test runtime shared by the records and consent pallets, which are always tested
// together: each crate's `mock.rs` names itself (`use crate as pallet_…`) and includes this
// file, so the runtime is written once.

use core::cell::RefCell;
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use medchain_primitives::health::{
	Action, CategoryCode, CiphertextClaim, ConsentId, OrgId, OrgKind, Organisations, OrganisationsBenchmarkHelper,
	Purpose, RecordId, Role,
};
use pallet_consent::{ConsentScopeOf, Grantee};
use pallet_records::{EnvelopesOf, MediaTypeCode, WrappedKeyOf};
use sp_core::H256;
use sp_runtime::{traits::IdentityLookup, BoundedVec, BuildStorage, Weight};
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Timestamp: pallet_timestamp,
		Records: pallet_records,
		Consent: pallet_consent,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
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

parameter_types! {
	pub const RecordDeposit: u64 = 100;
	pub const KeyEnvelopeDeposit: u64 = 10;
	pub const ConsentDeposit: u64 = 50;
	pub const DelegateDeposit: u64 = 20;
	pub const EmergencyAccessDuration: u64 = EMERGENCY_ACCESS_MS;
}

impl pallet_records::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Time = Timestamp;
	type Consent = Consent;
	type Organisations = MockOrganisations;
	type Hooks = MockHooks;
	#[cfg(feature = "runtime-benchmarks")]
	type HooksHelper = ();
	#[cfg(feature = "runtime-benchmarks")]
	type OrganisationsHelper = MockOrganisations;
	type RecordDeposit = RecordDeposit;
	type KeyEnvelopeDeposit = KeyEnvelopeDeposit;
	type MaxEnvelopesPerRecord = ConstU32<4>;
	type MaxWrappedKeyLen = ConstU32<128>;
	type MaxEnvelopesExaminedOnRevoke = ConstU32<3>;
	type WeightInfo = ();
}

impl pallet_consent::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Time = Timestamp;
	type Records = Records;
	type RevocationHooks = Records;
	type Organisations = MockOrganisations;
	type ConsentDeposit = ConsentDeposit;
	type DelegateDeposit = DelegateDeposit;
	type MaxConsentsPerPatient = ConstU32<4>;
	type MaxConsentsPerGrantee = ConstU32<2>;
	type MaxScopeItems = ConstU32<4>;
	type MaxDelegates = ConstU32<2>;
	type EmergencyAccessDuration = EmergencyAccessDuration;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type RecordsHelper = Records;
	#[cfg(feature = "runtime-benchmarks")]
	type OrganisationsHelper = MockOrganisations;
}

/// The patient whose file the tests work on.
pub const PATIENT: u64 = 1;
/// A clinician of [`HOSPITAL`].
pub const DOCTOR: u64 = 2;
/// A nurse of [`HOSPITAL`].
pub const NURSE: u64 = 3;
/// The patient's parent, made a delegate by some tests.
pub const GUARDIAN: u64 = 4;
/// Emergency staff (and a clinician) of [`HOSPITAL`].
pub const ER_DOCTOR: u64 = 5;
/// The auditor of [`HOSPITAL`].
pub const AUDITOR: u64 = 6;
/// An account with no relation to the patient.
pub const STRANGER: u64 = 7;
/// An auditor of [`REGULATOR`].
pub const REGULATOR_AUDITOR: u64 = 8;
/// A clinician of [`CLINIC`].
pub const CLINIC_DOCTOR: u64 = 9;
/// Another patient.
pub const OTHER_PATIENT: u64 = 10;
/// An auditor of [`CLINIC`].
pub const CLINIC_AUDITOR: u64 = 11;
/// An account with no funds at all.
pub const PAUPER: u64 = 12;

/// A hospital.
pub const HOSPITAL: OrgId = 1;
/// A clinic.
pub const CLINIC: OrgId = 2;
/// A regulator.
pub const REGULATOR: OrgId = 3;

/// What every funded account starts with.
pub const ENDOWMENT: u64 = 1_000_000;
/// The clock when each test starts: 2023-11-14, in milliseconds since the Unix epoch.
pub const START: u64 = 1_700_000_000_000;
/// One hour, in milliseconds.
pub const HOUR: u64 = 3_600_000;
/// One day, in milliseconds.
pub const DAY: u64 = 24 * HOUR;
/// How long a break-glass access lasts in the tests: four hours.
pub const EMERGENCY_ACCESS_MS: u64 = 4 * HOUR;

thread_local! {
	static ORGANISATIONS: RefCell<BTreeMap<OrgId, OrgKind>> = const { RefCell::new(BTreeMap::new()) };
	static MEMBERS: RefCell<BTreeMap<u64, (OrgId, Vec<Role>)>> = const { RefCell::new(BTreeMap::new()) };
	static HOOK_CALLS: RefCell<Vec<HookCall>> = const { RefCell::new(Vec::new()) };
	static HOOKS_UNUSED: RefCell<Weight> = const { RefCell::new(Weight::zero()) };
	static CIPHERTEXT_CLAIMS: RefCell<BTreeMap<H256, (u64, u32)>> = const { RefCell::new(BTreeMap::new()) };
}

/// A stand-in for the consortium pallet's organisations, set up by the tests.
pub struct MockOrganisations;

impl MockOrganisations {
	/// Registers `org` of `kind`.
	pub fn register(org: OrgId, kind: OrgKind) {
		ORGANISATIONS.with(|orgs| orgs.borrow_mut().insert(org, kind));
	}

	/// Deregisters `org`; its members lose every role.
	pub fn deregister(org: OrgId) {
		ORGANISATIONS.with(|orgs| orgs.borrow_mut().remove(&org));
	}

	/// Makes `who` a member of `org` with `roles`.
	pub fn add_member(org: OrgId, who: u64, roles: &[Role]) {
		MEMBERS.with(|members| members.borrow_mut().insert(who, (org, roles.to_vec())));
	}

	/// Removes `who` from their organisation.
	pub fn remove_member(who: u64) {
		MEMBERS.with(|members| members.borrow_mut().remove(&who));
	}

	fn reset() {
		ORGANISATIONS.with(|orgs| orgs.borrow_mut().clear());
		MEMBERS.with(|members| members.borrow_mut().clear());
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
		ORGANISATIONS.with(|orgs| orgs.borrow().get(&org).copied())
	}

	/// Records and consent never ask for a GLN.
	fn organisation_gln(_org: OrgId) -> Option<medchain_primitives::gs1::Gln> {
		None
	}

	/// Nor for a company prefix.
	fn gtin_prefix_holder(_gtin: &medchain_primitives::gs1::Gtin) -> Option<OrgId> {
		None
	}

	fn sscc_prefix_holder(_sscc: &medchain_primitives::gs1::Sscc) -> Option<OrgId> {
		None
	}
}

impl OrganisationsBenchmarkHelper<u64> for MockOrganisations {
	fn member_with_role(who: &u64, kind: OrgKind, role: Role) -> OrgId {
		let org = ORGANISATIONS.with(|orgs| orgs.borrow().keys().max().copied().unwrap_or(0) + 1);
		Self::register(org, kind);
		Self::add_member(org, *who, &[role]);
		org
	}

	/// Records and consent benchmarks register no products.
	fn hold_prefix_of(
		_org: OrgId,
		_gtin: &medchain_primitives::gs1::Gtin,
	) -> Result<(), &'static str> {
		Ok(())
	}

	/// Nor pack anything.
	fn hold_sscc_prefix_of(
		_org: OrgId,
		_sscc: &medchain_primitives::gs1::Sscc,
	) -> Result<(), &'static str> {
		Ok(())
	}
}

/// A call of the record hooks, as seen by [`MockHooks`].
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum HookCall {
	/// `on_registered(record, content_hash, size)`.
	Registered(RecordId, H256, u64),
	/// `on_erased(record, content_hash)`.
	Erased(RecordId, H256),
}

/// Records every call of the record hooks; each call reports [`MockHooks::set_unused`]'s
/// weight as unused.
pub struct MockHooks;

impl MockHooks {
	/// The hook calls so far, oldest first.
	pub fn calls() -> Vec<HookCall> {
		HOOK_CALLS.with(|calls| calls.borrow().clone())
	}

	/// From now on every hook call reports `weight` as unused (none at first).
	pub fn set_unused(weight: Weight) {
		HOOKS_UNUSED.with(|unused| *unused.borrow_mut() = weight);
	}

	fn unused() -> Weight {
		HOOKS_UNUSED.with(|unused| *unused.borrow())
	}
}

/// As the pinning pallet does, a ciphertext is the patient's whose record first named it;
/// once no record names it, its deletion is under way, and (unlike in the pinning pallet,
/// where holders finish it) never finishes.
impl medchain_primitives::health::RecordHooks<u64> for MockHooks {
	fn ciphertext_claim(content_hash: &H256) -> Option<CiphertextClaim<u64>> {
		CIPHERTEXT_CLAIMS.with(|claims| {
			claims.borrow().get(content_hash).map(|(patient, references)| match references {
				0 => CiphertextClaim::BeingDeleted(*patient),
				_ => CiphertextClaim::Named(*patient),
			})
		})
	}
	fn on_registered(record: RecordId, patient: &u64, content_hash: &H256, size: u64) -> Weight {
		HOOK_CALLS.with(|calls| {
			calls.borrow_mut().push(HookCall::Registered(record, *content_hash, size))
		});
		CIPHERTEXT_CLAIMS.with(|claims| {
			let mut claims = claims.borrow_mut();
			let (_, references) = claims.entry(*content_hash).or_insert((*patient, 0));
			*references += 1;
		});
		Self::unused()
	}
	fn on_erased(record: RecordId, content_hash: &H256) -> Weight {
		HOOK_CALLS.with(|calls| calls.borrow_mut().push(HookCall::Erased(record, *content_hash)));
		CIPHERTEXT_CLAIMS.with(|claims| {
			if let Some((_, references)) = claims.borrow_mut().get_mut(content_hash) {
				*references = references.saturating_sub(1);
			}
		});
		Self::unused()
	}
}

/// A test chain: funded accounts, the hospital, clinic and regulator with their staff, the
/// clock at [`START`].
pub fn new_test_ext() -> sp_io::TestExternalities {
	MockOrganisations::reset();
	HOOK_CALLS.with(|calls| calls.borrow_mut().clear());
	CIPHERTEXT_CLAIMS.with(|claims| claims.borrow_mut().clear());
	MockHooks::set_unused(Weight::zero());
	MockOrganisations::register(HOSPITAL, OrgKind::Hospital);
	MockOrganisations::register(CLINIC, OrgKind::Clinic);
	MockOrganisations::register(REGULATOR, OrgKind::Regulator);
	MockOrganisations::add_member(HOSPITAL, DOCTOR, &[Role::Clinician]);
	MockOrganisations::add_member(HOSPITAL, NURSE, &[Role::Nurse]);
	MockOrganisations::add_member(HOSPITAL, ER_DOCTOR, &[Role::Clinician, Role::Emergency]);
	MockOrganisations::add_member(HOSPITAL, AUDITOR, &[Role::Auditor]);
	MockOrganisations::add_member(CLINIC, CLINIC_DOCTOR, &[Role::Clinician]);
	MockOrganisations::add_member(CLINIC, CLINIC_AUDITOR, &[Role::Auditor]);
	MockOrganisations::add_member(REGULATOR, REGULATOR_AUDITOR, &[Role::Auditor]);

	let funded = [
		PATIENT,
		DOCTOR,
		NURSE,
		GUARDIAN,
		ER_DOCTOR,
		AUDITOR,
		STRANGER,
		REGULATOR_AUDITOR,
		CLINIC_DOCTOR,
		OTHER_PATIENT,
		CLINIC_AUDITOR,
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
	});
	ext
}

/// Moves the clock to `at`, in milliseconds since the Unix epoch.
pub fn set_now(at: u64) {
	Timestamp::set_timestamp(at);
}

/// A category code from text.
pub fn category(code: &str) -> CategoryCode {
	BoundedVec::truncate_from(code.as_bytes().to_vec())
}

/// LOINC 11488-4, consult note.
pub fn consult_note() -> CategoryCode {
	category("11488-4")
}

/// LOINC 11502-2, laboratory report.
pub fn lab_report() -> CategoryCode {
	category("11502-2")
}

/// The media type of a FHIR JSON document.
pub fn fhir_json() -> MediaTypeCode {
	BoundedVec::truncate_from(b"application/fhir+json".to_vec())
}

/// A wrapped key stand-in: 72 bytes derived from `seed`.
pub fn wrapped_key(seed: u8) -> WrappedKeyOf<Test> {
	BoundedVec::truncate_from(vec![seed; 72])
}

/// Key envelopes for `recipients`, each with a distinct wrapped key.
pub fn envelopes(recipients: &[u64]) -> EnvelopesOf<Test> {
	BoundedVec::truncate_from(
		recipients.iter().map(|who| (*who, wrapped_key(*who as u8))).collect::<Vec<_>>(),
	)
}

/// A stand-in ciphertext hash derived from `seed`.
pub fn content(seed: u8) -> H256 {
	H256::repeat_byte(seed)
}

/// Registers a consult note in `patient`'s file as `author` for treatment, with an envelope
/// for `patient` only, and returns its id.
pub fn register_note(author: u64, patient: u64, seed: u8) -> RecordId {
	let record = pallet_records::NextRecordId::<Test>::get();
	frame_support::assert_ok!(Records::register(
		RuntimeOrigin::signed(author),
		patient,
		consult_note(),
		content(seed),
		1_024,
		fhir_json(),
		Purpose::Treatment,
		envelopes(&[patient]),
	));
	record
}

/// The patient amends `record` with a new version whose content derives from `seed`, with
/// no new envelopes.
pub fn amend_note(record: RecordId, seed: u8) -> sp_runtime::DispatchResult {
	let amended = Records::amend(
		RuntimeOrigin::signed(PATIENT),
		record,
		content(seed),
		1,
		fhir_json(),
		medchain_primitives::health::Purpose::Treatment,
		envelopes(&[]),
	);
	amended.map(|_| ()).map_err(|failed| failed.error)
}

/// An action set.
pub fn actions(list: &[Action]) -> medchain_primitives::health::Actions {
	BoundedVec::truncate_from(list.to_vec())
}

/// A purpose set.
pub fn purposes(list: &[Purpose]) -> medchain_primitives::health::Purposes {
	BoundedVec::truncate_from(list.to_vec())
}

/// A scope of these categories.
pub fn categories_scope(list: &[CategoryCode]) -> ConsentScopeOf<Test> {
	pallet_consent::ConsentScope::Categories(BoundedVec::truncate_from(list.to_vec()))
}

/// A scope of these records.
pub fn records_scope(list: &[RecordId]) -> ConsentScopeOf<Test> {
	pallet_consent::ConsentScope::Records(BoundedVec::truncate_from(list.to_vec()))
}

/// `PATIENT` grants `grantee` `actions` on `scope` for `purposes` from now until `end`, and
/// the new consent's id is returned.
pub fn grant(
	grantee: Grantee<u64>,
	scope: ConsentScopeOf<Test>,
	action_list: &[Action],
	purpose_list: &[Purpose],
	end: Option<u64>,
) -> ConsentId {
	let consent = pallet_consent::NextConsentId::<Test>::get();
	frame_support::assert_ok!(Consent::grant(
		RuntimeOrigin::signed(PATIENT),
		PATIENT,
		grantee,
		scope,
		actions(action_list),
		purposes(purpose_list),
		None,
		end,
		None,
	));
	consent
}

/// `PATIENT` grants `DOCTOR` read and append on all records for treatment, without end.
pub fn grant_doctor_treatment() -> ConsentId {
	grant_doctor_treatment_ending(None)
}

/// As [`grant_doctor_treatment`], ending at `end` (exclusive) if given.
pub fn grant_doctor_treatment_ending(end: Option<u64>) -> ConsentId {
	grant(
		Grantee::Account(DOCTOR),
		pallet_consent::ConsentScope::AllRecords,
		&[Action::Read, Action::Append],
		&[Purpose::Treatment],
		end,
	)
}

/// The funds `who` has on hold, for any reason.
pub fn held(who: u64) -> u64 {
	use frame_support::traits::fungible::InspectHold;
	<Balances as InspectHold<u64>>::total_balance_on_hold(&who)
}
