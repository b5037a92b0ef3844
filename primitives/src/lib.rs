//! Types, constants and runtime API declarations shared by the MedChain node and runtime.
//!
//! The node's Proof-of-Work engine and the runtime must agree on what a seal is, which key
//! signs it and how the sealer set is asked for; this crate is the one place that says so.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod deposit;
pub mod gs1;
pub mod health;
pub mod pinning;
pub mod vocabulary;

use alloc::vec::Vec;
use codec::{Decode, Encode};
use sp_core::crypto::KeyTypeId;
use sp_runtime::{
	traits::{IdentifyAccount, Verify},
	MultiSignature,
};

/// An index to a block.
pub type BlockNumber = u32;
/// Alias to 512-bit hash when used in the context of a transaction signature on the chain.
pub type Signature = MultiSignature;
/// Some way of identifying an account on the chain: the 32-byte public key of its signer.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account.
pub type Balance = u128;
/// Index of a transaction in the chain.
pub type Nonce = u32;
/// A hash of some data used by the chain.
pub type Hash = sp_core::H256;
/// Proof-of-Work difficulty: the expected number of hashes needed to seal a block.
pub type Difficulty = sp_core::U256;

/// Key type of the sr25519 key a consortium member seals blocks with.
///
/// Insert it with `medchain-node key insert --key-type seal --scheme sr25519 --suri ...`.
pub const SEALER_KEY_TYPE: KeyTypeId = KeyTypeId(*b"seal");

/// The seal a MedChain block carries in its `pow_` seal digest.
///
/// The work is `blake2_256(pre_hash ++ nonce)`; the signature is the author's sr25519
/// signature over the same 40 bytes, so a seal cannot be moved to another block or author.
/// The author is not repeated here: it is the `pow_` pre-runtime digest, which is part of
/// `pre_hash`.
#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug)]
pub struct Seal {
	/// The nonce the miner found.
	pub nonce: u64,
	/// The author's sr25519 signature over `pre_hash ++ nonce` (64 bytes).
	pub signature: [u8; 64],
}

/// The bytes that are hashed for work and signed by the author: `pre_hash ++ nonce (LE)`.
pub fn seal_message(pre_hash: &[u8; 32], nonce: u64) -> [u8; 40] {
	let mut message = [0u8; 40];
	message[..32].copy_from_slice(pre_hash);
	message[32..].copy_from_slice(&nonce.to_le_bytes());
	message
}

sp_api::decl_runtime_apis! {
	/// What the node asks the runtime about the consortium: the Proof-of-Work engine about
	/// sealers, the blob service about who may put.
	#[api_version(2)]
	pub trait ConsortiumApi {
		/// Whether `who` may seal blocks on top of this block.
		fn is_sealer(who: AccountId) -> bool;
		/// Every account that may seal blocks on top of this block.
		fn sealers() -> Vec<AccountId>;
		/// The X25519 public key `who` published (`consortium.publishEncryptionKey`), if any.
		#[api_version(2)]
		fn encryption_key(who: AccountId) -> Option<[u8; 32]>;
	}
}
