//! Reading pinned ciphertext back from the sealer's S3-compatible bucket, for `blobs_get` when
//! the node no longer holds a blob. Requests are signed with AWS Signature V4; the secret never
//! leaves the signer and is never logged.

use crate::blobs::RemoteBlobs;
use http_body_util::{BodyExt, Empty, Limited};
use hyper::body::Bytes;
use hyper_rustls::HttpsConnector;
use hyper_util::{
	client::legacy::{connect::HttpConnector, Client},
	rt::TokioExecutor,
};
use medchain_primitives::pinning::StorageSettings;
use medchain_sigv4::{Addressing, AmzDateTime, Credentials, S3Config};
use sp_core::H256;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long one read from cloud storage may take.
const FETCH_TIMEOUT: Duration = Duration::from_secs(30);

/// The object key a ciphertext is pinned under: the lowercase hex of its SHA-256, as the
/// pinning worker writes it.
pub fn object_key(hash: &H256) -> String {
	hash.as_bytes().iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A sealer's bucket, read with signed GETs.
pub struct CloudBlobs {
	scheme: String,
	bucket: String,
	config: S3Config,
	max_bytes: usize,
	client: Client<HttpsConnector<HttpConnector>, Empty<Bytes>>,
}

impl CloudBlobs {
	/// Reads from the bucket `settings` name, accepting objects of up to `max_bytes`.
	pub fn new(settings: &StorageSettings, max_bytes: usize) -> Result<Self, String> {
		let text = |bytes: &[u8], what: &str| {
			String::from_utf8(bytes.to_vec())
				.map_err(|_| format!("the pinning {what} is not UTF-8"))
		};
		let endpoint = text(&settings.endpoint, "endpoint")?;
		let (scheme, host) = endpoint
			.split_once("://")
			.ok_or_else(|| format!("the pinning endpoint {endpoint:?} has no scheme"))?;
		let credentials = Credentials::new(
			text(&settings.access_key_id, "access key id")?,
			text(&settings.secret_access_key, "secret access key")?,
		)
		.map_err(|e| format!("the pinning credentials are not usable: {e:?}"))?;
		let config =
			S3Config::new(host, text(&settings.region, "region")?, credentials, Addressing::Path)
				.map_err(|e| format!("the pinning endpoint {endpoint:?} is not usable: {e:?}"))?;
		let connector = hyper_rustls::HttpsConnectorBuilder::new()
			.with_provider_and_native_roots(rustls::crypto::ring::default_provider())
			.map_err(|e| format!("no TLS root certificates: {e}"))?
			.https_or_http()
			.enable_http1()
			.build();
		Ok(Self {
			scheme: scheme.to_string(),
			bucket: text(&settings.bucket, "bucket")?,
			config,
			max_bytes,
			client: Client::builder(TokioExecutor::new()).build(connector),
		})
	}

	async fn get(&self, hash: H256) -> Result<Option<Vec<u8>>, String> {
		let now = SystemTime::now()
			.duration_since(UNIX_EPOCH)
			.map_err(|_| "the clock is before 1970".to_string())?;
		let time = AmzDateTime::from_unix_seconds(now.as_secs())
			.map_err(|e| format!("cannot sign at this time: {e:?}"))?;
		let signed = self
			.config
			.get_object(&self.bucket, &object_key(&hash), &time)
			.map_err(|e| format!("cannot sign the request: {e:?}"))?;
		let mut request = hyper::Request::get(signed.url(&self.scheme));
		for (name, value) in &signed.headers {
			request = request.header(name.as_str(), value.as_str());
		}
		let request = request.body(Empty::new()).map_err(|e| format!("bad request: {e}"))?;
		let response = self.client.request(request).await.map_err(|e| format!("{e}"))?;
		match response.status().as_u16() {
			200 => {
				let body = Limited::new(response.into_body(), self.max_bytes)
					.collect()
					.await
					.map_err(|e| format!("reading the object failed: {e}"))?;
				Ok(Some(body.to_bytes().to_vec()))
			},
			404 => Ok(None),
			status => Err(format!("cloud storage answered HTTP {status}")),
		}
	}
}

#[jsonrpsee::core::async_trait]
impl RemoteBlobs for CloudBlobs {
	async fn fetch(&self, hash: H256) -> Result<Option<Vec<u8>>, String> {
		tokio::time::timeout(FETCH_TIMEOUT, self.get(hash))
			.await
			.map_err(|_| format!("no answer in {} s", FETCH_TIMEOUT.as_secs()))?
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn objects_are_keyed_by_the_lowercase_hex_of_their_hash() {
		let hash = H256::from_slice(&[0xab; 32]);
		assert_eq!(object_key(&hash), "ab".repeat(32));
	}

	#[test]
	fn settings_without_a_scheme_are_refused() {
		let settings = StorageSettings {
			endpoint: b"127.0.0.1:8333".to_vec(),
			bucket: b"b".to_vec(),
			region: b"us-east-1".to_vec(),
			access_key_id: b"AKID".to_vec(),
			secret_access_key: b"secret".to_vec(),
			retry_base_ms: 2_000,
		};
		let error = CloudBlobs::new(&settings, 10).err().expect("refused");
		assert!(error.contains("scheme"), "{error}");
		assert!(!error.contains("secret"), "{error}");
	}
}
