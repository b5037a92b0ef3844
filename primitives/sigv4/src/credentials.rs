//! Access credentials, with a `Debug` that never prints the secret.

use alloc::string::String;
use core::fmt;

use crate::Error;

/// An access key id and its secret, plus an optional session token (temporary credentials).
///
/// `Debug` prints the access key id (an identifier, not a secret) and redacts the secret and
/// the session token. The fields are private so the secret cannot leak through a derived
/// `Debug` of a containing type either; read them with the accessor methods.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
	access_key_id: String,
	secret_access_key: String,
	session_token: Option<String>,
}

impl Credentials {
	/// Long-term credentials. The access key id must be non-empty `[A-Za-z0-9._-]` (it is put
	/// into the `Credential=` field verbatim, where `/`, `,` or spaces would break parsing) and
	/// the secret must be non-empty.
	pub fn new(
		access_key_id: impl Into<String>,
		secret_access_key: impl Into<String>,
	) -> Result<Self, Error> {
		let access_key_id = access_key_id.into();
		let secret_access_key = secret_access_key.into();
		if access_key_id.is_empty()
			|| !access_key_id.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
		{
			return Err(Error::InvalidAccessKey);
		}
		if secret_access_key.is_empty() {
			return Err(Error::InvalidSecretKey);
		}
		Ok(Self { access_key_id, secret_access_key, session_token: None })
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

	/// The secret access key. Handle with care: never log it.
	pub fn secret_access_key(&self) -> &str {
		&self.secret_access_key
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
			.field("secret_access_key", &"<redacted>")
			.field("session_token", &self.session_token.as_ref().map(|_| "<redacted>"))
			.finish()
	}
}
