//! The MedChain node.

#![warn(missing_docs)]

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod blobs;
mod chain_spec;
mod cli;
mod cloud;
mod command;
mod finality;
mod mining;
mod pinning;
mod pinning_metrics;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
