//! The SigV4 signer: canonical request, string to sign, signing key and `Authorization`.

use alloc::{string::String, vec::Vec};
use core::fmt::{self, Write as _};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::{
	credentials::is_scope_part,
	encode::{canonical_query_string, push_hex_lower, push_uri_encoded},
	AmzDateTime, Credentials, Error,
};

/// The SigV4 algorithm name, first word of the `Authorization` header and of the string to
/// sign.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The payload-hash placeholder telling S3 that the body is not covered by the signature.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// Hex SHA-256 of the empty string: the payload hash of a request without a body.
pub const EMPTY_PAYLOAD_SHA256: &str =
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

const TERMINATOR: &str = "aws4_request";

/// What is signed: one HTTP request, unencoded.
#[derive(Clone, Copy, Debug)]
pub struct SigningRequest<'a> {
	/// The HTTP method in upper case, e.g. `GET`.
	pub method: &'a str,
	/// The absolute path, unencoded (e.g. `/bucket/my key`), starting with `/`. It is
	/// URI-encoded once with `/` kept, as S3 expects; it is not normalised.
	pub path: &'a str,
	/// The query parameters, unencoded, in any order; use `""` for a key without a value.
	pub query: &'a [(&'a str, &'a str)],
	/// The headers to sign, in any order and case; repeated names are joined with `,` in the
	/// order given. `host` is required. `x-amz-date` may be left out (it is then signed with
	/// the value [`SignatureParts::amz_date`], which the caller must send); if present it must
	/// equal that value.
	pub headers: &'a [(&'a str, &'a str)],
	/// The hex SHA-256 of the body (64 lower-case digits), or [`UNSIGNED_PAYLOAD`].
	pub payload_sha256: &'a str,
}

/// The result of signing, with the intermediate strings for tests and debugging. None of them
/// contains the secret key; `Debug` also redacts a session token (`x-amz-security-token`) in
/// the canonical request.
#[derive(Clone, PartialEq, Eq)]
pub struct SignatureParts {
	/// The value of the `Authorization` header:
	/// `AWS4-HMAC-SHA256 Credential=AKID/SCOPE, SignedHeaders=..., Signature=...`.
	pub authorization: String,
	/// The value of the `x-amz-date` header, `YYYYMMDDTHHMMSSZ`.
	pub amz_date: String,
	/// The credential scope, `YYYYMMDD/region/service/aws4_request`.
	pub credential_scope: String,
	/// The canonical request (task 1 of the specification).
	pub canonical_request: String,
	/// The string to sign (task 2).
	pub string_to_sign: String,
	/// The signed header names, lower case, sorted, joined with `;`.
	pub signed_headers: String,
	/// The signature, 64 lower-case hex digits.
	pub signature: String,
}

/// Name of the header carrying the session token of temporary credentials.
pub(crate) const SECURITY_TOKEN_HEADER: &str = "x-amz-security-token";

/// Shows a canonical request with the value of the session-token header replaced.
struct RedactedCanonicalRequest<'a>(&'a str);

impl fmt::Debug for RedactedCanonicalRequest<'_> {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_char('"')?;
		for (index, line) in self.0.split('\n').enumerate() {
			if index > 0 {
				f.write_str("\\n")?;
			}
			match line.strip_prefix(SECURITY_TOKEN_HEADER).and_then(|rest| rest.strip_prefix(':')) {
				Some(_) => {
					f.write_str(SECURITY_TOKEN_HEADER)?;
					f.write_str(":<redacted>")?;
				},
				None => write!(f, "{}", line.escape_debug())?,
			}
		}
		f.write_char('"')
	}
}

impl fmt::Debug for SignatureParts {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.debug_struct("SignatureParts")
			.field("authorization", &self.authorization)
			.field("amz_date", &self.amz_date)
			.field("credential_scope", &self.credential_scope)
			.field("canonical_request", &RedactedCanonicalRequest(&self.canonical_request))
			.field("string_to_sign", &self.string_to_sign)
			.field("signed_headers", &self.signed_headers)
			.field("signature", &self.signature)
			.finish()
	}
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Result<[u8; 32], Error> {
	let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).map_err(|_| Error::Crypto)?;
	mac.update(data);
	Ok(mac.finalize().into_bytes().into())
}

/// Overwrites `buf` with zeros; `black_box` keeps the compiler from dropping the stores.
fn wipe(buf: &mut [u8]) {
	buf.iter_mut().for_each(|b| *b = 0);
	core::hint::black_box(buf);
}

/// The SigV4 signing key for one day, region and service:
/// `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
///
/// `date_stamp` is `YYYYMMDD` ([`AmzDateTime::date_stamp`]). The key is valid for that whole
/// day, so callers signing many requests may cache it; treat it as a secret.
pub fn signing_key(
	secret_access_key: &str,
	date_stamp: &str,
	region: &str,
	service: &str,
) -> Result<[u8; 32], Error> {
	let mut secret = Vec::with_capacity(secret_access_key.len().saturating_add(4));
	secret.extend_from_slice(b"AWS4");
	secret.extend_from_slice(secret_access_key.as_bytes());
	let date_key = hmac_sha256(&secret, date_stamp.as_bytes());
	wipe(&mut secret);
	let mut date_key = date_key?;
	let mut region_key = hmac_sha256(&date_key, region.as_bytes())?;
	wipe(&mut date_key);
	let mut service_key = hmac_sha256(&region_key, service.as_bytes())?;
	wipe(&mut region_key);
	let signing = hmac_sha256(&service_key, TERMINATOR.as_bytes());
	wipe(&mut service_key);
	signing
}

fn is_token_byte(byte: u8) -> bool {
	byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

fn is_valid_payload_hash(hash: &str) -> bool {
	hash == UNSIGNED_PAYLOAD
		|| (hash.len() == 64
			&& hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
}

/// The header value with leading and trailing spaces/tabs removed and every inner run of
/// spaces/tabs replaced by one space (the specification's "Trimall"). Control characters other
/// than tab are refused, so no value can smuggle a line break into the request.
fn trimall(value: &str) -> Result<String, Error> {
	let mut out = String::with_capacity(value.len());
	let mut pending_space = false;
	for ch in value.chars() {
		if ch == ' ' || ch == '\t' {
			pending_space = !out.is_empty();
			continue;
		}
		if ch.is_ascii_control() {
			return Err(Error::InvalidHeaderValue);
		}
		if pending_space {
			out.push(' ');
			pending_space = false;
		}
		out.push(ch);
	}
	Ok(out)
}

/// Signs `request` with `credentials` for `region` and `service` (`"s3"` for S3) at `time`.
///
/// Returns the `Authorization` and `x-amz-date` header values to send, with the canonical
/// request and string to sign. Fails on input that cannot be signed unambiguously (see
/// [`Error`]).
pub fn sign(
	request: &SigningRequest<'_>,
	region: &str,
	service: &str,
	credentials: &Credentials,
	time: &AmzDateTime,
) -> Result<SignatureParts, Error> {
	if request.method.is_empty() || !request.method.bytes().all(|b| b.is_ascii_uppercase()) {
		return Err(Error::InvalidMethod);
	}
	if !request.path.starts_with('/') {
		return Err(Error::InvalidPath);
	}
	if !is_scope_part(region) || !is_scope_part(service) {
		return Err(Error::InvalidScope);
	}
	if !is_valid_payload_hash(request.payload_sha256) {
		return Err(Error::InvalidPayloadHash);
	}
	let amz_date = time.amz_date();
	let date_stamp = time.date_stamp();

	// Canonical headers: lower-case names, trimmed values, sorted by name (stable, so repeated
	// names keep their order), repeated names merged.
	let mut headers: Vec<(String, String)> =
		Vec::with_capacity(request.headers.len().saturating_add(1));
	for (name, value) in request.headers {
		if name.is_empty() || !name.bytes().all(is_token_byte) {
			return Err(Error::InvalidHeaderName);
		}
		headers.push((name.to_ascii_lowercase(), trimall(value)?));
	}
	if !headers.iter().any(|(name, _)| name == "host") {
		return Err(Error::MissingHost);
	}
	match headers.iter().find(|(name, _)| name == "x-amz-date") {
		Some((_, value)) if *value != amz_date => return Err(Error::DateHeaderMismatch),
		Some(_) => {},
		None => headers.push((String::from("x-amz-date"), amz_date.clone())),
	}
	headers.sort_by(|a, b| a.0.cmp(&b.0));
	let mut merged: Vec<(String, String)> = Vec::with_capacity(headers.len());
	for (name, value) in headers {
		match merged.last_mut() {
			Some((last_name, last_value)) if *last_name == name => {
				last_value.push(',');
				last_value.push_str(&value);
			},
			_ => merged.push((name, value)),
		}
	}

	let mut signed_headers = String::new();
	for (index, (name, _)) in merged.iter().enumerate() {
		if index > 0 {
			signed_headers.push(';');
		}
		signed_headers.push_str(name);
	}

	// Task 1: the canonical request.
	let mut canonical_request = String::with_capacity(256);
	canonical_request.push_str(request.method);
	canonical_request.push('\n');
	push_uri_encoded(&mut canonical_request, request.path, true);
	canonical_request.push('\n');
	canonical_request.push_str(&canonical_query_string(request.query));
	canonical_request.push('\n');
	for (name, value) in &merged {
		canonical_request.push_str(name);
		canonical_request.push(':');
		canonical_request.push_str(value);
		canonical_request.push('\n');
	}
	canonical_request.push('\n');
	canonical_request.push_str(&signed_headers);
	canonical_request.push('\n');
	canonical_request.push_str(request.payload_sha256);

	// Task 2: the string to sign.
	let mut credential_scope = String::with_capacity(64);
	for part in [date_stamp.as_str(), region, service, TERMINATOR] {
		if !credential_scope.is_empty() {
			credential_scope.push('/');
		}
		credential_scope.push_str(part);
	}
	let mut string_to_sign = String::with_capacity(160);
	string_to_sign.push_str(ALGORITHM);
	string_to_sign.push('\n');
	string_to_sign.push_str(&amz_date);
	string_to_sign.push('\n');
	string_to_sign.push_str(&credential_scope);
	string_to_sign.push('\n');
	push_hex_lower(&mut string_to_sign, &Sha256::digest(canonical_request.as_bytes()));

	// Tasks 3 and 4: the signature and the Authorization header.
	let mut key = credentials.signing_key(&date_stamp, region, service)?;
	let raw_signature = hmac_sha256(&key, string_to_sign.as_bytes());
	wipe(&mut key);
	let mut signature = String::with_capacity(64);
	push_hex_lower(&mut signature, &raw_signature?);

	let mut authorization = String::with_capacity(
		ALGORITHM
			.len()
			.saturating_add(credentials.access_key_id().len())
			.saturating_add(credential_scope.len())
			.saturating_add(signed_headers.len())
			.saturating_add(128),
	);
	authorization.push_str(ALGORITHM);
	authorization.push_str(" Credential=");
	authorization.push_str(credentials.access_key_id());
	authorization.push('/');
	authorization.push_str(&credential_scope);
	authorization.push_str(", SignedHeaders=");
	authorization.push_str(&signed_headers);
	authorization.push_str(", Signature=");
	authorization.push_str(&signature);

	Ok(SignatureParts {
		authorization,
		amz_date,
		credential_scope,
		canonical_request,
		string_to_sign,
		signed_headers,
		signature,
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn trimall_rules() {
		assert_eq!(trimall("  a   b \t c  ").unwrap(), "a b c");
		assert_eq!(trimall("\"a   b   c\"").unwrap(), "\"a b c\"");
		assert_eq!(trimall("").unwrap(), "");
		assert_eq!(trimall("x\r\ny"), Err(Error::InvalidHeaderValue));
		assert_eq!(trimall("x\0"), Err(Error::InvalidHeaderValue));
	}

	#[test]
	fn signing_key_matches_aws_documentation_example() {
		// AWS General Reference, "Examples of how to derive a signing key for Signature
		// Version 4" (secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215, us-east-1,
		// iam).
		let key =
			signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam")
				.unwrap();
		assert_eq!(
			crate::hex_lower(&key),
			"f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
		);
	}
}
