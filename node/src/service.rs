//! Assembles the MedChain node: client, ParityDB backend, transaction pool, PoW import
//! queue, networking, RPC, off-chain workers, mining and finality by depth.

use crate::{cli::NodeOptions, finality, mining};
use futures::FutureExt;
use medchain_pow::{ConsortiumPow, RuntimeQueries};
use medchain_primitives::{ConsortiumApi, SEALER_KEY_TYPE};
use medchain_runtime::{apis::RuntimeApi, opaque::Block};
use sc_client_api::Backend;
use sc_service::{error::Error as ServiceError, Configuration, TaskManager};
use sc_telemetry::{Telemetry, TelemetryWorker};
use sc_transaction_pool_api::OffchainTransactionPoolFactory;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_keystore::Keystore;
use sp_runtime::traits::Block as BlockT;
use std::{sync::Arc, time::Duration};

/// What the node offers the Wasm runtime; a benchmarking node (whose runtime is built with
/// benchmarks) also offers the benchmarks' own.
#[cfg(not(feature = "runtime-benchmarks"))]
type HostFunctions = sp_io::SubstrateHostFunctions;
#[cfg(feature = "runtime-benchmarks")]
type HostFunctions =
	(sp_io::SubstrateHostFunctions, frame_benchmarking::benchmarking::HostFunctions);

/// The full client: the runtime always runs as Wasm.
pub type FullClient =
	sc_service::TFullClient<Block, RuntimeApi, sc_executor::WasmExecutor<HostFunctions>>;
type FullBackend = sc_service::TFullBackend<Block>;
/// The best chain is the one the PoW block import marked best: the greatest total difficulty.
type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;
/// MedChain's consortium Proof of Work, asking the runtime about sealers and difficulty.
pub type Algorithm = ConsortiumPow<Block, RuntimeQueries<FullClient>>;

type InherentProviders = sp_timestamp::InherentDataProvider;
type InherentResult = Result<InherentProviders, Box<dyn std::error::Error + Send + Sync>>;
/// Creates a block's inherent data: just the timestamp.
type CreateInherents = fn(<Block as BlockT>::Hash, ()) -> futures::future::Ready<InherentResult>;

fn create_inherents(
	_parent: <Block as BlockT>::Hash,
	_: (),
) -> futures::future::Ready<InherentResult> {
	futures::future::ready(Ok(sp_timestamp::InherentDataProvider::from_system_time()))
}

/// PoW block import: verifies seals and picks the heaviest chain, then imports into the client.
type PowBlockImport = sc_consensus_pow::PowBlockImport<
	Block,
	Arc<FullClient>,
	FullClient,
	FullSelectChain,
	Algorithm,
	CreateInherents,
>;

/// The parts of the node that subcommands such as `check-block` need too.
pub type Service = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	sc_transaction_pool::TransactionPoolHandle<Block, FullClient>,
	(PowBlockImport, Algorithm, Option<Telemetry>),
>;

/// How long a mining build may take to assemble its transactions.
const PROPOSAL_BUILD_TIME: Duration = Duration::from_secs(2);
/// How often the mining worker looks at the best block when no import woke it. Upstream's
/// worker builds anew only on a new best block, so this does not pick up transactions that
/// arrive while the best block stays the same: they go into the build after the next block.
const PROPOSAL_TIMEOUT: Duration = Duration::from_secs(5);

/// Builds the client, backend, pool and import queue.
pub fn new_partial(config: &Configuration) -> Result<Service, ServiceError> {
	let telemetry = config
		.telemetry_endpoints
		.clone()
		.filter(|x| !x.is_empty())
		.map(|endpoints| -> Result<_, sc_telemetry::Error> {
			let worker = TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;

	let executor = sc_service::new_wasm_executor::<HostFunctions>(&config.executor);
	let (client, backend, keystore_container, task_manager) =
		sc_service::new_full_parts::<Block, RuntimeApi, _>(
			config,
			telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
			executor,
			Vec::new(),
		)?;
	let client = Arc::new(client);

	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let transaction_pool = Arc::from(
		sc_transaction_pool::Builder::new(
			task_manager.spawn_essential_handle(),
			client.clone(),
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	);

	let algorithm = ConsortiumPow::new(Arc::new(RuntimeQueries(client.clone())));
	let pow_block_import = sc_consensus_pow::PowBlockImport::new(
		client.clone(),
		client.clone(),
		algorithm.clone(),
		0,
		select_chain.clone(),
		create_inherents as CreateInherents,
	);

	let import_queue = sc_consensus_pow::import_queue(
		Box::new(pow_block_import.clone()),
		None,
		algorithm.clone(),
		&task_manager.spawn_essential_handle(),
		config.prometheus_registry(),
	)?;

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (pow_block_import, algorithm, telemetry),
	})
}

/// Builds and starts a full node.
pub async fn new_full<N: sc_network::NetworkBackend<Block, <Block as BlockT>::Hash>>(
	mut config: Configuration,
	options: NodeOptions,
) -> Result<TaskManager, ServiceError> {
	// Importing a block checks its seal against its parent's state (the sealer set, the
	// difficulty), which fast and warp sync do not download: such a node would stall at its
	// second block. Refused with a clear error instead.
	if config.network.sync_mode.light_state() || config.network.sync_mode.is_warp() {
		return Err(ServiceError::Other(
			"--sync fast, fast-unsafe and warp are not supported: a Proof-of-Work block is \
			 checked against its parent's state; use --sync full (the default)"
				.into(),
		));
	}
	// Always index: erasing a record's last reference to a ciphertext drops this node's own
	// copy of it through off-chain indexing (see `pallet_pinning`), whatever the flags say.
	config.offchain_worker.indexing_enabled = true;
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (pow_block_import, algorithm, mut telemetry),
	} = new_partial(&config)?;

	let mut offchain_storage = backend
		.offchain_storage()
		.ok_or_else(|| ServiceError::Other("the database has no off-chain storage".into()))?;
	// First, before a bad setting can stop the node.
	crate::pinning::remove_secret_bearing_settings(&mut offchain_storage);
	let pinning_setup =
		crate::pinning::settings_from(&options.pinning, options.finality_depth, |name| {
			std::env::var(name).ok()
		})
		.map_err(ServiceError::Other)?
		.map(Arc::new);
	// Checked before the network or the off-chain workers start, and before the worker is given
	// the settings (a restart finds the last run's in off-chain storage until they are
	// replaced): the worker must never upload to such a bucket.
	let remote_blobs = match &pinning_setup {
		Some(setup) => {
			let cloud = Arc::new(
				crate::cloud::CloudBlobs::new(
					setup.settings(),
					setup.credentials().clone(),
					options.blob_max_bytes,
				)
				.map_err(ServiceError::Other)?,
			);
			cloud
				.refuse_versioned_bucket(&mut offchain_storage)
				.await
				.map_err(ServiceError::Other)?;
			task_manager.spawn_handle().spawn(
				"pinning-versioning-check",
				None,
				cloud.clone().watch_versioning(
					offchain_storage.clone(),
					std::time::Duration::from_secs(options.pinning.pinning_versioning_check_secs),
				),
			);
			Some(cloud as Arc<dyn crate::blobs::RemoteBlobs>)
		},
		None => None,
	};
	crate::pinning::start_settings(&mut offchain_storage, pinning_setup.as_deref())
		.map_err(ServiceError::Other)?;
	if let Some(setup) = pinning_setup {
		task_manager.spawn_handle().spawn(
			"pinning-signing-keys",
			None,
			crate::pinning::renew_signing_keys(setup, offchain_storage.clone()),
		);
	}

	let net_config = sc_network::config::FullNetworkConfiguration::<
		Block,
		<Block as BlockT>::Hash,
		N,
	>::new(&config.network, config.prometheus_registry().cloned());
	let metrics = N::register_notification_metrics(config.prometheus_registry());

	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: client.clone(),
			transaction_pool: transaction_pool.clone(),
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config: None,
			block_relay: None,
			metrics,
			gap_sync_body_policy: None,
		})?;

	if config.offchain_worker.enabled {
		let offchain_workers =
			sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
				runtime_api_provider: client.clone(),
				is_validator: config.role.is_authority(),
				keystore: Some(keystore_container.keystore()),
				offchain_db: backend.offchain_storage(),
				transaction_pool: Some(OffchainTransactionPoolFactory::new(
					transaction_pool.clone(),
				)),
				network_provider: Arc::new(network.clone()),
				enable_http_requests: true,
				custom_extensions: |_| vec![],
			})?;
		task_manager.spawn_handle().spawn(
			"offchain-workers-runner",
			"offchain-worker",
			offchain_workers.run(client.clone(), task_manager.spawn_handle()).boxed(),
		);
	}

	let role = config.role;
	let chain_type = config.chain_spec.chain_type();
	let prometheus_registry = config.prometheus_registry().cloned();
	if let Some(registry) = prometheus_registry.as_ref() {
		let gauges = crate::pinning_metrics::PinningGauges::register(registry).map_err(|e| {
			ServiceError::Other(format!("cannot register the pinning metrics: {e}"))
		})?;
		task_manager.spawn_handle().spawn_blocking(
			"pinning-metrics",
			None,
			crate::pinning_metrics::run(client.clone(), offchain_storage.clone(), gauges),
		);
	}
	let keystore = keystore_container.keystore();
	if let Some(seed) = &config.dev_key_seed {
		// `--dev`, `--alice`, `--bob`…: seal with the well-known account's key.
		keystore
			.sr25519_generate_new(SEALER_KEY_TYPE, Some(seed))
			.map_err(|e| ServiceError::Other(format!("cannot insert the dev sealer key: {e}")))?;
	}

	let blobs = match backend.offchain_storage() {
		Some(storage) => {
			let last_import = Arc::new(crate::blobs::LastImport::default());
			let mut imports = sc_client_api::BlockchainEvents::import_notification_stream(&*client);
			let imported = last_import.clone();
			task_manager.spawn_handle().spawn("blob-chain-freshness", None, async move {
				use futures::StreamExt;
				while imports.next().await.is_some() {
					imported.record(crate::blobs::unix_time_ms());
				}
			});
			let current_chain =
				CurrentChain { client: client.clone(), sync: sync_service.clone(), last_import };
			let blobs = crate::blobs::Blobs::new(
				storage,
				options.blob_max_bytes,
				remote_blobs,
				Arc::new(crate::blobs::WhenSynced {
					references: ChainReferences { client: client.clone() },
					sync: sync_service.clone(),
				}),
				crate::blobs::StagingLimits {
					ttl: std::time::Duration::from_secs(options.blob_staging_ttl),
					quota_bytes: options.blob_staging_quota,
					quota_per_account_bytes: options.blob_staging_quota_per_account,
				},
				crate::blobs::AccessPolicy {
					accept_unsigned_puts: options.blob_put_unsigned,
					accept_unsigned_gets: options.blob_get_unsigned,
					genesis: client.info().genesis_hash,
					putters: Arc::new(ChainPutters(current_chain.clone())),
					readers: Arc::new(ChainReaders(current_chain)),
				},
				crate::blobs::unix_time_ms(),
			);
			task_manager.spawn_handle().spawn_blocking(
				"blob-staging-sweeper",
				None,
				crate::blobs::sweep_staged_blobs(blobs.clone()),
			);
			Some(blobs)
		},
		None => None,
	};

	let rpc_extensions_builder = {
		let client = client.clone();
		let pool = transaction_pool.clone();
		Box::new(move |_| {
			let deps = crate::rpc::FullDeps {
				client: client.clone(),
				pool: pool.clone(),
				blobs: blobs.clone(),
			};
			crate::rpc::create_full(deps).map_err(Into::into)
		})
	};

	let _rpc_handlers = sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network: network.clone(),
		client: client.clone(),
		keystore: keystore.clone(),
		task_manager: &mut task_manager,
		transaction_pool: transaction_pool.clone(),
		rpc_builder: rpc_extensions_builder,
		backend,
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
		config,
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	// A development chain finalizes alone; any other only in step with its peers.
	let finality_network =
		(chain_type != sc_service::ChainType::Development).then(|| sync_service.clone());
	task_manager.spawn_handle().spawn(
		"finality-by-depth",
		None,
		finality::finalize_by_depth(client.clone(), options.finality_depth, finality_network),
	);

	let has_sealer_key = !keystore.sr25519_public_keys(SEALER_KEY_TYPE).is_empty();
	if role.is_authority() && options.mining_threads > 0 && !has_sealer_key {
		log::warn!(
			"⛏️  This validator has no sealer key (type `seal`) in its keystore: not mining. \
			 Insert one with `medchain-node key insert --key-type seal --scheme sr25519`, then \
			 restart."
		);
	}
	if role.is_authority() && options.mining_threads > 0 && has_sealer_key {
		let proposer_factory = sc_basic_authorship::ProposerFactory::new(
			task_manager.spawn_handle(),
			client.clone(),
			transaction_pool.clone(),
			prometheus_registry.as_ref(),
			telemetry.as_ref().map(|x| x.handle()),
		);
		let hash_rate = mining::hash_rate_gauge(prometheus_registry.as_ref())
			.map_err(|e| ServiceError::Other(format!("cannot start mining: {e}")))?;
		let threads = options.mining_threads as usize;
		// One worker at a time, sealing with the keystore's preferred key at the best block;
		// started afresh when that changes (a key rotation) or the key stops being a sealer,
		// so neither a stale key nor a build on a parent it could seal on outlives the change.
		let mine = async move {
			loop {
				// Subscribed before the key is chosen, so that the watch below examines every
				// block imported since the choice.
				let imports = sc_client_api::BlockchainEvents::import_notification_stream(&*client);
				let best = client.info().best_hash;
				// The worker is essential: ending this task shuts the node down, as a validator
				// that can no longer mine should not run on unnoticed.
				let Some((key, is_sealer)) = mining::sealing_key_at(&client, &keystore, best)
				else {
					log::error!("⛏️  The keystore no longer holds a sealer key");
					return;
				};
				let proposer = mining::SealerOnlyEnvironment::new(
					proposer_factory.clone(),
					client.clone(),
					key.account(),
				);
				let (handle, proposing) = sc_consensus_pow::start_mining_worker(
					Box::new(pow_block_import.clone()),
					client.clone(),
					select_chain.clone(),
					algorithm.clone(),
					proposer,
					sync_service.clone(),
					sync_service.clone(),
					Some(key.pre_runtime_digest()),
					create_inherents as CreateInherents,
					PROPOSAL_TIMEOUT,
					PROPOSAL_BUILD_TIME,
				);
				let account = key.account();
				let miners = match mining::Miners::start(handle, key, threads, hash_rate.clone()) {
					Ok(miners) => miners,
					Err(e) => {
						log::error!("⛏️  Cannot start mining: {e}");
						return;
					},
				};
				// Boxed: awaiting the worker's future in place defeats the compiler's proof that
				// this task is `Send`.
				let proposing = proposing.boxed();
				let change = mining::sealing_key_change(
					client.clone(),
					keystore.clone(),
					account,
					// Unknown counts as a sealer: if it is not, the worker restarts on the
					// next block rather than keep a build that may be stale.
					is_sealer.unwrap_or(true),
					imports,
				)
				.boxed();
				match futures::future::select(proposing, change).await {
					// The worker's import stream ends only with the client, which this task
					// holds; were it to end, the task ends and the node stops, as above.
					futures::future::Either::Left(_) => return,
					futures::future::Either::Right((reason, _)) => {
						log::info!("⛏️  {reason}: restarting the mining worker");
						drop(miners);
					},
				}
			}
		};
		task_manager.spawn_essential_handle().spawn_blocking(
			"pow-mining",
			Some("block-authoring"),
			mine,
		);
	}

	Ok(task_manager)
}

/// The node's best block, for deciding blob puts and reads on: only while the node is not
/// catching up with the chain and has imported a block lately ([`crate::blobs::LastImport`]),
/// as a view older than that may miss a key published, or a consent revoked, meanwhile.
#[derive(Clone)]
struct CurrentChain {
	client: Arc<FullClient>,
	sync: Arc<dyn sp_consensus::SyncOracle + Send + Sync>,
	last_import: Arc<crate::blobs::LastImport>,
}

impl CurrentChain {
	/// The best block's hash, or why the node's view of the chain cannot be trusted now.
	fn best(&self) -> Result<<Block as BlockT>::Hash, String> {
		if self.sync.is_major_syncing() {
			return Err("the node is catching up with the chain".into());
		}
		self.last_import.current(crate::blobs::unix_time_ms())?;
		Ok(self.client.info().best_hash)
	}
}

/// Who may put blobs: the accounts with an encryption key at the best block, as the runtime's
/// `ConsortiumApi` (version 2) tells.
struct ChainPutters(CurrentChain);

impl crate::blobs::Putters for ChainPutters {
	fn may_put(&self, who: &sp_core::crypto::AccountId32) -> Result<bool, String> {
		use sp_api::ApiExt;
		let best = self.0.best()?;
		let api = self.0.client.runtime_api();
		// Asked through the versioned runtime API, not by storage key: a runtime upgrade
		// that moves the keys does not turn every signer away.
		let version =
			api.api_version::<dyn ConsortiumApi<Block>>(best).map_err(|e| e.to_string())?;
		if version.unwrap_or(0) < 2 {
			return Err("the runtime does not tell published encryption keys \
				(ConsortiumApi version 2)"
				.into());
		}
		api.encryption_key(best, who.clone()).map(|key| key.is_some()).map_err(|e| e.to_string())
	}
}

/// Who may read a record's ciphertext, asked of the runtime at the best block: the record must
/// have that ciphertext and the consent pallet's `can_access` must allow the read.
struct ChainReaders(CurrentChain);

impl crate::blobs::Readers for ChainReaders {
	fn may_read(
		&self,
		who: &sp_core::crypto::AccountId32,
		hash: sp_core::H256,
		context: crate::blobs::ReadContext,
	) -> Result<crate::blobs::ReadDecision, String> {
		use medchain_primitives::health::Action;
		use pallet_consent::runtime_api::ConsentApi;
		use pallet_records::runtime_api::RecordsApi;
		let best = self.0.best()?;
		let api = self.0.client.runtime_api();
		let record = api.record(best, context.record).map_err(|e| e.to_string())?;
		let Some(record) = record.filter(|record| record.content_hash == hash) else {
			return Ok(crate::blobs::ReadDecision::NotTheRecordsBlob);
		};
		let decision = api
			.can_access(best, who.clone(), context.record, Action::Read, context.purpose)
			.map_err(|e| e.to_string())?;
		Ok(crate::blobs::ReadDecision::Decided { decision, patient: record.patient })
	}
}

/// Whose live records reference a ciphertext, asked of the runtime at the best and the
/// finalized block.
struct ChainReferences {
	client: Arc<FullClient>,
}

impl crate::blobs::References for ChainReferences {
	fn is_referenced(&self, hash: sp_core::H256) -> Result<crate::blobs::Referenced, String> {
		use crate::blobs::ReferencedBy;
		use medchain_runtime::{AccountId, BlockNumber};
		use pallet_pinning::runtime_api::PinningApi;
		use sp_api::ApiExt;
		let info = self.client.info();
		let at = |block| {
			let api = self.client.runtime_api();
			let version = api
				.api_version::<dyn PinningApi<Block, AccountId, BlockNumber>>(block)
				.map_err(|e| e.to_string())?;
			match version.unwrap_or(0) {
				// A runtime before the question existed: every blob counts as registered,
				// kept until erased, as before staging (rather than filling the quota).
				0 | 1 => Ok(ReferencedBy::Unnamed),
				// One that cannot name the patient: any record claims the blob.
				2 => api
					.is_referenced(block, hash)
					.map(
						|referenced| {
							if referenced {
								ReferencedBy::Unnamed
							} else {
								ReferencedBy::Nobody
							}
						},
					)
					.map_err(|e| e.to_string()),
				_ => api
					.ciphertext_patient(block, hash)
					.map(|patient| patient.map_or(ReferencedBy::Nobody, ReferencedBy::Patient))
					.map_err(|e| e.to_string()),
			}
		};
		Ok(crate::blobs::Referenced {
			at_best: at(info.best_hash)?,
			at_finalized: at(info.finalized_hash)?,
		})
	}
}
