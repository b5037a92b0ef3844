//! Finality by depth: Proof of Work has no finality gadget, so the node finalizes the
//! canonical block `depth` blocks below each new best block. The client then refuses any
//! reorganisation below it, and pruning and clients get a finalized head.
//!
//! A finalized block can never be reorganised away, so a sealer that was cut off from the
//! others must not finalize the blocks it sealed alone: it could never rejoin the consortium's
//! chain. The node therefore finalizes only while it sees the network agree with it (see
//! [`may_finalize`]), and only a block whose descendants up to the best block were sealed by a
//! majority of the sealer set ([`sealed_by_enough`]): what a node's peers say is not enough, as
//! a cut-off sealer may still have peers (its organisation's own full nodes) that follow it.
//! A fork can only outweigh the chain from below the finalized block if its blocks were
//! sealed while the blocks above it were: by the sealers that did not seal those, a minority.
//! The price is liveness: finality waits while fewer than a majority of the sealer set seal.
//! On a development chain or a chain with a single sealer no one else could have sealed a
//! competing chain, and neither check applies.

use crate::service::FullClient;
use futures::StreamExt;
use medchain_primitives::{AccountId, ConsortiumApi};
use sc_client_api::{BlockchainEvents, Finalizer, HeaderBackend};
use sc_network_sync::SyncingService;
use sp_api::ProvideRuntimeApi;
use sp_consensus::SyncOracle;
use sp_runtime::traits::{Block as BlockT, Header};
use std::sync::Arc;

type Block = medchain_runtime::opaque::Block;

/// What the node knows of the other nodes when a new best block arrives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetworkView {
	/// Connected peers.
	pub peers: usize,
	/// Whether the node is catching up with a chain far ahead of its own.
	pub major_syncing: bool,
	/// The highest best block a peer announced, if any did.
	pub best_seen: Option<u32>,
}

/// Whether the node may finalize on top of its new best block `best`, seeing `network`: only
/// when it has peers, is not catching up, and no peer announced a higher block (a peer ahead
/// means this node may be on a minority fork). A skipped finalization is not lost: the next
/// best block finalizes up to its own depth, ancestors included.
pub fn may_finalize(best: u32, network: &NetworkView) -> bool {
	network.peers > 0 && !network.major_syncing && network.best_seen.is_none_or(|seen| seen <= best)
}

/// How many distinct sealers must have sealed the `depth` blocks above a block for it to be
/// finalized, of a set of `sealers`: a majority, or every block's worth when the depth is
/// shorter than a majority (a consortium should set the depth above half its sealers).
pub fn authors_needed(sealers: usize, depth: u32) -> usize {
	majority(sealers).min(usize::try_from(depth).unwrap_or(usize::MAX))
}

/// More than half of `count`.
fn majority(count: usize) -> usize {
	(count / 2).saturating_add(1)
}

/// Whether the blocks above the one to finalize, whose `authors` are given (`None` for a header
/// naming none), were sealed by enough distinct members of `sealers` ([`authors_needed`]).
pub fn sealed_by_enough(
	authors: impl IntoIterator<Item = Option<AccountId>>,
	sealers: &[AccountId],
	depth: u32,
) -> bool {
	let mut distinct: Vec<AccountId> =
		authors.into_iter().flatten().filter(|author| sealers.contains(author)).collect();
	distinct.sort();
	distinct.dedup();
	distinct.len() >= authors_needed(sealers.len(), depth)
}

/// Where the node learns whether it is alone: `None` on a development chain, which
/// finalizes whatever its peers.
pub type Network = Option<Arc<SyncingService<Block>>>;

/// Runs until the client stops sending import notifications.
pub async fn finalize_by_depth(client: Arc<FullClient>, depth: u32, network: Network) {
	let mut imports = client.import_notification_stream();
	let mut warned_shallow = false;
	while let Some(imported) = imports.next().await {
		if !imported.is_new_best {
			continue;
		}
		let best = *imported.header.number();
		let Some(target) = best.checked_sub(depth) else { continue };
		if target <= client.info().finalized_number {
			continue;
		}
		if let Some(sync) = &network {
			let sealers = match client.runtime_api().sealers(imported.hash) {
				Ok(sealers) => sealers,
				Err(e) => {
					// Not knowing the sealers is no reason to finalize without the checks.
					log::warn!(
						target: "finality",
						"Not finalizing #{target}: cannot read the sealer set: {e}"
					);
					continue;
				},
			};
			if authors_needed(sealers.len(), depth) < majority(sealers.len()) && !warned_shallow {
				warned_shallow = true;
				log::warn!(
					target: "finality",
					"--finality-depth {depth} is shorter than a majority of the {} sealers: a \
					 minority of them could finalize a fork of their own. Set it to at least {}.",
					sealers.len(),
					majority(sealers.len()),
				);
			}
			if sealers.len() > 1 {
				let authors = authors_below(&client, imported.hash, depth);
				if !sealed_by_enough(authors, &sealers, depth) {
					log::debug!(
						target: "finality",
						"Not finalizing #{target}: the {depth} blocks above it were sealed by \
						 fewer than {} of the {} sealers",
						authors_needed(sealers.len(), depth),
						sealers.len(),
					);
					continue;
				}
				let view = NetworkView {
					peers: sync.num_connected_peers(),
					major_syncing: sync.is_major_syncing(),
					best_seen: sync.status().await.ok().and_then(|status| status.best_seen_block),
				};
				if !may_finalize(best, &view) {
					log::debug!(
						target: "finality",
						"Not finalizing #{target}: best #{best}, network {view:?}"
					);
					continue;
				}
			}
		}
		let hash = match client.hash(target) {
			Ok(Some(hash)) => hash,
			Ok(None) => continue,
			Err(e) => {
				log::warn!("Cannot find canonical block #{target} to finalize: {e}");
				continue;
			},
		};
		if let Err(e) = client.finalize_block(hash, None, true) {
			log::warn!("Cannot finalize block #{target} ({hash}): {e}");
		}
	}
}

/// The authors of block `best` and of its ancestors, `count` blocks in all (fewer if the
/// chain is shorter or a header cannot be read).
fn authors_below(
	client: &FullClient,
	best: <Block as BlockT>::Hash,
	count: u32,
) -> Vec<Option<AccountId>> {
	let mut authors = Vec::new();
	let mut hash = best;
	for _ in 0..count {
		let Ok(Some(header)) = client.header(hash) else { break };
		authors.push(medchain_pow::author_of(&header));
		hash = *header.parent_hash();
	}
	authors
}

#[cfg(test)]
mod tests {
	use super::*;

	fn view(peers: usize, major_syncing: bool, best_seen: Option<u32>) -> NetworkView {
		NetworkView { peers, major_syncing, best_seen }
	}

	#[test]
	fn a_node_in_step_with_its_peers_finalizes() {
		assert!(may_finalize(20, &view(2, false, Some(20))));
		assert!(may_finalize(20, &view(1, false, Some(19))));
		// Peers that announced nothing yet do not hold it back.
		assert!(may_finalize(20, &view(1, false, None)));
	}

	#[test]
	fn a_node_cut_off_from_every_peer_does_not_finalize() {
		assert!(!may_finalize(20, &view(0, false, None)));
		// What it last saw of peers it lost does not count either.
		assert!(!may_finalize(20, &view(0, false, Some(20))));
	}

	#[test]
	fn a_majority_of_the_sealers_must_have_sealed_the_blocks_above() {
		use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Dave, Eve};
		let sealers: Vec<AccountId> =
			[Alice, Bob, Charlie].iter().map(|key| key.to_account_id()).collect();
		let by = |keys: &[sp_keyring::Sr25519Keyring]| -> Vec<Option<AccountId>> {
			keys.iter().map(|key| Some(key.to_account_id())).collect()
		};
		// A sealer cut off from the others seals every block alone.
		assert!(!sealed_by_enough(by(&[Alice, Alice, Alice]), &sealers, 3));
		assert!(sealed_by_enough(by(&[Alice, Bob, Alice]), &sealers, 3));
		// Accounts outside the set, and headers naming no one, do not count.
		assert!(!sealed_by_enough(by(&[Alice, Dave, Eve]), &sealers, 3));
		assert!(!sealed_by_enough([Some(Alice.to_account_id()), None, None], &sealers, 3));
		// Two sealers of four are no majority: a two-two split finalizes on neither side.
		let four: Vec<AccountId> =
			[Alice, Bob, Charlie, Dave].iter().map(|key| key.to_account_id()).collect();
		assert!(!sealed_by_enough(by(&[Alice, Bob, Alice, Bob]), &four, 4));
		assert!(sealed_by_enough(by(&[Alice, Bob, Charlie, Bob]), &four, 4));
	}

	#[test]
	fn the_authors_needed_are_a_majority_but_no_more_than_the_depth() {
		assert_eq!(authors_needed(2, 10), 2);
		assert_eq!(authors_needed(3, 10), 2);
		assert_eq!(authors_needed(4, 10), 3);
		assert_eq!(authors_needed(64, 10), 10);
		assert_eq!(authors_needed(3, 1), 1);
	}

	#[test]
	fn a_node_behind_a_peer_or_catching_up_does_not_finalize() {
		// Back from a partition, its own fork is shorter than what a peer announces.
		assert!(!may_finalize(20, &view(3, false, Some(21))));
		assert!(!may_finalize(20, &view(3, true, Some(20))));
	}
}
