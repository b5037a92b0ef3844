//! Benchmarks of the consortium pallet's calls, worst case: a nearly full sealer set, a full
//! organisation, deposits actually held.

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{fungible::Mutate, EnsureOrigin, Get},
	BoundedVec,
};
use medchain_primitives::health::{OrgId, OrgKind, Role, Roles};
use sp_runtime::traits::Bounded;

/// Gives `who` plenty of funds for deposits (a millionth of the largest balance, so that many
/// funded accounts do not overflow the total issuance).
fn fund<T: Config>(who: &T::AccountId) {
	let _ = T::Currency::set_balance(who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
}

/// Every role, so the stored set is as large as it gets.
fn all_roles() -> Roles {
	BoundedVec::truncate_from(alloc::vec![
		Role::Clinician,
		Role::Nurse,
		Role::Emergency,
		Role::Pharmacist,
		Role::LabTechnician,
		Role::RecordsClerk,
		Role::Auditor,
		Role::Researcher,
		Role::KeyCustodian,
	])
}

/// Registers an organisation managed by a funded admin holding `members` members (added
/// through the call, so their deposits are held); returns it, its admin and the members.
fn organisation_with_members<T: Config>(
	members: u32,
) -> Result<(OrgId, T::AccountId, Vec<T::AccountId>), BenchmarkError> {
	let admin: T::AccountId = account("admin", 0, 0);
	fund::<T>(&admin);
	let origin =
		T::OrganisationOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
	let org = NextOrganisationId::<T>::get();
	Pallet::<T>::register_organisation(origin, OrgKind::Hospital, benchmark_gln(1), admin.clone())?;
	let accounts: Vec<T::AccountId> = (0..members).map(|i| account("member", i, 0)).collect();
	for member in &accounts {
		Pallet::<T>::add_member(
			frame_system::RawOrigin::Signed(admin.clone()).into(),
			org,
			member.clone(),
			all_roles(),
		)?;
	}
	Ok((org, admin, accounts))
}

/// A 12-digit company prefix for each `index` (below 1,000), none sharing its first four
/// digits with another's, so that each counts itself under shorter runs of digits of its own:
/// the most storage a prefix can touch.
fn company_prefix(index: u32) -> CompanyPrefix {
	let digits = alloc::format!("{}00000000", 1000u32.saturating_add(index));
	CompanyPrefix::truncate_from(digits.into_bytes())
}

/// Makes `org` hold [`company_prefix`]`(index)`.
fn hold_prefix<T: Config>(org: OrgId, index: u32) -> Result<(), BenchmarkError> {
	Pallet::<T>::do_assign_company_prefix(org, company_prefix(index))
		.map_err(|_| BenchmarkError::Stop("the company prefix was refused"))
}

fn fill_sealers<T: Config>(count: u32) -> Vec<T::AccountId> {
	let mut sealers: Vec<T::AccountId> = (0..count).map(|i| account("sealer", i, 0)).collect();
	sealers.sort();
	let bounded: BoundedVec<_, T::MaxSealers> =
		sealers.clone().try_into().expect("count is at most MaxSealers");
	Sealers::<T>::put(bounded);
	sealers
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// `s`: sealers already in the set.
	#[benchmark]
	fn add_sealer(s: Linear<1, { T::MaxSealers::get() - 1 }>) -> Result<(), BenchmarkError> {
		fill_sealers::<T>(s);
		let origin =
			T::SealerOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let new_sealer: T::AccountId = account("new", 0, 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, new_sealer.clone());

		assert!(Pallet::<T>::is_sealer(&new_sealer));
		Ok(())
	}

	/// `s`: sealers in the set before the removal.
	#[benchmark]
	fn remove_sealer(s: Linear<2, { T::MaxSealers::get() }>) -> Result<(), BenchmarkError> {
		let sealers = fill_sealers::<T>(s);
		let origin =
			T::SealerOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let gone = sealers[0].clone();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, gone.clone());

		assert!(!Pallet::<T>::is_sealer(&gone));
		Ok(())
	}

	#[benchmark]
	fn register_organisation() -> Result<(), BenchmarkError> {
		let origin = T::OrganisationOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;
		let admin: T::AccountId = account("admin", 0, 0);
		let org = NextOrganisationId::<T>::get();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, OrgKind::Hospital, benchmark_gln(7), admin);

		assert!(Organisations::<T>::contains_key(org));
		Ok(())
	}

	/// Worst case: the GLN changes, so the index is rewritten.
	#[benchmark]
	fn update_organisation() -> Result<(), BenchmarkError> {
		let (org, admin, _) = organisation_with_members::<T>(0)?;
		let origin = T::OrganisationOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, org, OrgKind::Clinic, benchmark_gln(8), admin);

		assert_eq!(OrganisationByGln::<T>::get(benchmark_gln(8)), Some(org));
		Ok(())
	}

	/// `p` company prefixes to free. Deregistering does not touch the members: their number
	/// does not matter.
	#[benchmark]
	fn deregister_organisation(
		p: Linear<0, { T::MaxCompanyPrefixes::get() }>,
	) -> Result<(), BenchmarkError> {
		let (org, _, _) = organisation_with_members::<T>(1)?;
		for index in 0..p {
			hold_prefix::<T>(org, index)?;
		}
		let origin = T::OrganisationOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, org);

		assert!(!Organisations::<T>::contains_key(org));
		assert!(CompanyPrefixesOf::<T>::get(org).is_empty());
		Ok(())
	}

	/// Worst case: the longest prefix, so every shorter one is looked up, assigned as the
	/// organisation's last free place.
	#[benchmark]
	fn assign_company_prefix() -> Result<(), BenchmarkError> {
		let (org, _, _) = organisation_with_members::<T>(1)?;
		for index in 1..T::MaxCompanyPrefixes::get() {
			hold_prefix::<T>(org, index)?;
		}
		let prefix = company_prefix(0);
		let origin = T::OrganisationOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, org, prefix.clone());

		assert_eq!(CompanyPrefixHolders::<T>::get(&prefix), Some(org));
		Ok(())
	}

	/// Worst case: the organisation holds as many prefixes as it may, the revoked one last.
	#[benchmark]
	fn revoke_company_prefix() -> Result<(), BenchmarkError> {
		let (org, _, _) = organisation_with_members::<T>(1)?;
		for index in 0..T::MaxCompanyPrefixes::get() {
			hold_prefix::<T>(org, index)?;
		}
		let prefix = company_prefix(T::MaxCompanyPrefixes::get().saturating_sub(1));
		let origin = T::OrganisationOrigin::try_successful_origin()
			.map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, prefix.clone());

		assert!(!CompanyPrefixHolders::<T>::contains_key(&prefix));
		Ok(())
	}

	/// Worst case: the last free place of the organisation, every role.
	#[benchmark]
	fn add_member() -> Result<(), BenchmarkError> {
		let (org, admin, _) =
			organisation_with_members::<T>(T::MaxMembersPerOrganisation::get() - 1)?;
		let member: T::AccountId = account("new", 0, 0);

		#[extrinsic_call]
		_(frame_system::RawOrigin::Signed(admin), org, member.clone(), all_roles());

		assert!(Members::<T>::contains_key(&member));
		Ok(())
	}

	#[benchmark]
	fn set_member_roles() -> Result<(), BenchmarkError> {
		let (org, admin, members) = organisation_with_members::<T>(1)?;
		let member = members[0].clone();
		let roles = BoundedVec::truncate_from(alloc::vec![Role::Auditor]);

		#[extrinsic_call]
		_(frame_system::RawOrigin::Signed(admin), org, member.clone(), roles.clone());

		assert_eq!(Members::<T>::get(&member).map(|m| m.roles), Some(roles));
		Ok(())
	}

	/// Worst case: the admin removes a member of a registered organisation.
	#[benchmark]
	fn remove_member() -> Result<(), BenchmarkError> {
		let (org, admin, members) = organisation_with_members::<T>(1)?;
		let member = members[0].clone();

		#[extrinsic_call]
		_(frame_system::RawOrigin::Signed(admin), org, member.clone());

		assert!(!Members::<T>::contains_key(&member));
		Ok(())
	}

	/// Worst case: a first publication, which holds the deposit.
	#[benchmark]
	fn publish_encryption_key() {
		let who: T::AccountId = whitelisted_caller();
		fund::<T>(&who);

		#[extrinsic_call]
		_(frame_system::RawOrigin::Signed(who.clone()), [7u8; 32]);

		assert_eq!(Pallet::<T>::encryption_key(&who), Some([7u8; 32]));
	}

	#[benchmark]
	fn remove_encryption_key() -> Result<(), BenchmarkError> {
		let who: T::AccountId = whitelisted_caller();
		fund::<T>(&who);
		Pallet::<T>::publish_encryption_key(
			frame_system::RawOrigin::Signed(who.clone()).into(),
			[7u8; 32],
		)?;

		#[extrinsic_call]
		_(frame_system::RawOrigin::Signed(who.clone()));

		assert_eq!(Pallet::<T>::encryption_key(&who), None);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
