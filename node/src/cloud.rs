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
use medchain_primitives::pinning::{StorageSettings, BUCKET_KEEPS_VERSIONS_KEY};
use medchain_sigv4::{Addressing, AmzDateTime, Credentials, S3Config};
use sp_core::{
	offchain::{OffchainStorage, STORAGE_PREFIX},
	H256,
};
use std::{
	sync::Arc,
	time::{Duration, SystemTime, UNIX_EPOCH},
};

/// How long one read from cloud storage may take.
const FETCH_TIMEOUT: Duration = Duration::from_secs(30);
/// The most of an S3 error document, or of a bucket's versioning configuration, that is read.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// The object key a ciphertext is pinned under: the lowercase hex of its SHA-256, as the
/// pinning worker writes it.
pub fn object_key(hash: &H256) -> String {
	hash.as_bytes().iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A sealer's bucket, read with signed GETs.
pub struct CloudBlobs {
	scheme: String,
	bucket: String,
	/// [`StorageSettings::bucket_identity`], which marks the bucket as keeping versions.
	bucket_identity: Vec<u8>,
	config: S3Config,
	max_bytes: usize,
	client: Client<HttpsConnector<HttpConnector>, Empty<Bytes>>,
}

impl CloudBlobs {
	/// Reads from the bucket `settings` name, signing with `credentials` (the node's long-term
	/// ones), accepting objects of up to `max_bytes`.
	pub fn new(
		settings: &StorageSettings,
		credentials: Credentials,
		max_bytes: usize,
	) -> Result<Self, String> {
		let text = |bytes: &[u8], what: &str| {
			String::from_utf8(bytes.to_vec())
				.map_err(|_| format!("the pinning {what} is not UTF-8"))
		};
		let endpoint = text(&settings.endpoint, "endpoint")?;
		let (scheme, host) = endpoint
			.split_once("://")
			.ok_or_else(|| format!("the pinning endpoint {endpoint:?} has no scheme"))?;
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
			bucket_identity: settings.bucket_identity(),
			config,
			max_bytes,
			client: Client::builder(TokioExecutor::new()).build(connector),
		})
	}

	/// Sends the `GET` that `sign` builds for the current time; returns the status and, on
	/// 200, up to `max_body` bytes of the body (of an error, up to 64 KiB: S3's error
	/// document).
	async fn signed_get(
		&self,
		sign: impl FnOnce(&AmzDateTime) -> Result<medchain_sigv4::S3Request, medchain_sigv4::Error>,
		max_body: usize,
	) -> Result<(u16, Vec<u8>), String> {
		let now = SystemTime::now()
			.duration_since(UNIX_EPOCH)
			.map_err(|_| "the clock is before 1970".to_string())?;
		let time = AmzDateTime::from_unix_seconds(now.as_secs())
			.map_err(|e| format!("cannot sign at this time: {e:?}"))?;
		let signed = sign(&time).map_err(|e| format!("cannot sign the request: {e:?}"))?;
		let mut request = hyper::Request::get(signed.url(&self.scheme));
		for (name, value) in &signed.headers {
			request = request.header(name.as_str(), value.as_str());
		}
		let request = request.body(Empty::new()).map_err(|e| format!("bad request: {e}"))?;
		let response = self.client.request(request).await.map_err(|e| format!("{e}"))?;
		let status = response.status().as_u16();
		let limit = if status == 200 { max_body } else { ERROR_BODY_LIMIT };
		let body = Limited::new(response.into_body(), limit)
			.collect()
			.await
			.map_err(|e| format!("reading the answer failed: {e}"))?;
		Ok((status, body.to_bytes().to_vec()))
	}

	async fn get(&self, hash: H256) -> Result<Option<Vec<u8>>, String> {
		let key = object_key(&hash);
		let sign = |time: &AmzDateTime| self.config.get_object(&self.bucket, &key, time);
		match self.signed_get(sign, self.max_bytes).await? {
			(200, body) => Ok(Some(body)),
			(404, _) => Ok(None),
			(status, _) => Err(format!("cloud storage answered HTTP {status}")),
		}
	}

	/// Whether the bucket keeps old versions of its objects.
	async fn versioning(&self) -> Result<BucketVersioning, VersioningUnknown> {
		let sign = |time: &AmzDateTime| self.config.get_bucket_versioning(&self.bucket, time);
		match self.signed_get(sign, ERROR_BODY_LIMIT).await {
			Ok((200, body)) => Ok(BucketVersioning::from_configuration(&body)),
			Ok((status, body)) => Err(VersioningUnknown::from_error(status, &body)),
			Err(reason) => Err(VersioningUnknown::Unreachable(reason)),
		}
	}

	/// Asks the bucket whether it keeps versions, giving up after [`FETCH_TIMEOUT`].
	async fn versioning_within_timeout(&self) -> Result<BucketVersioning, VersioningUnknown> {
		tokio::time::timeout(FETCH_TIMEOUT, self.versioning()).await.unwrap_or_else(|_| {
			Err(VersioningUnknown::Unreachable(format!(
				"no answer in {} s",
				FETCH_TIMEOUT.as_secs()
			)))
		})
	}

	/// Refuses to pin into a bucket with versioning enabled: there a `DELETE` only hides an
	/// object behind a delete marker, so erasing a record would leave its ciphertext in the
	/// bucket. Also refuses credentials the bucket does not let read its versioning state
	/// (`AccessDenied`: grant `s3:GetBucketVersioning`), since the check would then never run.
	/// A bucket whose versioning is suspended is accepted with a warning (objects put from
	/// then on are deleted for good). If the bucket cannot be asked for another reason (down,
	/// wrong credentials, which the worker then reports on chain, or a server without the
	/// operation), the node starts anyway and says so; the worker then goes by the last answer
	/// this node had ([`note_versioning`]), and [`Self::watch_versioning`] asks again.
	pub async fn refuse_versioned_bucket(
		&self,
		storage: &mut impl OffchainStorage,
	) -> Result<(), String> {
		let answer = self.versioning_within_timeout().await;
		note_versioning(storage, &self.bucket_identity, &answer);
		match answer {
			Ok(BucketVersioning::Enabled) => Err(format!(
				"the pinning bucket {:?} has S3 versioning enabled: deleting an erased record's \
				 ciphertext would only hide it behind a delete marker, and every version would \
				 stay. Versioning cannot be turned off again; pin to a bucket that never had it \
				 (and no Object Lock), or run without --pinning-endpoint",
				self.bucket
			)),
			Ok(BucketVersioning::Suspended) => {
				log::warn!(
					target: "pinning",
					"the pinning bucket {:?} has S3 versioning suspended: objects put from now on \
					 are deleted for good, but versions kept while it was enabled stay",
					self.bucket
				);
				Ok(())
			},
			Ok(BucketVersioning::Off) => Ok(()),
			Err(VersioningUnknown::Denied) => Err(format!(
				"the pinning credentials may not read the versioning state of bucket {:?} \
				 (AccessDenied): grant them s3:GetBucketVersioning, so that the node can check \
				 that erased ciphertext is really deleted",
				self.bucket
			)),
			Err(VersioningUnknown::Unreachable(reason)) => {
				log::warn!(
					target: "pinning",
					"could not check that the pinning bucket {:?} does not keep object versions \
					 ({reason}); pinning anyway unless the last check of this bucket found it did",
					self.bucket
				);
				Ok(())
			},
		}
	}

	/// Asks the bucket again every `every` whether it keeps versions, for as long as the node
	/// runs: versioning turned on after the node started (or while the bucket could not be
	/// asked at start) stops the worker's uploads within `every`, and turning it off (suspending)
	/// lets them go on ([`note_versioning`]).
	pub async fn watch_versioning(
		self: Arc<Self>,
		mut storage: impl OffchainStorage,
		every: Duration,
	) {
		loop {
			tokio::time::sleep(every).await;
			let answer = self.versioning_within_timeout().await;
			let kept_versions = uploads_refused(&storage, &self.bucket_identity);
			note_versioning(&mut storage, &self.bucket_identity, &answer);
			match answer {
				Ok(BucketVersioning::Enabled) => log::error!(
					target: "pinning",
					"the pinning bucket {:?} has S3 versioning enabled: deleting an erased \
					 record's ciphertext would only hide it, so this node uploads nothing and \
					 reports each pin it cannot make. Versioning cannot be turned off again: \
					 suspend it, or move pinning to a bucket that never had it, and restart",
					self.bucket
				),
				Ok(_) if kept_versions => log::info!(
					target: "pinning",
					"the pinning bucket {:?} no longer keeps new object versions: uploading again",
					self.bucket
				),
				Ok(_) => {},
				Err(VersioningUnknown::Denied) => log::warn!(
					target: "pinning",
					"the pinning credentials may no longer read the versioning state of bucket \
					 {:?} (AccessDenied): going by the last answer; grant them \
					 s3:GetBucketVersioning",
					self.bucket
				),
				Err(VersioningUnknown::Unreachable(reason)) => log::log!(
					target: "pinning",
					// Loud while uploads wait on the answer.
					if kept_versions { log::Level::Warn } else { log::Level::Debug },
					"could not check the versioning of the pinning bucket {:?} ({reason}); going \
					 by the last answer",
					self.bucket
				),
			}
		}
	}
}

/// Tells the pinning worker what a check of the bucket `bucket_identity` names found: while
/// versioning is enabled it uploads nothing ([`BUCKET_KEEPS_VERSIONS_KEY`] names the bucket);
/// once it is off or suspended, it uploads again. An answer that says nothing (no answer, or
/// no right to ask) leaves the last one standing; what was found of another bucket the node
/// pinned to before is no answer about this one, and the worker ignores it.
fn note_versioning(
	storage: &mut impl OffchainStorage,
	bucket_identity: &[u8],
	answer: &Result<BucketVersioning, VersioningUnknown>,
) {
	match answer {
		Ok(BucketVersioning::Enabled) => {
			storage.set(STORAGE_PREFIX, BUCKET_KEEPS_VERSIONS_KEY, bucket_identity)
		},
		Ok(BucketVersioning::Off | BucketVersioning::Suspended) => {
			storage.remove(STORAGE_PREFIX, BUCKET_KEEPS_VERSIONS_KEY)
		},
		Err(_) => {},
	}
}

/// Whether the worker uploads nothing to the bucket `bucket_identity` names, because the node
/// found it keeping versions.
fn uploads_refused(storage: &impl OffchainStorage, bucket_identity: &[u8]) -> bool {
	storage
		.get(STORAGE_PREFIX, BUCKET_KEEPS_VERSIONS_KEY)
		.is_some_and(|bucket| bucket == bucket_identity)
}

/// Why a bucket's versioning state is not known.
#[derive(Clone, Debug, PartialEq, Eq)]
enum VersioningUnknown {
	/// The credentials are valid but may not read it.
	Denied,
	/// Anything else: no answer, another S3 error, or a server without the operation.
	Unreachable(String),
}

impl VersioningUnknown {
	/// From a non-200 answer: its status and S3 error document.
	fn from_error(status: u16, body: &[u8]) -> Self {
		let text = String::from_utf8_lossy(body);
		if text.contains("<Code>AccessDenied</Code>") {
			Self::Denied
		} else {
			let code = text
				.split_once("<Code>")
				.and_then(|(_, rest)| rest.split_once("</Code>"))
				.map(|(code, _)| format!(" {code}"))
				.unwrap_or_default();
			Self::Unreachable(format!("cloud storage answered HTTP {status}{code}"))
		}
	}
}

/// A bucket's versioning state (`GetBucketVersioning`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BucketVersioning {
	/// Never enabled: a `DELETE` removes the object.
	Off,
	/// Every version is kept; a `DELETE` adds a delete marker.
	Enabled,
	/// Was enabled; new objects are not versioned, older versions remain.
	Suspended,
}

impl BucketVersioning {
	/// From a `VersioningConfiguration` document: its `Status` element, absent if versioning
	/// was never enabled.
	pub fn from_configuration(xml: &[u8]) -> Self {
		let text = String::from_utf8_lossy(xml);
		if text.contains("<Status>Enabled</Status>") {
			Self::Enabled
		} else if text.contains("<Status>Suspended</Status>") {
			Self::Suspended
		} else {
			Self::Off
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
	fn the_versioning_status_is_read_from_the_configuration() {
		let configuration = |status: &str| {
			format!(
				"<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
				 {status}</VersioningConfiguration>"
			)
		};
		let read =
			|status: &str| BucketVersioning::from_configuration(configuration(status).as_bytes());
		assert_eq!(read(""), BucketVersioning::Off);
		assert_eq!(read("<Status>Enabled</Status>"), BucketVersioning::Enabled);
		assert_eq!(read("<Status>Suspended</Status>"), BucketVersioning::Suspended);
		assert_eq!(
			read("<Status>Enabled</Status><MfaDelete>Disabled</MfaDelete>"),
			BucketVersioning::Enabled
		);
	}

	#[test]
	fn the_worker_uploads_only_while_the_last_answer_found_no_versioning() {
		let mut storage = sp_core::offchain::storage::InMemOffchainStorage::default();
		let this = b"this bucket".as_slice();
		let unreachable = || Err(VersioningUnknown::Unreachable("no answer in 30 s".into()));
		// Nothing known yet: uploads go ahead (a server without the operation still pins).
		note_versioning(&mut storage, this, &unreachable());
		assert!(!uploads_refused(&storage, this));
		note_versioning(&mut storage, this, &Ok(BucketVersioning::Enabled));
		assert!(uploads_refused(&storage, this));
		// An answer that says nothing leaves the last one standing.
		note_versioning(&mut storage, this, &unreachable());
		assert!(uploads_refused(&storage, this));
		note_versioning(&mut storage, this, &Err(VersioningUnknown::Denied));
		assert!(uploads_refused(&storage, this));
		note_versioning(&mut storage, this, &Ok(BucketVersioning::Suspended));
		assert!(!uploads_refused(&storage, this));
		note_versioning(&mut storage, this, &Ok(BucketVersioning::Enabled));
		note_versioning(&mut storage, this, &Ok(BucketVersioning::Off));
		assert!(!uploads_refused(&storage, this));
		// What was found of the bucket the node pinned to before says nothing of this one.
		note_versioning(&mut storage, b"the old bucket", &Ok(BucketVersioning::Enabled));
		assert!(!uploads_refused(&storage, this));
		// Where the worker looks.
		note_versioning(&mut storage, this, &Ok(BucketVersioning::Enabled));
		assert_eq!(storage.get(STORAGE_PREFIX, BUCKET_KEEPS_VERSIONS_KEY).as_deref(), Some(this));
	}

	#[test]
	fn only_access_denied_counts_as_a_refusal_to_say() {
		let error = |code: &str| format!("<Error><Code>{code}</Code><Message>m</Message></Error>");
		assert_eq!(
			VersioningUnknown::from_error(403, error("AccessDenied").as_bytes()),
			VersioningUnknown::Denied
		);
		assert_eq!(
			VersioningUnknown::from_error(403, error("SignatureDoesNotMatch").as_bytes()),
			VersioningUnknown::Unreachable(
				"cloud storage answered HTTP 403 SignatureDoesNotMatch".into()
			)
		);
		assert_eq!(
			VersioningUnknown::from_error(501, b""),
			VersioningUnknown::Unreachable("cloud storage answered HTTP 501".into())
		);
	}

	#[test]
	fn settings_without_a_scheme_are_refused() {
		let settings = StorageSettings {
			endpoint: b"127.0.0.1:8333".to_vec(),
			bucket: b"b".to_vec(),
			region: b"us-east-1".to_vec(),
			access_key_id: b"AKID".to_vec(),
			signing_keys: Vec::new(),
			retry_base_ms: 2_000,
			finality_depth: 10,
		};
		let credentials = Credentials::new("AKID", "secret").unwrap();
		let error = CloudBlobs::new(&settings, credentials, 10).err().expect("refused");
		assert!(error.contains("scheme"), "{error}");
		assert!(!error.contains("secret"), "{error}");
	}
}
