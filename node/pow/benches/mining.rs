//! Mining and verification speed, as ratios against baselines measured in the same run:
//!
//! - `hash/raw_blake2_256`: the bare hash function over a 40-byte message (the baseline);
//! - `hash/search_nonce`: the miner's inner loop per nonce; goal ≥ 90 % of the baseline's rate;
//! - `verify/check_seal`: a full seal check without the runtime call; goal < 100 µs.
//!
//! Run: `cargo bench -p medchain-pow --bench mining`.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use medchain_pow::{check_seal, search_nonce, SealerKey, Target};
use medchain_primitives::SEALER_KEY_TYPE;
use sp_keyring::Sr25519Keyring;
use sp_keystore::{Keystore, KeystorePtr};
use std::sync::Arc;

const BATCH: u64 = 10_000;

fn hashing(c: &mut Criterion) {
	let pre_hash = [3u8; 32];
	// Unreachable target: every nonce is hashed and checked, none is found.
	let impossible = Target::for_difficulty(sp_core::U256::MAX);
	let mut group = c.benchmark_group("hash");
	group.throughput(Throughput::Elements(BATCH));
	group.bench_function("raw_blake2_256", |b| {
		let mut message = [0u8; 40];
		message[..32].copy_from_slice(&pre_hash);
		b.iter(|| {
			for nonce in 0..BATCH {
				message[32..].copy_from_slice(&nonce.to_le_bytes());
				black_box(sp_crypto_hashing::blake2_256(black_box(&message)));
			}
		})
	});
	group.bench_function("search_nonce", |b| {
		b.iter(|| black_box(search_nonce(black_box(&pre_hash), &impossible, 0, BATCH)))
	});
	group.finish();
}

fn verification(c: &mut Criterion) {
	let keystore: KeystorePtr = Arc::new(sc_keystore::LocalKeystore::in_memory());
	keystore
		.sr25519_generate_new(SEALER_KEY_TYPE, Some(&Sr25519Keyring::Alice.to_seed()))
		.expect("in-memory keystore takes a dev key");
	let key = SealerKey::from_keystore(keystore, |_| true).expect("key inserted");
	let pre_hash = [5u8; 32];
	let difficulty = sp_core::U256::from(1_000_000u64);
	let nonce = search_nonce(&pre_hash, &Target::for_difficulty(difficulty), 0, u64::MAX)
		.expect("a nonce exists");
	let seal = key.seal(&pre_hash, nonce).expect("the key signs");
	let digest = key.pre_runtime_digest();
	c.bench_function("verify/check_seal", |b| {
		b.iter(|| check_seal(black_box(&pre_hash), Some(&digest), black_box(&seal), difficulty))
	});
}

criterion_group!(benches, hashing, verification);
criterion_main!(benches);
