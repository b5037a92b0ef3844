//! Property test: over random sequences of calls by several organisations, custody is single
//! and always known, containers' counters are exact, and `verify` agrees.
//!
//! A reference model tracks where every item should be, updated only when a call succeeds;
//! a call that moves an item must only succeed if the model says the caller's organisation
//! held it. After every step the chain must agree with the model and with itself:
//! - every pack and container is held by one organisation, or is in exactly one shipment in
//!   transit that lists it, or is inside one container whose outermost ancestor (at most
//!   `MaxNestingDepth - 1` parents up) is so;
//! - each container's child count, per-batch pack counts and quarantine count are those of
//!   the items actually inside it;
//! - `verify` names the same custodian, outermost container and status.

use crate::{
	mock::*, Batches, Containers, Custody, DecommissionReason, Epc, PackState, PackStatus, Packs,
	Position, Sgtin, ShipmentId, Shipments, Sscc,
};
use frame_support::traits::Get;
use medchain_primitives::health::{OrgId, Organisations};
use proptest::prelude::*;
use sp_core::H256;
use std::collections::BTreeMap;

/// The accounts that act: a member of each organisation.
const ACTORS: [u64; 5] = [MAKER_STAFF, WHOLESALE_STAFF, PHARMACIST, HOSPITAL_PHARMACIST, INSPECTOR];
/// The organisations goods are shipped to.
const BUYERS: [OrgId; 4] = [MAKER, WHOLESALER, PHARMACY, HOSPITAL];
/// The lots packs are commissioned in, with their expiry dates.
const LOTS: [(&str, [u8; 6]); 3] = [("LOT-A", EXPIRY), ("LOT-B", *b"240300"), ("LOT-C", EXPIRY)];
/// How many SSCCs the sequences use.
const CONTAINERS: u32 = 6;

/// SSCC `n` of the sequences: under the prefix of the maker (1, 2), the wholesaler (3, 4),
/// the pharmacy (5) or the hospital (6), so that each may number some containers and not
/// the others'.
fn container(n: u32) -> Sscc {
	match n {
		1 | 2 => sscc(n),
		3 | 4 => sscc_of(WHOLESALER, n),
		5 => sscc_of(PHARMACY, n),
		_ => sscc_of(HOSPITAL, n),
	}
}

/// Who acts: `None` is a member of the organisation the model says is concerned (the
/// custodian of the first item, the buyer of a shipment), so most calls can succeed;
/// `Some(i)` is `ACTORS[i]`, whoever that is, so unauthorised calls are tried too.
type Actor = Option<usize>;

/// One call of a random sequence; indices pick among the items or shipments that exist when
/// the step runs. With `Actor = None`, further items are picked among those at the same place
/// as the first (held by the same organisation, or inside the same container).
#[derive(Clone, Debug)]
enum Op {
	Commission { lot: usize, count: u8 },
	Aggregate { actor: Actor, parent: u32, children: Vec<usize> },
	Disaggregate { actor: Actor, parent: u32, children: Vec<usize> },
	Ship { actor: Actor, buyer: usize, items: Vec<usize> },
	Receive { actor: Actor, shipment: usize },
	Reject { actor: Actor, shipment: usize },
	Cancel { actor: Actor, shipment: usize },
	Dispense { actor: Actor, pack: usize },
	Decommission { actor: Actor, pack: usize, reason: usize },
	Revert { actor: Actor, pack: usize },
	Recall { actor: Actor, lot: usize },
	Suspect { actor: Actor, pack: usize },
	Clear { pack: usize },
	Illegitimate { pack: usize },
	PurgePack { pack: usize },
	PurgeContainer { parent: u32 },
	Advance { days: u16 },
}

fn op() -> impl Strategy<Value = Op> {
	let actor = prop_oneof![3 => Just(None), 1 => (0..ACTORS.len()).prop_map(Some)];
	let index = any::<usize>();
	let indices = proptest::collection::vec(any::<usize>(), 1..4);
	let parent = 1..=CONTAINERS;
	// Relative weights: about one long jump in time (past expiry and retention) per sequence.
	prop_oneof![
		8 => (0..LOTS.len(), 1u8..4).prop_map(|(lot, count)| Op::Commission { lot, count }),
		10 => (actor.clone(), parent.clone(), indices.clone())
			.prop_map(|(actor, parent, children)| Op::Aggregate { actor, parent, children }),
		7 => (actor.clone(), parent.clone(), indices.clone())
			.prop_map(|(actor, parent, children)| Op::Disaggregate { actor, parent, children }),
		14 => (actor.clone(), 0..BUYERS.len(), indices)
			.prop_map(|(actor, buyer, items)| Op::Ship { actor, buyer, items }),
		10 => (actor.clone(), index)
			.prop_map(|(actor, shipment)| Op::Receive { actor, shipment }),
		3 => (actor.clone(), index)
			.prop_map(|(actor, shipment)| Op::Reject { actor, shipment }),
		2 => (actor.clone(), index)
			.prop_map(|(actor, shipment)| Op::Cancel { actor, shipment }),
		5 => (actor.clone(), index).prop_map(|(actor, pack)| Op::Dispense { actor, pack }),
		3 => (actor.clone(), index, 0..5usize)
			.prop_map(|(actor, pack, reason)| Op::Decommission { actor, pack, reason }),
		3 => (actor.clone(), index).prop_map(|(actor, pack)| Op::Revert { actor, pack }),
		2 => (actor.clone(), 0..LOTS.len()).prop_map(|(actor, lot)| Op::Recall { actor, lot }),
		3 => (actor, index).prop_map(|(actor, pack)| Op::Suspect { actor, pack }),
		2 => index.prop_map(|pack| Op::Clear { pack }),
		2 => index.prop_map(|pack| Op::Illegitimate { pack }),
		3 => index.prop_map(|pack| Op::PurgePack { pack }),
		2 => parent.prop_map(|parent| Op::PurgeContainer { parent }),
		4 => (0u16..12).prop_map(|days| Op::Advance { days }),
		1 => (300u16..1_200).prop_map(|days| Op::Advance { days }),
	]
}

/// Where the model says each item is, and the shipments it knows of.
#[derive(Default)]
struct Model {
	positions: BTreeMap<Epc, Position>,
	shipments: BTreeMap<ShipmentId, (OrgId, OrgId, Vec<Epc>)>,
	next_serial: u32,
}

impl Model {
	/// The packs the model knows, in a stable order.
	fn packs(&self) -> Vec<Sgtin> {
		self.positions
			.keys()
			.filter_map(|epc| match epc {
				Epc::Sgtin(sgtin) => Some(sgtin.clone()),
				Epc::Sscc(_) => None,
			})
			.collect()
	}

	/// Every item the model knows plus every SSCC the sequences use.
	fn items(&self) -> Vec<Epc> {
		let mut items: Vec<Epc> = self.packs().into_iter().map(Epc::Sgtin).collect();
		items.extend((1..=CONTAINERS).map(|n| Epc::Sscc(container(n))));
		items
	}

	fn pick_pack(&self, index: usize) -> Option<Sgtin> {
		let packs = self.packs();
		(!packs.is_empty()).then(|| packs[index % packs.len()].clone())
	}

	/// Items by index; if `coherent`, the second and later ones among the items at the same
	/// position as the first.
	fn pick_items(&self, indices: &[usize], coherent: bool) -> Vec<Epc> {
		let items = self.items();
		let top_level: Vec<Epc> = self
			.positions
			.iter()
			.filter(|(_, position)| matches!(position, Position::Held(_)))
			.map(|(epc, _)| epc.clone())
			.collect();
		let first = if coherent && !top_level.is_empty() {
			top_level[indices[0] % top_level.len()].clone()
		} else {
			items[indices[0] % items.len()].clone()
		};
		let mut picked = vec![first.clone()];
		let alike: Vec<Epc> = match (coherent, self.positions.get(&first)) {
			(true, Some(position)) => self
				.positions
				.iter()
				.filter(|(_, other)| *other == position)
				.map(|(epc, _)| epc.clone())
				.collect(),
			_ => items,
		};
		picked.extend(indices[1..].iter().map(|index| alike[index % alike.len()].clone()));
		if coherent {
			picked.sort();
			picked.dedup();
		}
		picked
	}

	/// A container and items inside it, by index: if `coherent`, a top-level container
	/// holding items and some of those; else SSCC `parent` and any items.
	fn pick_children(&self, parent: u32, indices: &[usize], coherent: bool) -> (u32, Vec<Epc>) {
		let parents: Vec<u32> = (1..=CONTAINERS)
			.filter(|n| {
				matches!(self.positions.get(&Epc::Sscc(container(*n))), Some(Position::Held(_)))
					&& self.positions.values().any(|p| *p == Position::Inside(container(*n)))
			})
			.collect();
		if !coherent || parents.is_empty() {
			return (parent, self.pick_items(indices, false));
		}
		let parent = parents[parent as usize % parents.len()];
		let inside: Vec<Epc> = self
			.positions
			.iter()
			.filter(|(_, position)| **position == Position::Inside(container(parent)))
			.map(|(epc, _)| epc.clone())
			.collect();
		(parent, indices.iter().map(|index| inside[index % inside.len()].clone()).collect())
	}

	/// The organisation holding `epc` at top level, or through its outermost container.
	fn custodian(&self, epc: &Epc) -> Option<OrgId> {
		let mut position = self.positions.get(epc)?.clone();
		for _ in 0..4 {
			match position {
				Position::Held(org) => return Some(org),
				Position::InTransit(id) => return self.shipments.get(&id).map(|s| s.0),
				Position::Inside(parent) => {
					position = self.positions.get(&Epc::Sscc(parent))?.clone()
				},
			}
		}
		None
	}

	fn pick_shipment(&self, index: usize) -> ShipmentId {
		let ids: Vec<ShipmentId> = self.shipments.keys().copied().collect();
		if ids.is_empty() {
			u64::MAX
		} else {
			ids[index % ids.len()]
		}
	}

	/// Whether the model says `org` holds `epc` at top level.
	fn holds(&self, org: OrgId, epc: &Epc) -> bool {
		self.positions.get(epc) == Some(&Position::Held(org))
	}
}

fn org_of(who: u64) -> OrgId {
	MockOrganisations::organisation_of(&who).expect("every actor is a member")
}

/// A member of `org` among the actors (the maker's if none).
fn member_of(org: Option<OrgId>) -> u64 {
	match org {
		Some(WHOLESALER) => WHOLESALE_STAFF,
		Some(PHARMACY) => PHARMACIST,
		Some(HOSPITAL) => HOSPITAL_PHARMACIST,
		Some(REGULATOR) => INSPECTOR,
		_ => MAKER_STAFF,
	}
}

/// The account acting for `actor`, `concerned` being the organisation concerned.
fn account(actor: Actor, concerned: Option<OrgId>) -> u64 {
	actor.map_or_else(|| member_of(concerned), |index| ACTORS[index])
}

/// Runs `op` on the chain and, if it succeeds, on the model, checking that custody-changing
/// calls only succeed for the organisation the model says holds the items.
fn apply(model: &mut Model, op: &Op) {
	match op {
		Op::Commission { lot, count } => {
			let texts: Vec<String> =
				(0..*count).map(|i| format!("P{}", model.next_serial + u32::from(i))).collect();
			let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
			let (lot_text, expiry) = LOTS[*lot];
			if SupplyChain::commission(
				RuntimeOrigin::signed(MAKER_STAFF),
				product(),
				crate::mock::lot(lot_text),
				expiry,
				serials(&refs),
			)
			.is_ok()
			{
				model.next_serial += u32::from(*count);
				for text in texts {
					model.positions.insert(pack_epc(&text), Position::Held(MAKER));
				}
			}
		},
		Op::Aggregate { actor, parent, children } => {
			let children = model.pick_items(children, actor.is_none());
			let who = account(*actor, model.custodian(&children[0]));
			let org = org_of(who);
			let parent_epc = Epc::Sscc(container(*parent));
			let result = SupplyChain::aggregate(
				RuntimeOrigin::signed(who),
				container(*parent),
				epcs(&children),
			);
			if result.is_ok() {
				let parent_known = model.positions.contains_key(&parent_epc);
				assert!(
					!parent_known || model.holds(org, &parent_epc),
					"{org} packed into {parent} it does not hold"
				);
				assert!(
					parent_known
						|| MockOrganisations::sscc_prefix_holder(&container(*parent)) == Some(org),
					"{org} numbered container {parent} under another company's prefix"
				);
				model.positions.entry(parent_epc).or_insert(Position::Held(org));
				for child in children {
					assert!(model.holds(org, &child), "{org} packed {child:?} it does not hold");
					model.positions.insert(child, Position::Inside(container(*parent)));
				}
			}
		},
		Op::Disaggregate { actor, parent, children } => {
			let (parent, children) = model.pick_children(*parent, children, actor.is_none());
			let parent = &parent;
			let who = account(*actor, model.custodian(&Epc::Sscc(container(*parent))));
			let org = org_of(who);
			let result = SupplyChain::disaggregate(
				RuntimeOrigin::signed(who),
				container(*parent),
				epcs(&children),
			);
			if result.is_ok() {
				assert!(model.holds(org, &Epc::Sscc(container(*parent))));
				for child in children {
					assert_eq!(
						model.positions.get(&child),
						Some(&Position::Inside(container(*parent)))
					);
					model.positions.insert(child, Position::Held(org));
				}
			}
		},
		Op::Ship { actor, buyer, items } => {
			let items = model.pick_items(items, actor.is_none());
			let who = account(*actor, model.custodian(&items[0]));
			let org = org_of(who);
			let buyers: Vec<OrgId> = match actor {
				None => BUYERS.iter().copied().filter(|buyer| *buyer != org).collect(),
				Some(_) => BUYERS.to_vec(),
			};
			let buyer = buyers[*buyer % buyers.len()];
			let shipment = crate::NextShipmentId::<Test>::get();
			let result = SupplyChain::ship(
				RuntimeOrigin::signed(who),
				buyer,
				epcs(&items),
				H256::repeat_byte(1),
			);
			if result.is_ok() {
				for item in &items {
					assert!(model.holds(org, item), "{org} shipped {item:?} it does not hold");
					model.positions.insert(item.clone(), Position::InTransit(shipment));
				}
				model.shipments.insert(shipment, (org, buyer, items));
			}
		},
		Op::Receive { actor, shipment } | Op::Reject { actor, shipment } => {
			let id = model.pick_shipment(*shipment);
			let who = account(*actor, model.shipments.get(&id).map(|s| s.1));
			let org = org_of(who);
			let receiving = matches!(op, Op::Receive { .. });
			let result = if receiving {
				SupplyChain::receive(RuntimeOrigin::signed(who), id)
			} else {
				SupplyChain::reject(RuntimeOrigin::signed(who), id)
			};
			if result.is_ok() {
				let (seller, buyer, items) =
					model.shipments.remove(&id).expect("only known shipments succeed");
				assert_eq!(buyer, org, "{org} closed a shipment addressed to {buyer}");
				let custodian = if receiving { buyer } else { seller };
				for item in items {
					model.positions.insert(item, Position::Held(custodian));
				}
			}
		},
		Op::Cancel { actor, shipment } => {
			let id = model.pick_shipment(*shipment);
			let who = account(*actor, model.shipments.get(&id).map(|s| s.0));
			let org = org_of(who);
			if SupplyChain::cancel_shipment(RuntimeOrigin::signed(who), id).is_ok() {
				let (seller, _, items) =
					model.shipments.remove(&id).expect("only known shipments succeed");
				assert_eq!(seller, org, "{org} cancelled a shipment sent by {seller}");
				for item in items {
					model.positions.insert(item, Position::Held(seller));
				}
			}
		},
		Op::Dispense { actor, pack } | Op::Decommission { actor, pack, .. } => {
			let at_pharmacies: Vec<Sgtin> = model
				.packs()
				.into_iter()
				.filter(|sgtin| {
					matches!(
						model.positions.get(&Epc::Sgtin(sgtin.clone())),
						Some(Position::Held(PHARMACY | HOSPITAL))
					)
				})
				.collect();
			let sgtin = match (actor, op) {
				(None, Op::Dispense { .. }) if !at_pharmacies.is_empty() => {
					at_pharmacies[*pack % at_pharmacies.len()].clone()
				},
				_ => match model.pick_pack(*pack) {
					Some(sgtin) => sgtin,
					None => return,
				},
			};
			let who = account(*actor, model.custodian(&Epc::Sgtin(sgtin.clone())));
			let org = org_of(who);
			let result = match op {
				Op::Decommission { reason, .. } => SupplyChain::decommission(
					RuntimeOrigin::signed(who),
					sgtin.clone(),
					[
						DecommissionReason::Destroyed,
						DecommissionReason::Stolen,
						DecommissionReason::Sample,
						DecommissionReason::Exported,
						DecommissionReason::SuppliedToInstitution,
					][*reason],
				),
				_ => SupplyChain::dispense(RuntimeOrigin::signed(who), sgtin.clone()),
			};
			if result.is_ok() {
				assert!(
					model.holds(org, &Epc::Sgtin(sgtin)),
					"{org} took out a pack it does not hold"
				);
			}
		},
		Op::Revert { actor, pack } => {
			if let Some(sgtin) = model.pick_pack(*pack) {
				let who = account(*actor, model.custodian(&Epc::Sgtin(sgtin.clone())));
				let _ = SupplyChain::revert_decommission(RuntimeOrigin::signed(who), sgtin);
			}
		},
		Op::Recall { actor, lot } => {
			let who = account(*actor, Some(REGULATOR));
			let _ = SupplyChain::recall(
				RuntimeOrigin::signed(who),
				product(),
				crate::mock::lot(LOTS[*lot].0),
			);
		},
		Op::Suspect { actor, pack } => {
			if let Some(sgtin) = model.pick_pack(*pack) {
				let who = account(*actor, model.custodian(&Epc::Sgtin(sgtin.clone())));
				let _ = SupplyChain::mark_suspect(RuntimeOrigin::signed(who), sgtin);
			}
		},
		Op::Clear { pack } => {
			if let Some(sgtin) = model.pick_pack(*pack) {
				let _ = SupplyChain::clear_suspect(RuntimeOrigin::signed(INSPECTOR), sgtin);
			}
		},
		Op::Illegitimate { pack } => {
			if let Some(sgtin) = model.pick_pack(*pack) {
				let _ = SupplyChain::confirm_illegitimate(RuntimeOrigin::signed(INSPECTOR), sgtin);
			}
		},
		Op::PurgePack { pack } => {
			if let Some(sgtin) = model.pick_pack(*pack) {
				if SupplyChain::purge_pack(RuntimeOrigin::signed(STRANGER), sgtin.clone()).is_ok() {
					let position = model.positions.remove(&Epc::Sgtin(sgtin));
					assert!(matches!(position, Some(Position::Held(_))));
				}
			}
		},
		Op::PurgeContainer { parent } => {
			let epc = Epc::Sscc(container(*parent));
			if SupplyChain::purge_container(RuntimeOrigin::signed(STRANGER), container(*parent))
				.is_ok()
			{
				let position = model.positions.remove(&epc);
				assert!(matches!(position, Some(Position::Held(_))));
				assert!(model
					.positions
					.values()
					.all(|p| *p != Position::Inside(container(*parent))));
			}
		},
		Op::Advance { days } => {
			set_now(Timestamp::get() + u64::from(*days) * DAY);
		},
	}
}

/// The chain's position of `epc`, if it exists.
fn chain_position(epc: &Epc) -> Option<Position> {
	match epc {
		Epc::Sgtin(sgtin) => Packs::<Test>::get(sgtin).map(|pack| pack.position),
		Epc::Sscc(sscc) => Containers::<Test>::get(sscc).map(|container| container.position),
	}
}

/// Follows parents from `epc` to its outermost container: (outermost container, top-level
/// position), checking the depth and that every parent exists.
fn root_of(epc: &Epc) -> (Option<crate::Sscc>, Position) {
	let depth: u32 = <Test as crate::Config>::MaxNestingDepth::get();
	let mut position = chain_position(epc).expect("the item exists");
	let mut outermost = None;
	for _ in 0..depth {
		match position {
			Position::Inside(parent) => {
				outermost = Some(parent);
				position = Containers::<Test>::get(parent).expect("a parent exists").position;
			},
			top_level => return (outermost, top_level),
		}
	}
	panic!("{epc:?} is nested deeper than MaxNestingDepth");
}

/// Every check of the module documentation.
fn check_invariants(model: &Model) {
	let now = Timestamp::get();
	// The chain and the model agree on every item's position, and know the same items.
	let mut chain_items: Vec<Epc> = Packs::<Test>::iter_keys().map(Epc::Sgtin).collect::<Vec<_>>();
	chain_items.extend(Containers::<Test>::iter_keys().map(Epc::Sscc));
	chain_items.sort();
	let model_items: Vec<Epc> = model.positions.keys().cloned().collect();
	assert_eq!(chain_items, model_items, "the chain and the model know the same items");
	for (epc, position) in &model.positions {
		assert_eq!(chain_position(epc).as_ref(), Some(position), "{epc:?}");
	}

	// Shipments in transit: the model's, each item in exactly one, positioned in it.
	let chain_shipments: Vec<ShipmentId> = Shipments::<Test>::iter_keys().collect();
	let mut sorted_shipments = chain_shipments.clone();
	sorted_shipments.sort();
	assert_eq!(sorted_shipments, model.shipments.keys().copied().collect::<Vec<_>>());
	let mut shipped: BTreeMap<Epc, ShipmentId> = BTreeMap::new();
	for (id, shipment) in Shipments::<Test>::iter() {
		for item in shipment.items.iter() {
			assert!(shipped.insert(item.clone(), id).is_none(), "{item:?} in two shipments");
			assert_eq!(chain_position(item), Some(Position::InTransit(id)));
		}
	}

	// Containers' counters are those of what is inside them.
	for (sscc, container) in Containers::<Test>::iter() {
		let mut children = 0u32;
		let mut batches: BTreeMap<u64, u32> = BTreeMap::new();
		let mut quarantined = 0u32;
		for (sgtin, pack) in Packs::<Test>::iter() {
			if pack.position == Position::Inside(sscc) {
				children += 1;
			}
			let mut position = pack.position.clone();
			while let Position::Inside(parent) = position {
				if parent == sscc {
					*batches.entry(pack.batch).or_default() += 1;
					if pack.state.is_quarantined() {
						quarantined += 1;
					}
					break;
				}
				position = Containers::<Test>::get(parent).unwrap().position;
			}
			let _ = sgtin;
		}
		children += Containers::<Test>::iter_values()
			.filter(|other| other.position == Position::Inside(sscc))
			.count() as u32;
		assert_eq!(container.children, children, "children of {sscc:?}");
		let counted: BTreeMap<u64, u32> = container.batches.iter().copied().collect();
		assert_eq!(counted, batches, "batches of {sscc:?}");
		assert_eq!(container.batches.len(), counted.len(), "a batch counted twice");
		assert_eq!(container.quarantined, quarantined, "quarantined in {sscc:?}");
		assert!(container.height <= <Test as crate::Config>::MaxNestingDepth::get());
	}

	// Every pack has one custodian, and verify names it.
	for (sgtin, pack) in Packs::<Test>::iter() {
		let epc = Epc::Sgtin(sgtin.clone());
		let (outermost, root) = root_of(&epc);
		let expected_custody = match root {
			Position::Held(org) => {
				assert!(MockOrganisations::organisation_kind(org).is_some());
				let root_epc = outermost.map_or(epc.clone(), Epc::Sscc);
				assert!(!shipped.contains_key(&root_epc), "{root_epc:?} held and in transit");
				Custody::Held(org)
			},
			Position::InTransit(id) => {
				let root_epc = outermost.map_or(epc.clone(), Epc::Sscc);
				assert_eq!(shipped.get(&root_epc), Some(&id), "{root_epc:?} not listed in {id}");
				let (seller, buyer, _) = &model.shipments[&id];
				Custody::InTransit { shipment: id, seller: *seller, buyer: *buyer }
			},
			Position::Inside(_) => unreachable!("root_of returns a top-level position"),
		};
		let verification = SupplyChain::verify(&sgtin);
		assert_eq!(verification.custody, Some(expected_custody.clone()), "{sgtin:?}");
		assert_eq!(verification.container, outermost);

		let batch = Batches::<Test>::get(pack.batch).expect("a pack's batch exists");
		let recalled = batch.recall.is_some();
		let expired = now >= batch.expires_at;
		let expected_status = match pack.state {
			PackState::Illegitimate { .. } => PackStatus::Illegitimate,
			_ if recalled => PackStatus::Recalled,
			PackState::Suspect { .. } => PackStatus::Suspect,
			PackState::Decommissioned { reason, .. } => PackStatus::Decommissioned(reason),
			PackState::Dispensed { .. } => PackStatus::Dispensed,
			PackState::Active if expired => PackStatus::Expired,
			PackState::Active if matches!(expected_custody, Custody::InTransit { .. }) => {
				PackStatus::InTransit
			},
			PackState::Active => PackStatus::Active,
		};
		assert_eq!(verification.status, expected_status, "{sgtin:?}");
		assert_eq!((verification.recalled, verification.expired), (recalled, expired));
		// Only active packs travel or sit in containers.
		if !matches!(pack.state, PackState::Active) && !pack.state.is_quarantined() {
			assert!(matches!(pack.position, Position::Held(_)), "{sgtin:?} out of chain but moved");
		}
	}
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

	#[test]
	fn custody_is_single_and_always_known(ops in proptest::collection::vec(op(), 1..100)) {
		new_test_ext().execute_with(|| {
			let mut model = Model::default();
			for op in &ops {
				apply(&mut model, op);
				check_invariants(&model);
			}
		});
	}
}

/// The property test's own check: a sequence known to exercise nesting, shipping in
/// containers, quarantine inside containers and recall keeps every invariant.
#[test]
fn a_known_sequence_keeps_the_invariants() {
	new_test_ext().execute_with(|| {
		let mut model = Model::default();
		let ops = [
			Op::Commission { lot: 0, count: 3 },
			Op::Commission { lot: 1, count: 2 },
			// Packs P0..P4 are items 0..4, SSCCs 1..6 items 5..10.
			Op::Aggregate { actor: Some(0), parent: 1, children: vec![0, 1, 3] },
			Op::Aggregate { actor: Some(0), parent: 2, children: vec![5, 2] },
			Op::Suspect { actor: Some(0), pack: 0 },
			Op::Ship { actor: Some(0), buyer: 1, items: vec![6] },
			Op::Clear { pack: 0 },
			Op::Ship { actor: Some(0), buyer: 1, items: vec![6, 4] },
			Op::Receive { actor: Some(1), shipment: 0 },
			Op::Recall { actor: Some(4), lot: 1 },
			Op::Disaggregate { actor: Some(1), parent: 2, children: vec![5] },
			Op::Disaggregate { actor: Some(1), parent: 1, children: vec![3] },
			Op::Ship { actor: Some(1), buyer: 2, items: vec![5] },
			Op::Receive { actor: Some(2), shipment: 0 },
			Op::Disaggregate { actor: Some(2), parent: 1, children: vec![0] },
			Op::Dispense { actor: Some(2), pack: 0 },
			Op::Advance { days: 199 },
			Op::Advance { days: 199 },
			Op::Advance { days: 199 },
			Op::Advance { days: 199 },
			Op::Advance { days: 199 },
			Op::Advance { days: 199 },
			Op::PurgePack { pack: 0 },
		];
		for op in &ops {
			apply(&mut model, op);
			check_invariants(&model);
		}
		assert_eq!(model.positions.get(&pack_epc("P1")), Some(&Position::Inside(container(1))));
		assert_eq!(model.positions.get(&Epc::Sscc(container(1))), Some(&Position::Held(PHARMACY)));
		assert!(!model.positions.contains_key(&pack_epc("P0")), "dispensed and purged");
	});
}
