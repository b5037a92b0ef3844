//! Finality by depth: Proof of Work has no finality gadget, so the node finalizes the
//! canonical block `depth` blocks below each new best block. The client then refuses any
//! reorganisation below it, and pruning and clients get a finalized head.

use crate::service::FullClient;
use futures::StreamExt;
use sc_client_api::{BlockchainEvents, Finalizer, HeaderBackend};
use sp_runtime::traits::Header;
use std::sync::Arc;

/// Runs until the client stops sending import notifications.
pub async fn finalize_by_depth(client: Arc<FullClient>, depth: u32) {
	let mut imports = client.import_notification_stream();
	while let Some(imported) = imports.next().await {
		if !imported.is_new_best {
			continue;
		}
		let Some(target) = imported.header.number().checked_sub(depth) else { continue };
		if target <= client.info().finalized_number {
			continue;
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
