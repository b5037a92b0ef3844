//! The node's side of pinning: it hands the off-chain worker its cloud-storage settings through
//! the node's own off-chain storage, never through chain state, and never logs a key.
//!
//! The secret access key stays in the node's memory. The worker is given only the SigV4
//! signing keys of today and tomorrow (UTC), renewed as days pass: off-chain storage is the
//! node's database on disk and in its backups, and the node's unsafe RPC methods read it, so
//! what can leak from there signs only requests dated on those two days (presigned URLs among
//! them, which S3 honours for up to 7 days more) and never yields the secret.

use crate::cli::PinningOptions;
use codec::Encode;
use medchain_primitives::pinning::{
	DaySigningKey, StorageSettings, SECRET_BEARING_SETTINGS_KEY, SIGNING_KEY_DAYS,
	STORAGE_SETTINGS_KEY,
};
use medchain_sigv4::{signing_key, AmzDateTime, Credentials, S3_SERVICE};
use sp_core::offchain::{OffchainStorage, STORAGE_PREFIX};
use std::{
	sync::Arc,
	time::{Duration, SystemTime, UNIX_EPOCH},
};

/// The environment variable holding the access key id.
pub const ACCESS_KEY_ID_VAR: &str = "MEDCHAIN_PINNING_ACCESS_KEY_ID";
/// The environment variable holding the secret access key.
pub const SECRET_ACCESS_KEY_VAR: &str = "MEDCHAIN_PINNING_SECRET_ACCESS_KEY";
/// How often the node renews the worker's signing keys. Well under a day: tomorrow's key is
/// given before today ends.
pub const SIGNING_KEY_RENEWAL: Duration = Duration::from_secs(10 * 60);
const SECONDS_PER_DAY: u64 = 86_400;

/// A pinning sealer's set-up: the settings the worker is given, without signing keys, and the
/// long-term credentials, which only the node holds.
pub struct PinningSetup {
	settings: StorageSettings,
	credentials: Credentials,
}

impl PinningSetup {
	/// The bucket's settings, with no signing keys.
	pub fn settings(&self) -> &StorageSettings {
		&self.settings
	}

	/// The long-term credentials: for the node's own requests, never for off-chain storage.
	pub fn credentials(&self) -> &Credentials {
		&self.credentials
	}

	/// What the worker is given at `now_secs` (Unix time): the settings with the signing keys
	/// of that day and the next ([`SIGNING_KEY_DAYS`]).
	pub fn worker_settings(&self, now_secs: u64) -> Result<StorageSettings, String> {
		let secret = self.credentials.secret_access_key().ok_or("no secret access key")?;
		let region = std::str::from_utf8(&self.settings.region)
			.map_err(|_| "the pinning region is not UTF-8".to_string())?;
		let signing_keys = (0..SIGNING_KEY_DAYS)
			.map(|day| {
				let at = now_secs.saturating_add(day.saturating_mul(SECONDS_PER_DAY));
				let date_stamp = AmzDateTime::from_unix_seconds(at)
					.map_err(|e| format!("cannot date signing keys: {e}"))?
					.date_stamp();
				Ok(DaySigningKey {
					date_stamp: date_stamp
						.as_bytes()
						.try_into()
						.map_err(|_| format!("the day {date_stamp} is not YYYYMMDD"))?,
					key: signing_key(secret, &date_stamp, region, S3_SERVICE)
						.map_err(|e| format!("cannot derive a signing key: {e}"))?,
				})
			})
			.collect::<Result<Vec<_>, String>>()?;
		Ok(StorageSettings { signing_keys, ..self.settings.clone() })
	}
}

/// The pinning set-up `options`, the node's `finality_depth` and the credentials `lookup`
/// returns describe: `Ok(None)` when no endpoint is given (this node does not pin), an error
/// naming what is wrong otherwise.
pub fn settings_from(
	options: &PinningOptions,
	finality_depth: u32,
	lookup: impl Fn(&str) -> Option<String>,
) -> Result<Option<PinningSetup>, String> {
	let Some(endpoint) = &options.pinning_endpoint else { return Ok(None) };
	let endpoint = endpoint.trim_end_matches('/');
	if !(endpoint.starts_with("http://") || endpoint.starts_with("https://")) {
		return Err(format!("--pinning-endpoint {endpoint:?} must start with http:// or https://"));
	}
	if options.pinning_bucket.is_empty() || options.pinning_region.is_empty() {
		return Err("--pinning-bucket and --pinning-region must not be empty".into());
	}
	let credential = |name: &str| {
		lookup(name)
			.filter(|value| !value.is_empty())
			.ok_or_else(|| format!("--pinning-endpoint is set but {name} is not"))
	};
	let access_key_id = credential(ACCESS_KEY_ID_VAR)?;
	let credentials = Credentials::new(access_key_id.clone(), credential(SECRET_ACCESS_KEY_VAR)?)
		.map_err(|e| {
		format!("{ACCESS_KEY_ID_VAR} or {SECRET_ACCESS_KEY_VAR} is not usable: {e}")
	})?;
	Ok(Some(PinningSetup {
		settings: StorageSettings {
			endpoint: endpoint.as_bytes().to_vec(),
			bucket: options.pinning_bucket.as_bytes().to_vec(),
			region: options.pinning_region.as_bytes().to_vec(),
			access_key_id: access_key_id.into_bytes(),
			signing_keys: Vec::new(),
			retry_base_ms: options.pinning_retry_base_ms,
			finality_depth,
		},
		credentials,
	}))
}

/// Removes the settings nodes before day keys stored, secret included: the first thing the
/// node does with its off-chain storage, before anything can stop it from starting. (The
/// database may keep the bytes until it reuses the space, and backups keep them: rotate the
/// access key once every sealer runs this release.)
pub fn remove_secret_bearing_settings(storage: &mut impl OffchainStorage) {
	if storage.get(STORAGE_PREFIX, SECRET_BEARING_SETTINGS_KEY).is_some() {
		storage.remove(STORAGE_PREFIX, SECRET_BEARING_SETTINGS_KEY);
		log::warn!(
			target: "pinning",
			"removed the pinning settings an older release stored with the secret access key; \
			 rotate that key (backups of this database hold it)"
		);
	}
}

/// Writes `settings` where the pinning worker reads them, or removes stale ones when this node
/// no longer pins.
pub fn install_settings(storage: &mut impl OffchainStorage, settings: Option<&StorageSettings>) {
	match settings {
		Some(settings) => storage.set(STORAGE_PREFIX, STORAGE_SETTINGS_KEY, &settings.encode()),
		None => storage.remove(STORAGE_PREFIX, STORAGE_SETTINGS_KEY),
	}
}

/// Seconds since the Unix epoch, by the node's clock.
fn unix_now() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map(|since| since.as_secs()).unwrap_or(0)
}

/// Gives the worker `setup`'s settings with today's and tomorrow's signing keys, or clears
/// them when `setup` is `None` (this node does not pin). Logs what it did.
pub fn start_settings(
	storage: &mut impl OffchainStorage,
	setup: Option<&PinningSetup>,
) -> Result<(), String> {
	let Some(setup) = setup else {
		install_settings(storage, None);
		log::info!(target: "pinning", "no --pinning-endpoint: this node does not pin");
		return Ok(());
	};
	install_settings(storage, Some(&setup.worker_settings(unix_now())?));
	log::info!(
		target: "pinning",
		"pinning to bucket {:?} at {:?}; the worker signs with day keys, renewed every {} min",
		String::from_utf8_lossy(&setup.settings.bucket),
		String::from_utf8_lossy(&setup.settings.endpoint),
		SIGNING_KEY_RENEWAL.as_secs() / 60,
	);
	Ok(())
}

/// Brings the worker's settings in `storage` to what they should be at `now_secs`: writes
/// them only when they differ (a day turned, or something removed or changed them).
pub fn renew_settings(
	setup: &PinningSetup,
	storage: &mut impl OffchainStorage,
	now_secs: u64,
) -> Result<(), String> {
	let settings = setup.worker_settings(now_secs)?.encode();
	if storage.get(STORAGE_PREFIX, STORAGE_SETTINGS_KEY).as_ref() != Some(&settings) {
		storage.set(STORAGE_PREFIX, STORAGE_SETTINGS_KEY, &settings);
	}
	Ok(())
}

/// Renews the worker's signing keys every [`SIGNING_KEY_RENEWAL`], for as long as the node
/// runs.
pub async fn renew_signing_keys(setup: Arc<PinningSetup>, mut storage: impl OffchainStorage) {
	loop {
		tokio::time::sleep(SIGNING_KEY_RENEWAL).await;
		if let Err(error) = renew_settings(&setup, &mut storage, unix_now()) {
			log::error!(target: "pinning", "cannot renew the signing keys: {error}");
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Decode;
	use sp_core::offchain::storage::InMemOffchainStorage;

	fn options(endpoint: Option<&str>) -> PinningOptions {
		PinningOptions {
			pinning_endpoint: endpoint.map(Into::into),
			pinning_bucket: "records".into(),
			pinning_region: "eu-central-1".into(),
			pinning_retry_base_ms: 2_000,
			pinning_versioning_check_secs: 600,
		}
	}

	fn env(name: &str) -> Option<String> {
		match name {
			ACCESS_KEY_ID_VAR => Some("AKIDEXAMPLE".into()),
			SECRET_ACCESS_KEY_VAR => Some("s3cr3t".into()),
			_ => None,
		}
	}

	#[test]
	fn no_endpoint_means_no_pinning() {
		assert!(matches!(settings_from(&options(None), 10, env), Ok(None)));
	}

	#[test]
	fn settings_come_from_flags_and_environment() {
		let setup =
			settings_from(&options(Some("http://127.0.0.1:8333/")), 10, env).unwrap().unwrap();
		let settings = setup.settings();
		assert_eq!(settings.endpoint, b"http://127.0.0.1:8333".to_vec());
		assert_eq!(settings.bucket, b"records".to_vec());
		assert_eq!(settings.region, b"eu-central-1".to_vec());
		assert_eq!(settings.access_key_id, b"AKIDEXAMPLE".to_vec());
		assert_eq!(settings.finality_depth, 10);
		assert_eq!(setup.credentials().secret_access_key(), Some("s3cr3t"));
		assert_eq!(setup.credentials().access_key_id(), "AKIDEXAMPLE");
	}

	#[test]
	fn the_worker_gets_todays_and_tomorrows_signing_keys_never_the_secret() {
		let setup = settings_from(&options(Some("http://store")), 10, env).unwrap().unwrap();
		// 2026-11-30 23:59:59 UTC.
		let settings = setup.worker_settings(1_796_083_199).unwrap();
		let days: Vec<_> = settings.signing_keys.iter().map(|day| day.date_stamp).collect();
		assert_eq!(days, vec![*b"20261130", *b"20261201"]);
		for day in &settings.signing_keys {
			let date_stamp = std::str::from_utf8(&day.date_stamp).unwrap();
			assert_eq!(day.key, signing_key("s3cr3t", date_stamp, "eu-central-1", "s3").unwrap());
		}
		assert_eq!(
			StorageSettings { signing_keys: Vec::new(), ..settings.clone() },
			*setup.settings()
		);
		assert!(!settings.encode().windows(6).any(|window| window == b"s3cr3t"));
		// A second later the days have turned.
		let next = setup.worker_settings(1_796_083_200).unwrap();
		let days: Vec<_> = next.signing_keys.iter().map(|day| day.date_stamp).collect();
		assert_eq!(days, vec![*b"20261201", *b"20261202"]);
		assert_eq!(next.signing_keys[0].key, settings.signing_keys[1].key);
	}

	#[test]
	fn bad_settings_are_named() {
		let error = settings_from(&options(Some("ftp://store")), 10, env).err().unwrap();
		assert!(error.contains("http"), "{error}");
		let error = settings_from(&options(Some("http://store")), 10, |_| None).err().unwrap();
		assert!(error.contains(ACCESS_KEY_ID_VAR), "{error}");
		let no_secret = |name: &str| (name == ACCESS_KEY_ID_VAR).then(|| "AKID".to_string());
		let error = settings_from(&options(Some("http://store")), 10, no_secret).err().unwrap();
		assert!(error.contains(SECRET_ACCESS_KEY_VAR), "{error}");
		assert!(!error.contains("AKID"), "errors never echo credentials: {error}");
		let bad_id = |name: &str| match name {
			ACCESS_KEY_ID_VAR => Some("AK ID".to_string()),
			_ => Some("s3cr3t".to_string()),
		};
		let error = settings_from(&options(Some("http://store")), 10, bad_id).err().unwrap();
		assert!(error.contains(ACCESS_KEY_ID_VAR), "{error}");
		assert!(!error.contains("s3cr3t"), "errors never echo credentials: {error}");
	}

	#[test]
	fn a_secret_an_older_release_stored_is_removed() {
		let mut storage = InMemOffchainStorage::default();
		remove_secret_bearing_settings(&mut storage);
		// What a node before day keys left: its settings, secret included.
		storage.set(STORAGE_PREFIX, SECRET_BEARING_SETTINGS_KEY, b"...s3cr3t...");
		remove_secret_bearing_settings(&mut storage);
		assert_eq!(storage.get(STORAGE_PREFIX, SECRET_BEARING_SETTINGS_KEY), None);
	}

	#[test]
	fn renewal_writes_the_days_keys_when_they_are_not_the_stored_ones() {
		let setup = settings_from(&options(Some("http://store")), 10, env).unwrap().unwrap();
		let mut storage = InMemOffchainStorage::default();
		let stored = |storage: &InMemOffchainStorage| {
			let raw = storage.get(STORAGE_PREFIX, STORAGE_SETTINGS_KEY)?;
			StorageSettings::decode(&mut &raw[..]).ok()
		};
		// Nothing stored (an operator cleared it over RPC): written.
		renew_settings(&setup, &mut storage, 1_796_083_199).unwrap();
		assert_eq!(stored(&storage), Some(setup.worker_settings(1_796_083_199).unwrap()));
		// The day turned: the next days' keys.
		renew_settings(&setup, &mut storage, 1_796_083_200).unwrap();
		assert_eq!(stored(&storage), Some(setup.worker_settings(1_796_083_200).unwrap()));
		// Changed behind the node's back: put right.
		storage.set(STORAGE_PREFIX, STORAGE_SETTINGS_KEY, b"\x01");
		renew_settings(&setup, &mut storage, 1_796_083_201).unwrap();
		assert_eq!(stored(&storage), Some(setup.worker_settings(1_796_083_200).unwrap()));
	}

	#[test]
	fn starting_writes_or_clears_the_workers_settings() {
		let mut storage = InMemOffchainStorage::default();
		let setup = settings_from(&options(Some("http://store")), 10, env).unwrap().unwrap();
		let before = unix_now();
		start_settings(&mut storage, Some(&setup)).unwrap();
		let after = unix_now();
		let stored = storage.get(STORAGE_PREFIX, STORAGE_SETTINGS_KEY).unwrap();
		let stored = StorageSettings::decode(&mut &stored[..]).unwrap();
		// As of the start (of one side of midnight, should it fall in between).
		let as_of = |at| setup.worker_settings(at).unwrap();
		assert!(stored == as_of(before) || stored == as_of(after), "{stored:?}");
		start_settings(&mut storage, None).unwrap();
		assert_eq!(storage.get(STORAGE_PREFIX, STORAGE_SETTINGS_KEY), None);
	}
}
