//! Access credentials, with a `Debug` that never prints the secret.

use alloc::{string::String, vec::Vec};
use core::fmt;

use crate::{signing_key, Error};

/// `access_key_id` if it is non-empty `[A-Za-z0-9._-]`: it is put into the `Credential=` field
/// verbatim, where `/`, `,` or spaces would break parsing.
fn checked_access_key_id(access_key_id: String) -> Result<String, Error> {
	if access_key_id.is_empty()
		|| !access_key_id.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
	{
		return Err(Error::InvalidAccessKey);
	}
	Ok(access_key_id)
}

/// An access key id and what signs for it: the secret access key, or only the signing keys
/// of some days ([`Credentials::from_day_keys`]); plus an optional session token (temporary
/// credentials).
///
/// `Debug` prints the access key id (an identifier, not a secret) and redacts the secret, the
/// day keys and the session token. The fields are private so none of them can leak through a
/// derived `Debug` of a containing type either; read them with the accessor methods.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
	access_key_id: String,
	signer: Signer,
	session_token: Option<String>,
}

/// What derives the signing key of a request.
#[derive(Clone, PartialEq, Eq)]
enum Signer {
	/// The long-term secret: signs for any day, region and service.
	Secret(String),
	/// Signing keys of whole days, for one region and service.
	Days(DayKeys),
}

/// The SigV4 signing keys of some days (`YYYYMMDD`, UTC) for one region and service.
///
/// A signing key signs only requests dated on its day, for its region and service, and the
/// secret cannot be recovered from it (it is HMAC-SHA256 over the secret). So a process that
/// signs with day keys, and whatever it stores them in, never holds the secret, and what leaks
/// from it signs nothing dated after its days (a presigned URL dated on one of them may be
/// honoured for up to 7 days more).
#[derive(Clone, PartialEq, Eq)]
pub struct DayKeys {
	region: String,
	service: String,
	keys: Vec<(String, [u8; 32])>,
}

impl DayKeys {
	/// The keys `keys`, each of the day (`YYYYMMDD`) beside it, for `region` and `service`.
	/// Fails on a malformed scope or day, and on no keys at all.
	pub fn new(
		region: impl Into<String>,
		service: impl Into<String>,
		keys: Vec<(String, [u8; 32])>,
	) -> Result<Self, Error> {
		let (region, service) = (region.into(), service.into());
		if !is_scope_part(&region) || !is_scope_part(&service) {
			return Err(Error::InvalidScope);
		}
		let is_day = |day: &String| day.len() == 8 && day.bytes().all(|b| b.is_ascii_digit());
		if keys.is_empty() || !keys.iter().all(|(day, _)| is_day(day)) {
			return Err(Error::InvalidDayKeys);
		}
		Ok(Self { region, service, keys })
	}

	/// The days there are keys for, `YYYYMMDD`.
	pub fn days(&self) -> impl Iterator<Item = &str> {
		self.keys.iter().map(|(day, _)| day.as_str())
	}

	/// The signing key of `date_stamp` for `region` and `service`, if these keys hold it.
	fn key(&self, date_stamp: &str, region: &str, service: &str) -> Result<[u8; 32], Error> {
		if self.region != region || self.service != service {
			return Err(Error::NoSigningKey);
		}
		self.keys
			.iter()
			.find(|(day, _)| day == date_stamp)
			.map(|(_, key)| *key)
			.ok_or(Error::NoSigningKey)
	}
}

impl fmt::Debug for DayKeys {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.debug_struct("DayKeys")
			.field("region", &self.region)
			.field("service", &self.service)
			.field("days", &self.days().collect::<Vec<_>>())
			.field("keys", &"<redacted>")
			.finish()
	}
}

/// Whether `part` may be a region or service of a credential scope: non-empty `[a-z0-9-]`.
pub(crate) fn is_scope_part(part: &str) -> bool {
	!part.is_empty()
		&& part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl Credentials {
	/// Long-term credentials. The access key id must be non-empty `[A-Za-z0-9._-]` (it is put
	/// into the `Credential=` field verbatim, where `/`, `,` or spaces would break parsing) and
	/// the secret must be non-empty.
	pub fn new(
		access_key_id: impl Into<String>,
		secret_access_key: impl Into<String>,
	) -> Result<Self, Error> {
		let secret_access_key = secret_access_key.into();
		if secret_access_key.is_empty() {
			return Err(Error::InvalidSecretKey);
		}
		Ok(Self {
			access_key_id: checked_access_key_id(access_key_id.into())?,
			signer: Signer::Secret(secret_access_key),
			session_token: None,
		})
	}

	/// Credentials that sign only with `keys`: requests dated on their days, for their region
	/// and service. The access key id is checked as for [`Credentials::new`].
	pub fn from_day_keys(access_key_id: impl Into<String>, keys: DayKeys) -> Result<Self, Error> {
		Ok(Self {
			access_key_id: checked_access_key_id(access_key_id.into())?,
			signer: Signer::Days(keys),
			session_token: None,
		})
	}

	/// Adds the session token of temporary credentials; the S3 builder then sends (and signs)
	/// it as `x-amz-security-token`.
	pub fn with_session_token(mut self, token: impl Into<String>) -> Self {
		self.session_token = Some(token.into());
		self
	}

	/// The access key id.
	pub fn access_key_id(&self) -> &str {
		&self.access_key_id
	}

	/// The secret access key, unless these credentials hold only day keys. Handle with care:
	/// never log it.
	pub fn secret_access_key(&self) -> Option<&str> {
		match &self.signer {
			Signer::Secret(secret) => Some(secret),
			Signer::Days(_) => None,
		}
	}

	/// The day keys these credentials sign with, if they hold no secret.
	pub fn day_keys(&self) -> Option<&DayKeys> {
		match &self.signer {
			Signer::Secret(_) => None,
			Signer::Days(keys) => Some(keys),
		}
	}

	/// The SigV4 signing key of `date_stamp`, `region` and `service`: derived from the secret,
	/// or the day key held for them ([`Error::NoSigningKey`] if none is).
	pub(crate) fn signing_key(
		&self,
		date_stamp: &str,
		region: &str,
		service: &str,
	) -> Result<[u8; 32], Error> {
		match &self.signer {
			Signer::Secret(secret) => signing_key(secret, date_stamp, region, service),
			Signer::Days(keys) => keys.key(date_stamp, region, service),
		}
	}

	/// The session token, if these are temporary credentials.
	pub fn session_token(&self) -> Option<&str> {
		self.session_token.as_deref()
	}
}

impl fmt::Debug for Credentials {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.debug_struct("Credentials")
			.field("access_key_id", &self.access_key_id)
			.field(
				"signs_with",
				&match &self.signer {
					Signer::Secret(_) => "<redacted secret>",
					Signer::Days(_) => "<redacted day keys>",
				},
			)
			.field("session_token", &self.session_token.as_ref().map(|_| "<redacted>"))
			.finish()
	}
}
