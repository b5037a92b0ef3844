//! Finality by depth: Proof of Work has no finality gadget, so the node finalizes the
//! canonical block `depth` blocks below each new best block. The client then refuses any
//! reorganisation below it, and pruning and clients get a finalized head.
//!
//! A finalized block can never be reorganised away, so a sealer that was cut off from the
//! others must not finalize the blocks it sealed alone: it could never rejoin the consortium's
//! chain. The node therefore finalizes only while it sees the network agree with it (see
//! [`may_finalize`]), except on a development chain or a chain with a single sealer, where no
//! one else could have sealed a competing chain.

use crate::service::FullClient;
use futures::StreamExt;
use medchain_primitives::ConsortiumApi;
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

/// Where the node learns whether it is alone: `None` on a development chain, which
/// finalizes whatever its peers.
pub type Network = Option<Arc<SyncingService<Block>>>;

/// Runs until the client stops sending import notifications.
pub async fn finalize_by_depth(client: Arc<FullClient>, depth: u32, network: Network) {
	let mut imports = client.import_notification_stream();
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
			if !sole_sealer(&client, imported.hash) {
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

/// Whether at most one account may seal on top of `at`: then no one else could have sealed
/// a competing chain.
fn sole_sealer(client: &FullClient, at: <Block as BlockT>::Hash) -> bool {
	client.runtime_api().sealers(at).is_ok_and(|sealers| sealers.len() <= 1)
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
	fn a_node_behind_a_peer_or_catching_up_does_not_finalize() {
		// Back from a partition, its own fork is shorter than what a peer announces.
		assert!(!may_finalize(20, &view(3, false, Some(21))));
		assert!(!may_finalize(20, &view(3, true, Some(20))));
	}
}
