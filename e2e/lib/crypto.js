// Client-side encryption: documents never leave the client in clear.
//
// A document is encrypted with a fresh 32-byte data key (XChaCha20-Poly1305, the nonce
// prepended). The data key is wrapped for each reader with a sealed box (X25519, anonymous
// sender) to the X25519 key they published on chain. The chain sees only the ciphertext's
// SHA-256, its size and the wrapped keys.
import { createHash } from 'node:crypto';
import sodium from 'libsodium-wrappers';

export async function ready() {
  await sodium.ready;
  return sodium;
}

/** The X25519 key pair derived from a 32-byte seed (e.g. a hash of the account's secret). */
export function encryptionKeyPair(seed) {
  const keys = sodium.crypto_box_seed_keypair(seed);
  return { publicKey: keys.publicKey, secretKey: keys.privateKey };
}

/** Encrypts `plaintext`: returns the ciphertext (nonce ‖ sealed data) and its data key. */
export function encryptDocument(plaintext) {
  const dataKey = sodium.crypto_aead_xchacha20poly1305_ietf_keygen();
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const sealed = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, null, null, nonce, dataKey);
  const ciphertext = new Uint8Array(nonce.length + sealed.length);
  ciphertext.set(nonce);
  ciphertext.set(sealed, nonce.length);
  return { ciphertext, dataKey };
}

/** Decrypts what `encryptDocument` produced; throws if it was tampered with. */
export function decryptDocument(ciphertext, dataKey) {
  const nonceLength = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  const nonce = ciphertext.subarray(0, nonceLength);
  return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
    null, ciphertext.subarray(nonceLength), null, nonce, dataKey,
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
