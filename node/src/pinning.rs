//! The node's side of pinning: it hands the off-chain worker its cloud-storage settings through
//! the node's own off-chain storage, never through chain state, and never logs the secret.

use crate::cli::PinningOptions;
use codec::Encode;
use medchain_primitives::pinning::{StorageSettings, STORAGE_SETTINGS_KEY};
use sp_core::offchain::{OffchainStorage, STORAGE_PREFIX};

/// The environment variable holding the access key id.
pub const ACCESS_KEY_ID_VAR: &str = "MEDCHAIN_PINNING_ACCESS_KEY_ID";
/// The environment variable holding the secret access key.
pub const SECRET_ACCESS_KEY_VAR: &str = "MEDCHAIN_PINNING_SECRET_ACCESS_KEY";

/// The storage settings `options`, the node's `finality_depth` and the credentials `lookup`
/// returns describe: `Ok(None)` when no endpoint is given (this node does not pin), an error
/// naming what is wrong otherwise.
pub fn settings_from(
	options: &PinningOptions,
	finality_depth: u32,
	lookup: impl Fn(&str) -> Option<String>,
) -> Result<Option<StorageSettings>, String> {
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
	Ok(Some(StorageSettings {
		endpoint: endpoint.as_bytes().to_vec(),
		bucket: options.pinning_bucket.as_bytes().to_vec(),
		region: options.pinning_region.as_bytes().to_vec(),
		access_key_id: credential(ACCESS_KEY_ID_VAR)?.into_bytes(),
		secret_access_key: credential(SECRET_ACCESS_KEY_VAR)?.into_bytes(),
		retry_base_ms: options.pinning_retry_base_ms,
		finality_depth,
	}))
}

/// Writes `settings` where the pinning worker reads them, or removes stale ones when this node
/// no longer pins.
pub fn install_settings(storage: &mut impl OffchainStorage, settings: Option<&StorageSettings>) {
	match settings {
		Some(settings) => {
			storage.set(STORAGE_PREFIX, STORAGE_SETTINGS_KEY, &settings.encode());
			log::info!(
				target: "pinning",
				"pinning to bucket {:?} at {:?}",
				String::from_utf8_lossy(&settings.bucket),
				String::from_utf8_lossy(&settings.endpoint),
			);
		},
		None => {
			storage.remove(STORAGE_PREFIX, STORAGE_SETTINGS_KEY);
			log::info!(target: "pinning", "no --pinning-endpoint: this node does not pin");
		},
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
		assert_eq!(settings_from(&options(None), 10, env), Ok(None));
	}

	#[test]
	fn settings_come_from_flags_and_environment() {
		let settings =
			settings_from(&options(Some("http://127.0.0.1:8333/")), 10, env).unwrap().unwrap();
		assert_eq!(settings.endpoint, b"http://127.0.0.1:8333".to_vec());
		assert_eq!(settings.bucket, b"records".to_vec());
		assert_eq!(settings.region, b"eu-central-1".to_vec());
		assert_eq!(settings.access_key_id, b"AKIDEXAMPLE".to_vec());
		assert_eq!(settings.secret_access_key, b"s3cr3t".to_vec());
		assert_eq!(settings.finality_depth, 10);
	}

	#[test]
	fn bad_settings_are_named() {
		let error = settings_from(&options(Some("ftp://store")), 10, env).unwrap_err();
		assert!(error.contains("http"), "{error}");
		let error = settings_from(&options(Some("http://store")), 10, |_| None).unwrap_err();
		assert!(error.contains(ACCESS_KEY_ID_VAR), "{error}");
		let no_secret = |name: &str| (name == ACCESS_KEY_ID_VAR).then(|| "AKID".to_string());
		let error = settings_from(&options(Some("http://store")), 10, no_secret).unwrap_err();
		assert!(error.contains(SECRET_ACCESS_KEY_VAR), "{error}");
		assert!(!error.contains("AKID"), "errors never echo credentials: {error}");
	}

	#[test]
	fn installing_writes_or_clears_the_workers_settings() {
		let mut storage = InMemOffchainStorage::default();
		let settings = settings_from(&options(Some("http://store")), 10, env).unwrap();
		install_settings(&mut storage, settings.as_ref());
		let stored = storage.get(STORAGE_PREFIX, STORAGE_SETTINGS_KEY).unwrap();
		assert_eq!(StorageSettings::decode(&mut &stored[..]).ok(), settings);
		install_settings(&mut storage, None);
		assert_eq!(storage.get(STORAGE_PREFIX, STORAGE_SETTINGS_KEY), None);
	}
}
