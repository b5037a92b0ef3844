//! Integration tests against a real S3 server: SeaweedFS's S3 gateway, which enforces SigV4
//! and checks `x-amz-content-sha256` against the body. Each test starts its own server on its
//! own ports (scripts/seaweedfs.sh), so the tests run in parallel. If the `weed` binary cannot
//! be installed, the tests fail.

#![cfg(feature = "std")]

mod support;

use medchain_sigv4::{
	sha256_hex, signing_key, Addressing, Credentials, DayKeys, S3Config, S3Operation, S3_SERVICE,
};
use support::{now, send, SeaweedFs};

const ACCESS_KEY: &str = "MEDCHAINTESTKEY";
const SECRET_KEY: &str = "medchain/Test+Secret0123456789abcdefghij";
const REGION: &str = "us-east-1";
const BUCKET: &str = "medchain-blobs";

fn s3_config(server: &SeaweedFs, secret: &str) -> S3Config {
	S3Config::new(
		server.endpoint(),
		REGION,
		Credentials::new(ACCESS_KEY, secret).unwrap(),
		Addressing::Path,
	)
	.unwrap()
}

fn start_with_bucket() -> (SeaweedFs, S3Config) {
	let server = SeaweedFs::start(ACCESS_KEY, SECRET_KEY);
	eprintln!(
		"SeaweedFS PID {} on 127.0.0.1:{} answered after {:?}",
		server.pid, server.port, server.startup
	);
	let config = s3_config(&server, SECRET_KEY);
	let create = config.create_bucket(BUCKET, &now()).unwrap();
	let response = send(server.port, &create, b"");
	assert_eq!(response.status, 200, "CreateBucket: {}", response.body_text());
	(server, config)
}

#[test]
fn day_keys_sign_what_the_server_accepts() {
	// What the pinning worker signs with: the signing key of today, not the secret.
	let (server, _) = start_with_bucket();
	let time = now();
	let key = signing_key(SECRET_KEY, &time.date_stamp(), REGION, S3_SERVICE).unwrap();
	let today = Credentials::from_day_keys(
		ACCESS_KEY,
		DayKeys::new(REGION, S3_SERVICE, vec![(time.date_stamp(), key)]).unwrap(),
	)
	.unwrap();
	let config = S3Config::new(server.endpoint(), REGION, today, Addressing::Path).unwrap();
	let body = b"sealed ciphertext".to_vec();
	let put = config.put_object(BUCKET, "day-key-object", &body, &time).unwrap();
	let response = send(server.port, &put, &body);
	assert_eq!(response.status, 200, "PutObject: {}", response.body_text());
	let get = config.get_object(BUCKET, "day-key-object", &time).unwrap();
	let response = send(server.port, &get, b"");
	assert_eq!(response.status, 200, "GetObject: {}", response.body_text());
	assert!(response.body == body, "GetObject returned different bytes");
}

#[test]
fn put_get_head_delete_round_trip() {
	let (server, config) = start_with_bucket();
	// A key with a space, a '$' and slashes exercises the path encoding on a real server.
	let key = "records/patient 42/blob$1.bin";
	let body: Vec<u8> =
		(0..100_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();

	let put = config.put_object(BUCKET, key, &body, &now()).unwrap();
	assert_eq!(put.path, "/medchain-blobs/records/patient%2042/blob%241.bin");
	let response = send(server.port, &put, &body);
	assert_eq!(response.status, 200, "PutObject: {}", response.body_text());

	let get = config.get_object(BUCKET, key, &now()).unwrap();
	let response = send(server.port, &get, b"");
	assert_eq!(response.status, 200, "GetObject: {}", response.body_text());
	assert!(response.body == body, "GetObject returned different bytes");

	let head = config.head_object(BUCKET, key, &now()).unwrap();
	let response = send(server.port, &head, b"");
	assert_eq!(response.status, 200, "HeadObject");
	assert_eq!(response.header("content-length"), Some(body.len().to_string().as_str()));

	let delete = config.delete_object(BUCKET, key, &now()).unwrap();
	let response = send(server.port, &delete, b"");
	assert_eq!(response.status, 204, "DeleteObject: {}", response.body_text());

	let response = send(server.port, &config.get_object(BUCKET, key, &now()).unwrap(), b"");
	assert_eq!(response.status, 404, "GetObject after delete: {}", response.body_text());
	let response = send(server.port, &config.head_object(BUCKET, key, &now()).unwrap(), b"");
	assert_eq!(response.status, 404, "HeadObject after delete");
}

/// What the pinning worker tells apart: a key already gone is deleted, which is what was
/// asked; a bucket that is not there says nothing of the object's copy in the right one.
#[test]
fn deleting_a_missing_key_succeeds_and_a_missing_bucket_is_named() {
	let (server, config) = start_with_bucket();
	let delete = config.delete_object(BUCKET, "never-uploaded", &now()).unwrap();
	let response = send(server.port, &delete, b"");
	let text = response.body_text();
	assert!(
		response.status == 204
			|| (response.status == 404 && text.contains("<Code>NoSuchKey</Code>")),
		"DeleteObject of a missing key: {} {text}",
		response.status
	);

	let delete = config.delete_object("not-the-bucket", "never-uploaded", &now()).unwrap();
	let response = send(server.port, &delete, b"");
	let text = response.body_text();
	assert_eq!(response.status, 404, "DeleteObject in a missing bucket: {text}");
	assert!(text.contains("<Code>NoSuchBucket</Code>"), "DeleteObject in a missing bucket: {text}");
}

#[test]
fn rejects_wrong_payload_hash_and_wrong_secret() {
	let (server, config) = start_with_bucket();
	let key = "records/tampered.bin";
	let body = b"encrypted blob, as an off-chain worker would upload it";

	// Correctly signed, but the signed x-amz-content-sha256 is not the hash of the body sent.
	// SeaweedFS 4.48 does not compare x-amz-content-sha256 with the body itself (AWS does);
	// it refuses the upload because the builder also sends that digest as the flexible
	// checksum x-amz-checksum-sha256, which SeaweedFS verifies (400 BadDigest).
	let wrong_hash = sha256_hex(b"some other body");
	let put = config
		.request(
			BUCKET,
			S3Operation::PutObject {
				key,
				payload_sha256: &wrong_hash,
				content_length: body.len() as u64,
			},
			&[],
			&now(),
		)
		.unwrap();
	let response = send(server.port, &put, body);
	assert!(
		(400..500).contains(&response.status),
		"PUT with a wrong x-amz-content-sha256 must be refused, got {}: {}",
		response.status,
		response.body_text()
	);
	eprintln!("wrong payload hash -> {} {}", response.status, response.body_text());
	let response = send(server.port, &config.get_object(BUCKET, key, &now()).unwrap(), b"");
	assert_eq!(response.status, 404, "the refused object must be absent: {}", response.body_text());

	// Signed with the wrong secret: refused with 403, nothing stored.
	let forged = s3_config(&server, "not-the-secret");
	let put = forged.put_object(BUCKET, key, body, &now()).unwrap();
	let response = send(server.port, &put, body);
	assert_eq!(response.status, 403, "PUT with a wrong secret: {}", response.body_text());
	eprintln!("wrong secret -> {} {}", response.status, response.body_text());
	let response = send(server.port, &forged.get_object(BUCKET, key, &now()).unwrap(), b"");
	assert_eq!(response.status, 403, "GET with a wrong secret: {}", response.body_text());
	let response = send(server.port, &config.get_object(BUCKET, key, &now()).unwrap(), b"");
	assert_eq!(response.status, 404, "the forged PUT must not store: {}", response.body_text());

	// The correct request still works afterwards.
	let put = config.put_object(BUCKET, key, body, &now()).unwrap();
	let response = send(server.port, &put, body);
	assert_eq!(response.status, 200, "PutObject: {}", response.body_text());
	let response = send(server.port, &config.get_object(BUCKET, key, &now()).unwrap(), b"");
	assert_eq!(response.status, 200);
	assert_eq!(response.body, body);
}
