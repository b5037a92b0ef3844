// Client-side encryption: documents never leave the client in clear.
//
// A document is encrypted with a fresh 32-byte data key (XChaCha20-Poly1305). The ciphertext
// starts with a header in clear, "medchain" ‖ version 1 ‖ the patient's 32-byte account id,
// authenticated as the AEAD's associated data, then the nonce and the sealed data. The header
// lets a node check that a record naming this ciphertext is the patient's: someone who
// registers another patient's ciphertext hash as a record of their own does not get it from
// the node. The data key is wrapped for each reader with a sealed box (X25519, anonymous
// sender) to the X25519 key they published on chain. The chain sees only the ciphertext's
// SHA-256, its size and the wrapped keys.
import { createHash } from 'node:crypto';
import { u8aConcat, u8aEq } from '@polkadot/util';
import { decodeAddress } from '@polkadot/util-crypto';
import sodium from 'libsodium-wrappers';

/** What every ciphertext starts with, before the patient's account id. */
const HEADER_MAGIC = u8aConcat(new TextEncoder().encode('medchain'), new Uint8Array([1]));
/** The header's length: the magic and a 32-byte account id. */
const HEADER_LENGTH = HEADER_MAGIC.length + 32;

export async function ready() {
  await sodium.ready;
  return sodium;
}

/** The X25519 key pair derived from a 32-byte seed (e.g. a hash of the account's secret). */
export function encryptionKeyPair(seed) {
  const keys = sodium.crypto_box_seed_keypair(seed);
  return { publicKey: keys.publicKey, secretKey: keys.privateKey };
}

/**
 * Encrypts `plaintext`, a document of the patient `patient` (an address): returns the
 * ciphertext (header ‖ nonce ‖ sealed data) and its data key.
 */
export function encryptDocument(plaintext, patient) {
  const header = u8aConcat(HEADER_MAGIC, decodeAddress(patient));
  const dataKey = sodium.crypto_aead_xchacha20poly1305_ietf_keygen();
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const sealed = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, header, null, nonce, dataKey);
  return { ciphertext: u8aConcat(header, nonce, sealed), dataKey };
}

/** Decrypts what `encryptDocument` produced; throws if it was tampered with. */
export function decryptDocument(ciphertext, dataKey) {
  const header = ciphertext.subarray(0, HEADER_LENGTH);
  if (!u8aEq(header.subarray(0, HEADER_MAGIC.length), HEADER_MAGIC)) {
    throw new Error('not a MedChain ciphertext (version 1)');
  }
  const nonceEnd = HEADER_LENGTH + sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
    null, ciphertext.subarray(nonceEnd), header, ciphertext.subarray(HEADER_LENGTH, nonceEnd), dataKey,
  );
}

/** Wraps `dataKey` for the holder of the X25519 public key `publicKey` (a sealed box). */
export function wrapKey(dataKey, publicKey) {
  return sodium.crypto_box_seal(dataKey, publicKey);
}

/** Unwraps a data key wrapped for `keyPair`. */
export function unwrapKey(wrapped, keyPair) {
  return sodium.crypto_box_seal_open(wrapped, keyPair.publicKey, keyPair.secretKey);
}

/** SHA-256 of `bytes`, as 0x-prefixed hex (the chain's `H256`). */
export function sha256Hex(bytes) {
  return `0x${createHash('sha256').update(bytes).digest('hex')}`;
}
