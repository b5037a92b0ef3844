//! Seal verification: a valid seal passes; every kind of bad seal is rejected with its own
//! error and without a panic.

use super::*;
use codec::{Decode, Encode};
use sc_consensus_pow::PowAlgorithm;
use sp_core::H256;
use sp_keyring::Sr25519Keyring;
use sp_keystore::Keystore;
use sp_runtime::{generic, traits::BlakeTwo256, OpaqueExtrinsic};

type TestBlock = generic::Block<generic::Header<u32, BlakeTwo256>, OpaqueExtrinsic>;

const DIFFICULTY: u64 = 5_000;
const PARENT: H256 = H256([7u8; 32]);

/// A chain whose sealer set and difficulty are fixed.
struct FixedChain {
	sealers: Vec<AccountId>,
	fail: bool,
}

impl ChainQueries<TestBlock> for FixedChain {
	fn difficulty(&self, _parent: H256) -> Result<Difficulty, String> {
		Ok(DIFFICULTY.into())
	}

	fn is_sealer(&self, parent: H256, who: &AccountId) -> Result<bool, String> {
		assert_eq!(parent, PARENT, "membership must be asked at the parent block");
		if self.fail {
			return Err("state of the parent block is pruned".into());
		}
		Ok(self.sealers.contains(who))
	}
}

fn algorithm(sealers: &[Sr25519Keyring]) -> ConsortiumPow<TestBlock, FixedChain> {
	let sealers = sealers.iter().map(|k| k.to_account_id()).collect();
	ConsortiumPow::new(Arc::new(FixedChain { sealers, fail: false }))
}

fn sealer_key(who: Sr25519Keyring) -> SealerKey {
	let keystore: KeystorePtr = Arc::new(sc_keystore::LocalKeystore::in_memory());
	keystore
		.sr25519_generate_new(SEALER_KEY_TYPE, Some(&who.to_seed()))
		.expect("in-memory keystore takes a dev key");
	SealerKey::from_keystore(keystore, |_| true).expect("the key was just inserted")
}

#[test]
fn the_key_sealed_with_is_one_in_the_sealer_set() {
	let keystore: KeystorePtr = Arc::new(sc_keystore::LocalKeystore::in_memory());
	for who in [Sr25519Keyring::Alice, Sr25519Keyring::Bob] {
		keystore
			.sr25519_generate_new(SEALER_KEY_TYPE, Some(&who.to_seed()))
			.expect("in-memory keystore takes a dev key");
	}
	let chosen = |sealers: &[Sr25519Keyring]| {
		let sealers: Vec<AccountId> = sealers.iter().map(|k| k.to_account_id()).collect();
		SealerKey::from_keystore(keystore.clone(), |who| sealers.contains(who))
			.map(|key| key.account())
	};
	assert_eq!(chosen(&[Sr25519Keyring::Alice]), Some(Sr25519Keyring::Alice.to_account_id()));
	assert_eq!(chosen(&[Sr25519Keyring::Bob]), Some(Sr25519Keyring::Bob.to_account_id()));
	// Neither may seal yet: the same key every time, the smaller one.
	let first =
		[Sr25519Keyring::Alice, Sr25519Keyring::Bob].map(|k| k.to_account_id()).into_iter().min();
	assert_eq!(chosen(&[]), first);
	assert_eq!(chosen(&[Sr25519Keyring::Charlie]), first);
	// No key at all.
	let empty: KeystorePtr = Arc::new(sc_keystore::LocalKeystore::in_memory());
	assert!(SealerKey::from_keystore(empty, |_| true).is_none());
}

/// A block's pre-hash, its author digest and a valid seal by `who` at `DIFFICULTY`.
fn mined_block(who: Sr25519Keyring) -> (H256, Vec<u8>, Vec<u8>, u64) {
	let key = sealer_key(who);
	let pre_hash = H256([42u8; 32]);
	let nonce =
		search_nonce(&pre_hash.0, &Target::for_difficulty(DIFFICULTY.into()), 0, 10_000_000)
			.expect("a nonce exists within 2000x the expected work");
	let seal = key.seal(&pre_hash.0, nonce).expect("the key signs");
	(pre_hash, key.pre_runtime_digest(), seal, nonce)
}

fn verify(
	pow: &ConsortiumPow<TestBlock, FixedChain>,
	pre_hash: H256,
	digest: Option<&[u8]>,
	seal: &[u8],
	difficulty: u64,
) -> Result<AccountId, SealError> {
	pow.verify_seal(PARENT, &pre_hash, digest, seal, difficulty.into())
}

#[test]
fn a_valid_seal_by_a_sealer_verifies() {
	let (pre_hash, digest, seal, _) = mined_block(Sr25519Keyring::Alice);
	let pow = algorithm(&[Sr25519Keyring::Alice]);
	assert_eq!(
		verify(&pow, pre_hash, Some(&digest), &seal, DIFFICULTY),
		Ok(Sr25519Keyring::Alice.to_account_id())
	);
	assert!(matches!(
		pow.verify(&BlockId::Hash(PARENT), &pre_hash, Some(&digest), &seal, DIFFICULTY.into()),
		Ok(true)
	));
}

#[test]
fn the_author_digest_is_exactly_the_32_byte_account() {
	let key = sealer_key(Sr25519Keyring::Bob);
	let digest = key.pre_runtime_digest();
	assert_eq!(digest.len(), 32);
	assert_eq!(digest, Sr25519Keyring::Bob.public().0.to_vec());
}

#[test]
fn a_wrong_nonce_is_rejected() {
	let (pre_hash, digest, seal, nonce) = mined_block(Sr25519Keyring::Alice);
	let mut tampered = Seal::decode(&mut &seal[..]).expect("valid seal decodes");
	// Find a different nonce that fails the work, keeping the (now mismatched) signature.
	let target = Target::for_difficulty(DIFFICULTY.into());
	tampered.nonce = (nonce + 1..)
		.find(|n| !target.is_met_by(&work_hash(&pre_hash.0, *n)))
		.expect("most nonces fail");
	let pow = algorithm(&[Sr25519Keyring::Alice]);
	assert_eq!(
		verify(&pow, pre_hash, Some(&digest), &tampered.encode(), DIFFICULTY),
		Err(SealError::DifficultyNotMet)
	);
}

#[test]
fn a_nonce_that_works_but_was_not_signed_is_rejected() {
	let (pre_hash, digest, seal, nonce) = mined_block(Sr25519Keyring::Alice);
	let mut tampered = Seal::decode(&mut &seal[..]).expect("valid seal decodes");
	// Difficulty 1 accepts every nonce, so only the signature can catch the swap.
	tampered.nonce = nonce + 1;
	let pow = algorithm(&[Sr25519Keyring::Alice]);
	assert_eq!(
		verify(&pow, pre_hash, Some(&digest), &tampered.encode(), 1),
		Err(SealError::BadSignature)
	);
}

#[test]
fn a_bad_signature_is_rejected() {
	let (pre_hash, digest, seal, _) = mined_block(Sr25519Keyring::Alice);
	let mut tampered = Seal::decode(&mut &seal[..]).expect("valid seal decodes");
	tampered.signature[10] ^= 0x55;
	let pow = algorithm(&[Sr25519Keyring::Alice]);
	assert_eq!(
		verify(&pow, pre_hash, Some(&digest), &tampered.encode(), DIFFICULTY),
		Err(SealError::BadSignature)
	);
}

#[test]
fn a_seal_signed_by_someone_else_than_the_named_author_is_rejected() {
	// Bob signs and mines, but the digest claims Alice (a sealer) wrote the block.
	let (pre_hash, _, seal, _) = mined_block(Sr25519Keyring::Bob);
	let alice = Sr25519Keyring::Alice.to_account_id().encode();
	let pow = algorithm(&[Sr25519Keyring::Alice, Sr25519Keyring::Bob]);
	assert_eq!(
		verify(&pow, pre_hash, Some(&alice), &seal, DIFFICULTY),
		Err(SealError::BadSignature)
	);
}

#[test]
fn an_author_outside_the_sealer_set_is_rejected() {
	let (pre_hash, digest, seal, _) = mined_block(Sr25519Keyring::Eve);
	let pow = algorithm(&[Sr25519Keyring::Alice]);
	assert_eq!(
		verify(&pow, pre_hash, Some(&digest), &seal, DIFFICULTY),
		Err(SealError::NotSealer(Sr25519Keyring::Eve.to_account_id()))
	);
	assert!(pow
		.verify(&BlockId::Hash(PARENT), &pre_hash, Some(&digest), &seal, DIFFICULTY.into())
		.is_err());
}

#[test]
fn work_below_the_difficulty_is_rejected() {
	let (pre_hash, digest, seal, nonce) = mined_block(Sr25519Keyring::Alice);
	// The smallest difficulty this nonce's work does not meet.
	let work = U256::from_big_endian(&work_hash(&pre_hash.0, nonce));
	let too_hard = U256::MAX / work + 1;
	let pow = algorithm(&[Sr25519Keyring::Alice]);
	assert_eq!(
		pow.verify_seal(PARENT, &pre_hash, Some(&digest), &seal, too_hard),
		Err(SealError::DifficultyNotMet)
	);
	assert!(pow.verify_seal(PARENT, &pre_hash, Some(&digest), &seal, too_hard - 1).is_ok());
}

#[test]
fn garbage_seal_bytes_are_rejected() {
	let (pre_hash, digest, seal, _) = mined_block(Sr25519Keyring::Alice);
	let pow = algorithm(&[Sr25519Keyring::Alice]);
	let mut longer = seal.clone();
	longer.push(0);
	for garbage in [vec![], vec![0xff; 3], seal[..seal.len() - 1].to_vec(), longer, vec![0xab; 200]]
	{
		assert_eq!(
			verify(&pow, pre_hash, Some(&digest), &garbage, DIFFICULTY),
			Err(SealError::MalformedSeal)
		);
	}
}

#[test]
fn a_missing_or_malformed_author_digest_is_rejected() {
	let (pre_hash, digest, seal, _) = mined_block(Sr25519Keyring::Alice);
	let pow = algorithm(&[Sr25519Keyring::Alice]);
	assert_eq!(verify(&pow, pre_hash, None, &seal, DIFFICULTY), Err(SealError::MissingAuthor));
	assert_eq!(
		verify(&pow, pre_hash, Some(&digest[..31]), &seal, DIFFICULTY),
		Err(SealError::MalformedAuthor)
	);
	let mut long = digest.clone();
	long.push(1);
	assert_eq!(
		verify(&pow, pre_hash, Some(&long), &seal, DIFFICULTY),
		Err(SealError::MalformedAuthor)
	);
}

#[test]
fn a_seal_for_another_block_is_rejected() {
	let (pre_hash, digest, seal, _) = mined_block(Sr25519Keyring::Alice);
	let other_block = H256([43u8; 32]);
	assert_ne!(other_block, pre_hash);
	let pow = algorithm(&[Sr25519Keyring::Alice]);
	// Difficulty 1 so only the signature binds the seal to its block.
	assert_eq!(verify(&pow, other_block, Some(&digest), &seal, 1), Err(SealError::BadSignature));
}

#[test]
fn a_runtime_failure_is_reported_not_mistaken_for_a_bad_seal() {
	let (pre_hash, digest, seal, _) = mined_block(Sr25519Keyring::Alice);
	let pow: ConsortiumPow<TestBlock, _> =
		ConsortiumPow::new(Arc::new(FixedChain { sealers: vec![], fail: true }));
	assert!(matches!(
		verify(&pow, pre_hash, Some(&digest), &seal, DIFFICULTY),
		Err(SealError::Runtime(_))
	));
}

#[test]
fn targets_follow_the_overflow_rule() {
	// Difficulty 1 accepts everything; difficulty 2 accepts exactly the lower half.
	assert!(Target::for_difficulty(U256::one()).is_met_by(&[0xff; 32]));
	assert!(Target::for_difficulty(U256::zero()).is_met_by(&[0xff; 32]));
	let mut half = [0u8; 32];
	half[0] = 0x7f;
	half[1..].fill(0xff);
	assert!(Target::for_difficulty(2.into()).is_met_by(&half));
	half[0] = 0x80;
	half[1..].fill(0);
	assert!(!Target::for_difficulty(2.into()).is_met_by(&half));
}

#[test]
fn search_finds_the_first_nonce_meeting_the_target() {
	let pre_hash = [9u8; 32];
	let target = Target::for_difficulty(1_000.into());
	let found =
		search_nonce(&pre_hash, &target, 0, 1_000_000).expect("found within 1000x the work");
	assert!(target.is_met_by(&work_hash(&pre_hash, found)));
	assert!((0..found).all(|n| !target.is_met_by(&work_hash(&pre_hash, n))));
	assert_eq!(search_nonce(&pre_hash, &target, 0, found), None);
}

#[test]
fn a_headers_author_is_the_account_its_pow_digest_names() {
	use sp_runtime::DigestItem;
	let header = |logs: Vec<DigestItem>| {
		<generic::Header<u32, BlakeTwo256> as sp_runtime::traits::Header>::new(
			1,
			Default::default(),
			Default::default(),
			PARENT,
			generic::Digest { logs },
		)
	};
	let alice = Sr25519Keyring::Alice.to_account_id();
	let named = header(vec![
		DigestItem::PreRuntime(*b"aura", Sr25519Keyring::Bob.to_account_id().encode()),
		DigestItem::PreRuntime(sp_consensus_pow::POW_ENGINE_ID, alice.encode()),
	]);
	assert_eq!(author_of(&named), Some(alice));
	assert_eq!(author_of(&header(vec![])), None);
	let malformed = header(vec![DigestItem::PreRuntime(sp_consensus_pow::POW_ENGINE_ID, vec![1])]);
	assert_eq!(author_of(&malformed), None);
}
