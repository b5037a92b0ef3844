//! Command-line interface of `medchain-node`.

use sc_cli::RunCmd;

/// Options of the node itself, on top of Substrate's.
#[derive(Debug, Clone, clap::Parser)]
pub struct NodeOptions {
	/// Finalize the canonical block this many blocks below the best block.
	///
	/// Proof of Work has no finality gadget; a block this deep is treated as final, so
	/// clients and pruning have a finalized head. Deeper is safer against reorganisations;
	/// shallower lets clients trust blocks sooner. At least 1. Except on a development or
	/// single-sealer chain, the node finalizes only while it has peers, is not catching up
	/// and no peer announced a higher block, so a sealer cut off from the others never
	/// finalizes the blocks it sealed alone.
	#[arg(long, value_name = "BLOCKS", default_value_t = 10,
		value_parser = clap::value_parser!(u32).range(1..))]
	pub finality_depth: u32,

	/// Number of CPU threads that mine blocks when this node seals (`--dev`, or `--validator`
	/// with a `seal` key in the keystore), at most 256. 0 turns mining off.
	#[arg(
		long,
		value_name = "THREADS",
		default_value_t = 1,
		value_parser = clap::value_parser!(u32).range(0..=i64::from(crate::mining::MAX_THREADS))
	)]
	pub mining_threads: u32,

	/// The largest ciphertext `blobs_put` accepts, in bytes. Above about 7 MiB, raise
	/// `--rpc-max-request-size` too: the bytes travel hex-encoded in JSON.
	#[arg(long, value_name = "BYTES", default_value_t = crate::blobs::DEFAULT_MAX_BLOB_BYTES)]
	pub blob_max_bytes: usize,

	/// How long a ciphertext put with `blobs_put` waits for a record that references it, in
	/// seconds. One that no record in the best or the finalized block references then is
	/// deleted, so blobs nobody registers do not take the node's disk for good.
	#[arg(long, value_name = "SECONDS", default_value_t = crate::blobs::DEFAULT_STAGING_TTL_SECS,
		value_parser = clap::value_parser!(u64).range(1..))]
	pub blob_staging_ttl: u64,

	/// The most bytes of ciphertext waiting for their records (see `--blob-staging-ttl`)
	/// this node keeps; `blobs_put` is refused (code 4029) while they fill it.
	#[arg(long, value_name = "BYTES",
		default_value_t = crate::blobs::DEFAULT_STAGING_QUOTA_BYTES)]
	pub blob_staging_quota: u64,

	/// The most bytes of ciphertext waiting for their records that one account's signed
	/// puts may take on this node; `blobs_put` is refused (code 4028) while theirs fill it.
	#[arg(long, value_name = "BYTES",
		default_value_t = crate::blobs::DEFAULT_STAGING_QUOTA_PER_ACCOUNT_BYTES)]
	pub blob_staging_quota_per_account: u64,

	/// Also accept `blobs_put` without a signature (within `--blob-staging-quota` only). By
	/// default a put must be signed by an account that published an encryption key: use this
	/// only on a node that nobody but trusted clients can reach.
	#[arg(long)]
	pub blob_put_unsigned: bool,

	/// Also serve `blobs_get` without a signature, to anyone who asks. By default a get must
	/// be signed by a reader whom the chain's consent lets read a record of that ciphertext
	/// (or who put it and has not registered it yet): use this only on a node that nobody but
	/// trusted clients can reach.
	#[arg(long)]
	pub blob_get_unsigned: bool,

	#[allow(missing_docs)]
	#[clap(flatten)]
	pub pinning: PinningOptions,
}

/// Where this sealer pins ciphertext: an S3-compatible bucket. The credentials come from the
/// environment only (`MEDCHAIN_PINNING_ACCESS_KEY_ID`, `MEDCHAIN_PINNING_SECRET_ACCESS_KEY`), so
/// they never show in a process list; none of this is chain state or logged.
#[derive(Debug, Clone, clap::Args)]
pub struct PinningOptions {
	/// The S3-compatible endpoint's base URL, e.g. `https://s3.eu-central-1.amazonaws.com` or
	/// `http://127.0.0.1:8333`. Without it this node does not pin.
	#[arg(long, value_name = "URL")]
	pub pinning_endpoint: Option<String>,

	/// The bucket ciphertext is pinned to (path-style addressing).
	#[arg(long, value_name = "BUCKET", default_value = "medchain")]
	pub pinning_bucket: String,

	/// The region requests are signed for.
	#[arg(long, value_name = "REGION", default_value = "us-east-1")]
	pub pinning_region: String,

	/// How long the pinning worker waits after a failed upload or deletion before trying
	/// again, in milliseconds; doubled after each further failure, up to five minutes. After
	/// the runtime's number of attempts it reports the failure on chain.
	#[arg(long, value_name = "MS", default_value_t = 2_000)]
	pub pinning_retry_base_ms: u64,

	/// How often the node asks the bucket again whether it keeps object versions, in
	/// seconds. Versioning turned on while the node runs stops its uploads (reported on
	/// chain) until it is suspended: in such a bucket erased ciphertext would stay.
	#[arg(
		long,
		value_name = "SECS",
		default_value_t = 600,
		value_parser = clap::value_parser!(u64).range(1..)
	)]
	pub pinning_versioning_check_secs: u64,
}

/// The `run` command: a Substrate node with MedChain's options.
#[derive(Debug, Clone, clap::Parser)]
pub struct MedchainRunCmd {
	#[allow(missing_docs)]
	#[clap(flatten)]
	pub base: RunCmd,

	#[allow(missing_docs)]
	#[clap(flatten)]
	pub node: NodeOptions,
}

/// `medchain-node`'s arguments.
#[derive(Debug, clap::Parser)]
#[command(
	propagate_version = true,
	args_conflicts_with_subcommands = true,
	subcommand_negates_reqs = true
)]
pub struct Cli {
	#[allow(missing_docs)]
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[allow(missing_docs)]
	#[clap(flatten)]
	pub run: MedchainRunCmd,
}

/// Subcommands of `medchain-node`.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect, and `insert` a sealer key (`--key-type seal`).
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification.
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Database metadata.
	ChainInfo(sc_cli::ChainInfoCmd),

	/// Runtime benchmarks: `benchmark pallet` regenerates a pallet's `weights.rs`.
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),
}
