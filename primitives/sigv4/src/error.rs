//! The error type.

use core::fmt;

/// Why a request could not be signed or built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
	/// The calendar fields or Unix timestamp do not name a valid time in years 1970 to 9999.
	InvalidDateTime,
	/// The HTTP method is empty or not an upper-case token.
	InvalidMethod,
	/// The path does not start with `/`.
	InvalidPath,
	/// A header name is empty or contains a character that is not allowed in an HTTP token.
	InvalidHeaderName,
	/// A header value contains a control character (CR, LF, NUL, ...), which would allow
	/// header injection.
	InvalidHeaderValue,
	/// No `host` header was given; SigV4 requires it to be signed.
	MissingHost,
	/// An `x-amz-date` header was given whose value differs from the signing time.
	DateHeaderMismatch,
	/// The payload hash is neither 64 lower-case hex digits nor `UNSIGNED-PAYLOAD`.
	InvalidPayloadHash,
	/// The region or service is empty or contains a character other than `[a-z0-9-]`.
	InvalidScope,
	/// The access key id is empty or contains a character other than `[A-Za-z0-9._-]`.
	InvalidAccessKey,
	/// The secret access key is empty.
	InvalidSecretKey,
	/// The S3 endpoint is not a plain `host[:port]`.
	InvalidEndpoint,
	/// The bucket name breaks the S3 naming rules (3 to 63 of `[a-z0-9.-]`, starting and
	/// ending with a letter or digit).
	InvalidBucketName,
	/// The object key is empty or longer than 1024 bytes.
	InvalidObjectKey,
	/// An extra header passed to the S3 builder names one that the builder sets itself
	/// (`host`, `x-amz-date`, `x-amz-content-sha256`, `content-length`,
	/// `x-amz-security-token`, `authorization`).
	ReservedHeader,
	/// A length computation overflowed.
	Overflow,
	/// The credentials hold day keys but none of the request's day, region and service.
	NoSigningKey,
	/// Day keys were given for no day, or for a day that is not `YYYYMMDD`.
	InvalidDayKeys,
	/// The HMAC implementation refused its key (cannot happen for HMAC-SHA256).
	Crypto,
}

impl fmt::Display for Error {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		let text = match self {
			Error::InvalidDateTime => "invalid date/time (must be 1970..=9999, UTC)",
			Error::InvalidMethod => "invalid HTTP method",
			Error::InvalidPath => "path must start with '/'",
			Error::InvalidHeaderName => "invalid header name",
			Error::InvalidHeaderValue => "header value contains a control character",
			Error::MissingHost => "the host header is required",
			Error::DateHeaderMismatch => "x-amz-date header differs from the signing time",
			Error::InvalidPayloadHash => {
				"payload hash must be 64 lower-case hex digits or UNSIGNED-PAYLOAD"
			},
			Error::InvalidScope => "region/service must be non-empty [a-z0-9-]",
			Error::InvalidAccessKey => "access key id must be non-empty [A-Za-z0-9._-]",
			Error::InvalidSecretKey => "secret access key must not be empty",
			Error::InvalidEndpoint => "endpoint must be host[:port]",
			Error::InvalidBucketName => "invalid S3 bucket name",
			Error::InvalidObjectKey => "object key must be 1..=1024 bytes",
			Error::ReservedHeader => "extra header collides with one the S3 builder sets",
			Error::Overflow => "length overflow",
			Error::NoSigningKey => "no signing key for the request's day, region and service",
			Error::InvalidDayKeys => "day keys must be given for one or more YYYYMMDD days",
			Error::Crypto => "HMAC key rejected",
		};
		f.write_str(text)
	}
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}
