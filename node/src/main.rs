//! The MedChain node.

#![warn(missing_docs)]

mod blobs;
mod chain_spec;
mod cli;
mod cloud;
mod command;
mod finality;
mod mining;
mod pinning;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
