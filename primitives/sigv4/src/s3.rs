//! Signed requests for the few S3 operations MedChain uses.

use alloc::{string::String, vec::Vec};
use core::fmt;

use crate::{
	encode::{base64, canonical_query_string, decode_sha256_hex, push_uri_encoded},
	sha256_hex, sign,
	signer::SECURITY_TOKEN_HEADER,
	AmzDateTime, Credentials, Error, SignatureParts, SigningRequest, EMPTY_PAYLOAD_SHA256,
	UNSIGNED_PAYLOAD,
};

/// The SigV4 service name of S3, the scope of its signing keys.
pub const S3_SERVICE: &str = "s3";
/// Longest object key S3 accepts, in bytes.
const MAX_KEY_LEN: usize = 1024;
/// Headers the builder sets itself; extra headers may not repeat them.
const RESERVED_HEADERS: [&str; 7] = [
	"host",
	"x-amz-date",
	"x-amz-content-sha256",
	"x-amz-checksum-sha256",
	"content-length",
	"x-amz-security-token",
	"authorization",
];

/// How the bucket is named in the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Addressing {
	/// `http://endpoint/bucket/key`: what SeaweedFS, MinIO and other self-hosted servers
	/// expect.
	Path,
	/// `http://bucket.endpoint/key`: AWS's default.
	VirtualHosted,
}

/// One S3 operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum S3Operation<'a> {
	/// `PutObject`: `PUT` of a whole object, whose body must have exactly `content_length`
	/// bytes with hex SHA-256 `payload_sha256`.
	///
	/// Besides `x-amz-content-sha256` (which AWS checks against the body, but SeaweedFS 4.48
	/// only uses in the signature), the same digest is sent and signed as
	/// `x-amz-checksum-sha256` (base64), a flexible checksum that AWS and SeaweedFS both
	/// verify: a body that does not hash to `payload_sha256` is refused (400 `BadDigest` /
	/// `XAmzContentSHA256Mismatch`) and nothing is stored. With [`crate::UNSIGNED_PAYLOAD`]
	/// neither check applies.
	PutObject {
		/// The object key, unencoded.
		key: &'a str,
		/// Hex SHA-256 of the body (see [`crate::sha256_hex`]).
		payload_sha256: &'a str,
		/// Length of the body in bytes.
		content_length: u64,
	},
	/// `GetObject`: `GET` of the object.
	GetObject {
		/// The object key, unencoded.
		key: &'a str,
	},
	/// `HeadObject`: `HEAD` of the object (metadata only).
	HeadObject {
		/// The object key, unencoded.
		key: &'a str,
	},
	/// `DeleteObject`: `DELETE` of the object.
	DeleteObject {
		/// The object key, unencoded.
		key: &'a str,
	},
	/// `CreateBucket`: `PUT` on the bucket, with an empty body (no `LocationConstraint`,
	/// which AWS only accepts in us-east-1; self-hosted servers ignore the region).
	CreateBucket,
	/// `GetBucketVersioning`: `GET` on the bucket with the `versioning` sub-resource, to learn
	/// whether it keeps old versions of objects (a `DELETE` then only adds a delete marker).
	GetBucketVersioning,
}

/// Where and as whom requests are made. `Debug` does not print the secret key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct S3Config {
	endpoint: String,
	region: String,
	credentials: Credentials,
	addressing: Addressing,
}

/// A signed S3 request, ready to send. `Debug` redacts a session token.
#[derive(Clone, PartialEq, Eq)]
pub struct S3Request {
	/// The HTTP method.
	pub method: &'static str,
	/// The `host[:port]` to connect to and send as `Host`.
	pub host: String,
	/// The URI-encoded path to send, e.g. `/bucket/my%20key` (the same string that was
	/// signed), followed by the query string if the operation has one (`?versioning=`).
	pub path: String,
	/// Every header to send, `Host` and `Authorization` included, names in lower case. Send
	/// each exactly once and do not add others that change the request's meaning; an HTTP
	/// client that sets `Host` or `Content-Length` itself must set the same values.
	pub headers: Vec<(String, String)>,
	/// The signature and its intermediate strings.
	pub signature: SignatureParts,
}

impl fmt::Debug for S3Request {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		let headers: Vec<(&str, &str)> = self
			.headers
			.iter()
			.map(|(name, value)| {
				if name.eq_ignore_ascii_case(SECURITY_TOKEN_HEADER) {
					(name.as_str(), "<redacted>")
				} else {
					(name.as_str(), value.as_str())
				}
			})
			.collect();
		f.debug_struct("S3Request")
			.field("method", &self.method)
			.field("host", &self.host)
			.field("path", &self.path)
			.field("headers", &headers)
			.field("signature", &self.signature)
			.finish()
	}
}

impl S3Request {
	/// The full URL, `scheme://host/path`, e.g. for `sp_runtime::offchain::http::Request`.
	pub fn url(&self, scheme: &str) -> String {
		let mut url = String::with_capacity(
			scheme
				.len()
				.saturating_add(self.host.len())
				.saturating_add(self.path.len())
				.saturating_add(3),
		);
		url.push_str(scheme);
		url.push_str("://");
		url.push_str(&self.host);
		url.push_str(&self.path);
		url
	}

	/// The value of header `name` (case-insensitive), if the request has it.
	pub fn header(&self, name: &str) -> Option<&str> {
		self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
	}
}

fn is_valid_endpoint(endpoint: &str) -> bool {
	!endpoint.is_empty()
		&& endpoint
			.bytes()
			.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

/// S3's bucket naming rules: 3 to 63 characters of `[a-z0-9.-]`, beginning and ending with a
/// letter or digit, no `..`.
pub fn is_valid_bucket(bucket: &str) -> bool {
	let bytes = bucket.as_bytes();
	let edge_ok = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
	(3..=63).contains(&bytes.len())
		&& bytes
			.iter()
			.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-'))
		&& edge_ok(bytes.first())
		&& edge_ok(bytes.last())
		&& !bucket.contains("..")
}

impl S3Config {
	/// A configuration for `endpoint` (`host` or `host:port`, no scheme, e.g.
	/// `127.0.0.1:8333` or `s3.eu-central-1.amazonaws.com`), `region` (e.g. `us-east-1`) and
	/// `credentials`.
	pub fn new(
		endpoint: impl Into<String>,
		region: impl Into<String>,
		credentials: Credentials,
		addressing: Addressing,
	) -> Result<Self, Error> {
		let endpoint = endpoint.into();
		if !is_valid_endpoint(&endpoint) {
			return Err(Error::InvalidEndpoint);
		}
		let region = region.into();
		if region.is_empty()
			|| !region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
		{
			return Err(Error::InvalidScope);
		}
		Ok(Self { endpoint, region, credentials, addressing })
	}

	/// The endpoint, `host[:port]`.
	pub fn endpoint(&self) -> &str {
		&self.endpoint
	}

	/// The signing region.
	pub fn region(&self) -> &str {
		&self.region
	}

	/// The credentials.
	pub fn credentials(&self) -> &Credentials {
		&self.credentials
	}

	/// The addressing style.
	pub fn addressing(&self) -> Addressing {
		self.addressing
	}

	/// Builds and signs `operation` on `bucket` at `time`. `extra_headers` (e.g. `Range`,
	/// `Content-Type`) are sent and signed too; they may not name a header the builder sets
	/// (see [`Error::ReservedHeader`]).
	pub fn request(
		&self,
		bucket: &str,
		operation: S3Operation<'_>,
		extra_headers: &[(&str, &str)],
		time: &AmzDateTime,
	) -> Result<S3Request, Error> {
		if !is_valid_bucket(bucket) {
			return Err(Error::InvalidBucketName);
		}
		for (name, _) in extra_headers {
			if RESERVED_HEADERS.iter().any(|reserved| name.eq_ignore_ascii_case(reserved)) {
				return Err(Error::ReservedHeader);
			}
		}
		let (method, key, payload_sha256, content_length) = match operation {
			S3Operation::PutObject { key, payload_sha256, content_length } => {
				("PUT", Some(key), payload_sha256, Some(content_length))
			},
			S3Operation::GetObject { key } => ("GET", Some(key), EMPTY_PAYLOAD_SHA256, None),
			S3Operation::HeadObject { key } => ("HEAD", Some(key), EMPTY_PAYLOAD_SHA256, None),
			S3Operation::DeleteObject { key } => ("DELETE", Some(key), EMPTY_PAYLOAD_SHA256, None),
			S3Operation::CreateBucket => ("PUT", None, EMPTY_PAYLOAD_SHA256, Some(0)),
			S3Operation::GetBucketVersioning => ("GET", None, EMPTY_PAYLOAD_SHA256, None),
		};
		let query: &[(&str, &str)] = match operation {
			S3Operation::GetBucketVersioning => &[("versioning", "")],
			_ => &[],
		};
		if let Some(key) = key {
			if key.is_empty() || key.len() > MAX_KEY_LEN {
				return Err(Error::InvalidObjectKey);
			}
		}

		// Host and unencoded path for the signer; the signer encodes the path the same way
		// as `path` below, so what is sent is what was signed.
		let mut host = String::new();
		let mut raw_path = String::from("/");
		match self.addressing {
			Addressing::Path => {
				host.push_str(&self.endpoint);
				raw_path.push_str(bucket);
				if let Some(key) = key {
					raw_path.push('/');
					raw_path.push_str(key);
				}
			},
			Addressing::VirtualHosted => {
				host.push_str(bucket);
				host.push('.');
				host.push_str(&self.endpoint);
				if let Some(key) = key {
					raw_path.push_str(key);
				}
			},
		}
		let mut path = String::with_capacity(raw_path.len());
		push_uri_encoded(&mut path, &raw_path, true);

		// The flexible checksum of a PUT body: base64 of the same SHA-256.
		let checksum_sha256 = match operation {
			S3Operation::PutObject { payload_sha256, .. } if payload_sha256 != UNSIGNED_PAYLOAD => {
				Some(base64(&decode_sha256_hex(payload_sha256).ok_or(Error::InvalidPayloadHash)?))
			},
			_ => None,
		};
		let amz_date = time.amz_date();
		let mut content_length_text = String::new();
		if let Some(length) = content_length {
			use core::fmt::Write;
			let _ = write!(content_length_text, "{length}");
		}
		let mut headers: Vec<(&str, &str)> =
			Vec::with_capacity(extra_headers.len().saturating_add(5));
		headers.push(("host", &host));
		headers.push(("x-amz-date", &amz_date));
		headers.push(("x-amz-content-sha256", payload_sha256));
		if content_length.is_some() {
			headers.push(("content-length", &content_length_text));
		}
		if let Some(checksum) = &checksum_sha256 {
			headers.push(("x-amz-checksum-sha256", checksum));
		}
		if let Some(token) = self.credentials.session_token() {
			headers.push((SECURITY_TOKEN_HEADER, token));
		}
		headers.extend_from_slice(extra_headers);

		let signature = sign(
			&SigningRequest { method, path: &raw_path, query, headers: &headers, payload_sha256 },
			&self.region,
			S3_SERVICE,
			&self.credentials,
			time,
		)?;

		let mut out_headers: Vec<(String, String)> = headers
			.iter()
			.map(|(name, value)| (String::from(*name), String::from(*value)))
			.collect();
		out_headers.push((String::from("authorization"), signature.authorization.clone()));
		if !query.is_empty() {
			path.push('?');
			path.push_str(&canonical_query_string(query));
		}
		Ok(S3Request { method, host, path, headers: out_headers, signature })
	}

	/// `PutObject` of `body` (hashed here).
	pub fn put_object(
		&self,
		bucket: &str,
		key: &str,
		body: &[u8],
		time: &AmzDateTime,
	) -> Result<S3Request, Error> {
		let payload_sha256 = sha256_hex(body);
		let content_length = u64::try_from(body.len()).map_err(|_| Error::Overflow)?;
		self.request(
			bucket,
			S3Operation::PutObject { key, payload_sha256: &payload_sha256, content_length },
			&[],
			time,
		)
	}

	/// `GetObject`.
	pub fn get_object(
		&self,
		bucket: &str,
		key: &str,
		time: &AmzDateTime,
	) -> Result<S3Request, Error> {
		self.request(bucket, S3Operation::GetObject { key }, &[], time)
	}

	/// `HeadObject`.
	pub fn head_object(
		&self,
		bucket: &str,
		key: &str,
		time: &AmzDateTime,
	) -> Result<S3Request, Error> {
		self.request(bucket, S3Operation::HeadObject { key }, &[], time)
	}

	/// `DeleteObject`.
	pub fn delete_object(
		&self,
		bucket: &str,
		key: &str,
		time: &AmzDateTime,
	) -> Result<S3Request, Error> {
		self.request(bucket, S3Operation::DeleteObject { key }, &[], time)
	}

	/// `CreateBucket`.
	pub fn create_bucket(&self, bucket: &str, time: &AmzDateTime) -> Result<S3Request, Error> {
		self.request(bucket, S3Operation::CreateBucket, &[], time)
	}

	/// `GetBucketVersioning`.
	pub fn get_bucket_versioning(
		&self,
		bucket: &str,
		time: &AmzDateTime,
	) -> Result<S3Request, Error> {
		self.request(bucket, S3Operation::GetBucketVersioning, &[], time)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn config(addressing: Addressing) -> S3Config {
		let credentials =
			Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
				.unwrap();
		S3Config::new("127.0.0.1:8333", "us-east-1", credentials, addressing).unwrap()
	}

	#[test]
	fn put_object_headers() {
		let time = AmzDateTime::new(2013, 5, 24, 0, 0, 0).unwrap();
		let request = config(Addressing::Path)
			.put_object("medchain-blobs", "records/a b$c.bin", b"Welcome to Amazon S3.", &time)
			.unwrap();
		assert_eq!(request.method, "PUT");
		assert_eq!(request.path, "/medchain-blobs/records/a%20b%24c.bin");
		assert_eq!(
			request.url("http"),
			"http://127.0.0.1:8333/medchain-blobs/records/a%20b%24c.bin"
		);
		assert_eq!(request.header("Host"), Some("127.0.0.1:8333"));
		assert_eq!(request.header("content-length"), Some("21"));
		assert_eq!(
			request.header("x-amz-content-sha256"),
			Some("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
		);
		assert_eq!(request.header("x-amz-date"), Some("20130524T000000Z"));
		assert_eq!(
			request.header("x-amz-checksum-sha256"),
			Some("RM591nyVng01JP+sF3Hfu6h9K2tLTpnkIDSouAP4sHI=")
		);
		assert_eq!(
			request.signature.signed_headers,
			"content-length;host;x-amz-checksum-sha256;x-amz-content-sha256;x-amz-date"
		);
		assert_eq!(request.header("authorization"), Some(request.signature.authorization.as_str()));
		assert!(request
			.signature
			.canonical_request
			.starts_with("PUT\n/medchain-blobs/records/a%20b%24c.bin\n\n"));
	}

	#[test]
	fn other_operations() {
		let time = AmzDateTime::new(2013, 5, 24, 0, 0, 0).unwrap();
		let c = config(Addressing::Path);
		let get = c.get_object("bkt", "k", &time).unwrap();
		assert_eq!((get.method, get.path.as_str()), ("GET", "/bkt/k"));
		assert_eq!(get.header("x-amz-content-sha256"), Some(EMPTY_PAYLOAD_SHA256));
		assert_eq!(get.header("content-length"), None);
		let head = c.head_object("bkt", "k", &time).unwrap();
		assert_eq!(head.method, "HEAD");
		let delete = c.delete_object("bkt", "k", &time).unwrap();
		assert_eq!(delete.method, "DELETE");
		let create = c.create_bucket("bkt", &time).unwrap();
		assert_eq!((create.method, create.path.as_str()), ("PUT", "/bkt"));
		assert_eq!(create.header("content-length"), Some("0"));
		// The sub-resource is signed as the canonical query and sent as the same query.
		let versioning = c.get_bucket_versioning("bkt", &time).unwrap();
		assert_eq!((versioning.method, versioning.path.as_str()), ("GET", "/bkt?versioning="));
		assert_eq!(versioning.url("http"), "http://127.0.0.1:8333/bkt?versioning=");
		assert!(versioning.signature.canonical_request.starts_with("GET\n/bkt\nversioning=\n"));
		let unsigned = c
			.request(
				"bkt",
				S3Operation::PutObject {
					key: "k",
					payload_sha256: crate::UNSIGNED_PAYLOAD,
					content_length: 3,
				},
				&[],
				&time,
			)
			.unwrap();
		assert_eq!(unsigned.header("x-amz-content-sha256"), Some("UNSIGNED-PAYLOAD"));
		assert_eq!(unsigned.header("x-amz-checksum-sha256"), None);
		let virtual_hosted =
			config(Addressing::VirtualHosted).get_object("bkt", "a/b", &time).unwrap();
		assert_eq!(virtual_hosted.host, "bkt.127.0.0.1:8333");
		assert_eq!(virtual_hosted.path, "/a/b");
	}

	#[test]
	fn rejects_bad_input() {
		let time = AmzDateTime::new(2013, 5, 24, 0, 0, 0).unwrap();
		let c = config(Addressing::Path);
		for bucket in ["ab", "Upper", "-abc", "abc-", "a..b", "a_b", "a/b"] {
			assert_eq!(
				c.get_object(bucket, "k", &time).unwrap_err(),
				Error::InvalidBucketName,
				"{bucket}"
			);
		}
		assert_eq!(c.get_object("bkt", "", &time).unwrap_err(), Error::InvalidObjectKey);
		let long_key = "k".repeat(1025);
		assert_eq!(c.get_object("bkt", &long_key, &time).unwrap_err(), Error::InvalidObjectKey);
		assert_eq!(
			c.request("bkt", S3Operation::GetObject { key: "k" }, &[("Host", "evil")], &time)
				.unwrap_err(),
			Error::ReservedHeader
		);
		assert_eq!(
			c.request("bkt", S3Operation::GetObject { key: "k" }, &[("x-custom", "a\r\nb")], &time)
				.unwrap_err(),
			Error::InvalidHeaderValue
		);
		assert_eq!(
			c.request(
				"bkt",
				S3Operation::PutObject { key: "k", payload_sha256: "nothex", content_length: 1 },
				&[],
				&time
			)
			.unwrap_err(),
			Error::InvalidPayloadHash
		);
		let credentials = Credentials::new("AK", "secret").unwrap();
		assert_eq!(
			S3Config::new("http://host", "us-east-1", credentials.clone(), Addressing::Path),
			Err(Error::InvalidEndpoint)
		);
		assert_eq!(
			S3Config::new("host", "US", credentials, Addressing::Path),
			Err(Error::InvalidScope)
		);
	}

	#[test]
	fn debug_output_redacts_secrets() {
		let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
		let credentials = Credentials::new("AKIAIOSFODNN7EXAMPLE", secret)
			.unwrap()
			.with_session_token("SESSIONTOKENVALUE");
		let c = S3Config::new("127.0.0.1:8333", "us-east-1", credentials.clone(), Addressing::Path)
			.unwrap();
		let time = AmzDateTime::new(2013, 5, 24, 0, 0, 0).unwrap();
		let request = c.put_object("bkt", "k", b"x", &time).unwrap();
		for text in [
			alloc::format!("{credentials:?}"),
			alloc::format!("{credentials:#?}"),
			alloc::format!("{c:?}"),
			alloc::format!("{request:?}"),
		] {
			assert!(!text.contains(secret), "{text}");
			assert!(!text.contains("wJalrXUtnFEMI"), "{text}");
		}
		assert!(alloc::format!("{credentials:?}").contains("<redacted>"));
		for text in [alloc::format!("{credentials:?}"), alloc::format!("{request:?}")] {
			assert!(!text.contains("SESSIONTOKENVALUE"), "{text}");
		}
		assert!(alloc::format!("{request:?}").contains("x-amz-security-token:<redacted>"));
		// The token itself is sent (and signed) as a header, as S3 requires.
		assert_eq!(request.header("x-amz-security-token"), Some("SESSIONTOKENVALUE"));
	}
}
