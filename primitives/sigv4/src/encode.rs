//! Hex and URI encoding, and the canonical query string.

use alloc::{string::String, vec::Vec};
use sha2::{Digest, Sha256};

/// Appends the lower-case hex form of `bytes` to `out`.
pub(crate) fn push_hex_lower(out: &mut String, bytes: &[u8]) {
	for byte in bytes {
		out.push(hex_digit(byte >> 4, false));
		out.push(hex_digit(byte & 0x0f, false));
	}
}

fn hex_digit(nibble: u8, upper: bool) -> char {
	let digit = char::from_digit(u32::from(nibble & 0x0f), 16).unwrap_or('0');
	if upper {
		digit.to_ascii_uppercase()
	} else {
		digit
	}
}

/// The lower-case hex form of `bytes`.
pub fn hex_lower(bytes: &[u8]) -> String {
	let mut out = String::with_capacity(bytes.len().saturating_mul(2));
	push_hex_lower(&mut out, bytes);
	out
}

/// The lower-case hex SHA-256 of `data`, as used for `x-amz-content-sha256` and the last line
/// of the canonical request.
pub fn sha256_hex(data: &[u8]) -> String {
	hex_lower(&Sha256::digest(data))
}

const BASE64_ALPHABET: &[u8; 64] =
	b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_char(sextet: u32) -> char {
	let index = usize::try_from(sextet & 0x3f).unwrap_or(0);
	char::from(BASE64_ALPHABET.get(index).copied().unwrap_or(b'A'))
}

/// Standard base64 (RFC 4648, with `=` padding), as used by the `x-amz-checksum-*` headers.
pub(crate) fn base64(bytes: &[u8]) -> String {
	let mut out = String::with_capacity(bytes.len().div_ceil(3).saturating_mul(4));
	for chunk in bytes.chunks(3) {
		let (b0, b1, b2) = match *chunk {
			[a] => (a, None, None),
			[a, b] => (a, Some(b), None),
			[a, b, c] => (a, Some(b), Some(c)),
			_ => continue,
		};
		let group =
			u32::from(b0) << 16 | u32::from(b1.unwrap_or(0)) << 8 | u32::from(b2.unwrap_or(0));
		out.push(base64_char(group >> 18));
		out.push(base64_char(group >> 12));
		out.push(if b1.is_some() { base64_char(group >> 6) } else { '=' });
		out.push(if b2.is_some() { base64_char(group) } else { '=' });
	}
	out
}

/// The 32 bytes of a 64-digit hex SHA-256, or `None` if `hex` is not exactly that.
pub(crate) fn decode_sha256_hex(hex: &str) -> Option<[u8; 32]> {
	if hex.len() != 64 {
		return None;
	}
	let mut out = [0u8; 32];
	for (byte, pair) in out.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
		let mut value = 0u32;
		for digit in pair {
			value = value.checked_mul(16)?.checked_add(char::from(*digit).to_digit(16)?)?;
		}
		*byte = u8::try_from(value).ok()?;
	}
	Some(out)
}

/// Appends `input` URI-encoded the SigV4 way: every byte except the unreserved characters
/// `A-Z a-z 0-9 - . _ ~` becomes `%XY` (upper-case hex), so a space is `%20` (never `+`); `/`
/// is kept as is when `keep_slash` (for paths) and encoded otherwise (for query keys/values).
pub(crate) fn push_uri_encoded(out: &mut String, input: &str, keep_slash: bool) {
	for byte in input.bytes() {
		let unreserved = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~');
		if unreserved || (keep_slash && byte == b'/') {
			out.push(char::from(byte));
		} else {
			out.push('%');
			out.push(hex_digit(byte >> 4, true));
			out.push(hex_digit(byte & 0x0f, true));
		}
	}
}

/// `input` URI-encoded as SigV4 requires (see the AWS "URI-encode" rules): unreserved
/// characters kept, everything else as `%XY` with upper-case hex; `/` kept when `keep_slash`.
///
/// Encode an S3 object path once with `keep_slash = true` (S3 does not double-encode), and
/// query keys and values with `keep_slash = false`.
pub fn uri_encode(input: &str, keep_slash: bool) -> String {
	let mut out = String::with_capacity(input.len());
	push_uri_encoded(&mut out, input, keep_slash);
	out
}

/// The canonical query string for unencoded `(key, value)` pairs: each key and value
/// URI-encoded (`/` included), pairs sorted by encoded key and then by encoded value, joined
/// as `k=v` with `&`. A key without a value gives `k=`. The result is also a valid query string
/// to send, so the request on the wire matches what was signed.
pub fn canonical_query_string(pairs: &[(&str, &str)]) -> String {
	let mut encoded: Vec<(String, String)> =
		pairs.iter().map(|(k, v)| (uri_encode(k, false), uri_encode(v, false))).collect();
	encoded.sort_unstable();
	let capacity = encoded.iter().fold(0usize, |acc, (k, v)| {
		acc.saturating_add(k.len()).saturating_add(v.len()).saturating_add(2)
	});
	let mut out = String::with_capacity(capacity);
	for (index, (key, value)) in encoded.iter().enumerate() {
		if index > 0 {
			out.push('&');
		}
		out.push_str(key);
		out.push('=');
		out.push_str(value);
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn uri_encoding() {
		assert_eq!(uri_encode("-._~AZaz09", false), "-._~AZaz09");
		assert_eq!(uri_encode("a b+c/d=e&f%", false), "a%20b%2Bc%2Fd%3De%26f%25");
		assert_eq!(uri_encode("/a b/c$d", true), "/a%20b/c%24d");
		assert_eq!(uri_encode("ሴ", true), "%E1%88%B4");
		assert_eq!(uri_encode("*", true), "%2A");
	}

	#[test]
	fn query_sorting() {
		assert_eq!(
			canonical_query_string(&[("Param2", "value2"), ("Param1", "value1")]),
			"Param1=value1&Param2=value2"
		);
		assert_eq!(canonical_query_string(&[("b", "2"), ("b", "1"), ("a", "")]), "a=&b=1&b=2");
		// Sorting is on the encoded form: '%' (0x25) sorts before letters and digits.
		assert_eq!(canonical_query_string(&[("a", "x"), (" ", "y")]), "%20=y&a=x");
		assert_eq!(canonical_query_string(&[]), "");
	}

	#[test]
	fn base64_rfc4648_vectors() {
		for (input, expected) in [
			("", ""),
			("f", "Zg=="),
			("fo", "Zm8="),
			("foo", "Zm9v"),
			("foob", "Zm9vYg=="),
			("fooba", "Zm9vYmE="),
			("foobar", "Zm9vYmFy"),
		] {
			assert_eq!(base64(input.as_bytes()), expected);
		}
		assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
	}

	#[test]
	fn sha256_hex_round_trip() {
		let digest: [u8; 32] = Sha256::digest(b"abc").into();
		assert_eq!(decode_sha256_hex(&hex_lower(&digest)), Some(digest));
		assert_eq!(decode_sha256_hex("00"), None);
		assert_eq!(decode_sha256_hex(&"g".repeat(64)), None);
		// The AWS flexible-checksum form of SHA-256("abc").
		assert_eq!(base64(&digest), "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
	}

	#[test]
	fn hex() {
		assert_eq!(hex_lower(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
		assert_eq!(
			sha256_hex(b""),
			"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
		);
	}
}
