// Patient and provider steps around the record registry and consent pallets. Used by the
// end-to-end tests and by the command-line client, so both walk the same path.
import { bnToU8a, hexToU8a, stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { findEvent, rawRpc, submit } from './chain.js';
import {
  decryptDocument, encryptDocument, encryptionKeyPair, sha256Hex, unwrapKey, wrapKey,
} from './crypto.js';

/**
 * The account's X25519 key pair, derived from its secret (sr25519, ed25519 or ecdsa: its
 * unencrypted PKCS#8 encoding), so the same account always has the same encryption key whether
 * it was loaded from a secret URI or a JSON key file. The chain only ever sees the public half.
 */
export function encryptionKeysOf(account) {
  const seedInput = u8aConcat(stringToU8a('medchain-encryption-key:'), account.encodePkcs8());
  return encryptionKeyPair(blake2AsU8a(seedInput, 256));
}

/** Publishes `keys.publicKey` as `account`'s encryption key. */
export async function publishEncryptionKey(api, account, keys) {
  return submit(api, account, api.tx.consortium.publishEncryptionKey(u8aToHex(keys.publicKey)));
}

/** The X25519 public key `who` published, or throws if none. */
export async function publishedKey(api, who) {
  const entry = await api.query.consortium.encryptionKeys(who);
  if (entry.isNone) throw new Error(`${who} has published no encryption key`);
  return entry.unwrap().key.toU8a();
}

/**
 * What a signer signs to put the ciphertext whose SHA-256 is `contentHash` (hex) on the chain
 * `api` is connected to, valid until `validUntilMs` (Unix time, at most ten minutes ahead):
 * "medchain blobs_put v1 ", the genesis hash, the content hash, `validUntilMs` as a
 * little-endian u64.
 */
export function putMessage(api, contentHash, validUntilMs) {
  return u8aConcat(
    stringToU8a('medchain blobs_put v1 '), api.genesisHash.toU8a(), hexToU8a(contentHash),
    bnToU8a(validUntilMs, { bitLength: 64, isLe: true }),
  );
}

/**
 * Hands `ciphertext` to the node (`blobs_put`), signed by `signer` (a key pair whose account
 * published an encryption key) for five minutes; resolves with the SHA-256 the node computed.
 */
export async function putBlob(api, ciphertext, signer) {
  const validUntilMs = Date.now() + 5 * 60 * 1000;
  const signature = signer.sign(putMessage(api, sha256Hex(ciphertext), validUntilMs));
  return rawRpc(api, 'blobs_put', [
    u8aToHex(ciphertext), signer.address, u8aToHex(signature), validUntilMs,
  ]);
}

/** `purpose` as the chain's `Purpose` type, from the metadata (no type names needed). */
const chainPurpose = (api, purpose) => api.tx.consent.recordAccess(0, purpose).args[1];

/** Where a node keeps the blob `hash` (hex) in its off-chain storage (`offchain_localStorage*`). */
export const blobStorageKey = (hash) => `${u8aToHex(stringToU8a('medchain/blob/'))}${hash.slice(2)}`;

/**
 * What a reader signs to get the ciphertext whose SHA-256 is `contentHash` (hex) for `context`
 * (`{ record, purpose }`; none for their own put still waiting for its record), valid until
 * `validUntilMs`: "medchain blobs_get v1 ", the genesis hash, the content hash, the context
 * SCALE-encoded (0x00, or 0x01, the record id as a little-endian u64 and the purpose's index),
 * `validUntilMs` as a little-endian u64.
 */
export function getMessage(api, contentHash, context, validUntilMs) {
  const encodedContext = context
    ? u8aConcat(
      new Uint8Array([1]), bnToU8a(context.record, { bitLength: 64, isLe: true }),
      chainPurpose(api, context.purpose).toU8a(),
    )
    : new Uint8Array([0]);
  return u8aConcat(
    stringToU8a('medchain blobs_get v1 '), api.genesisHash.toU8a(), hexToU8a(contentHash),
    encodedContext, bnToU8a(validUntilMs, { bitLength: 64, isLe: true }),
  );
}

/**
 * The ciphertext whose SHA-256 is `hash`, from the node or its cloud storage (`blobs_get`),
 * signed by `reader` (a key pair) for five minutes. `context` (`{ record, purpose }`) names a
 * record whose ciphertext it is and what the reader reads it for: the chain's consent must
 * allow that read. Without it, only the reader's own put still waiting for its record is served.
 */
export async function getBlob(api, hash, reader, context) {
  const validUntilMs = Date.now() + 5 * 60 * 1000;
  const signature = reader.sign(getMessage(api, hash, context, validUntilMs));
  const params = [hash, reader.address, u8aToHex(signature), validUntilMs];
  // The purpose as the chain spells it: polkadot.js also takes `treatment` or an index.
  if (context) params.push(context.record, chainPurpose(api, context.purpose).toString());
  return hexToU8a(await rawRpc(api, 'blobs_get', params));
}

/**
 * Encrypts `plaintext` of `patient` on the client under a fresh data key, puts the ciphertext
 * on the node as `author`, and wraps the data key for each of `recipients` (addresses).
 * Returns the ciphertext, its hash and the envelopes, as `records.register` and
 * `records.amend` take them.
 */
async function encryptAndPut(api, author, patient, plaintext, recipients) {
  const { ciphertext, dataKey } = encryptDocument(plaintext, patient);
  const contentHash = sha256Hex(ciphertext);
  const stored = await putBlob(api, ciphertext, author);
  if (stored !== contentHash) throw new Error(`node stored ${stored}, expected ${contentHash}`);
  const envelopes = [];
  for (const recipient of recipients) {
    envelopes.push([recipient, u8aToHex(wrapKey(dataKey, await publishedKey(api, recipient)))]);
  }
  return { ciphertext, contentHash, envelopes };
}

/**
 * Encrypts `plaintext` on the client, puts the ciphertext on the node, and builds the
 * `records.register` call making it a record of `patient`, authored by `author` (the patient or
 * a provider with an append consent). The data key is wrapped for the patient and, when a
 * provider writes, for the author too; or for `options.recipients` (addresses) if given.
 * Returns the call, the ciphertext and its hash.
 */
export async function documentRegistration(api, author, patient, plaintext, options = {}) {
  const { category = '11488-4', mediaType = 'application/fhir+json', purpose = 'Treatment' } = options;
  const recipients = options.recipients
    ?? [patient, ...(author.address === patient ? [] : [author.address])];
  const { ciphertext, contentHash, envelopes } = await encryptAndPut(
    api, author, patient, plaintext, recipients,
  );
  const tx = api.tx.records.register(
    patient, category, contentHash, ciphertext.length, mediaType, purpose, envelopes,
  );
  return { tx, ciphertext, contentHash };
}

/**
 * `author` (the patient, or a provider with an append consent) registers `plaintext` as the
 * next version of `record`, its data key wrapped for `recipients` (addresses). Returns the new
 * version's record id and its ciphertext's hash.
 */
export async function amendDocument(api, author, record, plaintext, recipients, purpose = 'Treatment') {
  const patient = (await api.query.records.records(record)).unwrap().patient.toString();
  const { ciphertext, contentHash, envelopes } = await encryptAndPut(
    api, author, patient, plaintext, recipients,
  );
  const { events } = await submit(api, author, api.tx.records.amend(
    record, contentHash, ciphertext.length, 'application/fhir+json', purpose, envelopes,
  ));
  return { record: findEvent(events, 'records', 'RecordAmended').record.toNumber(), contentHash };
}

/**
 * Registers `plaintext` as a record of `patient` as `documentRegistration` prepares it.
 * Returns the record id, the ciphertext and its hash.
 */
export async function registerDocument(api, author, patient, plaintext, options = {}) {
  const { tx, ciphertext, contentHash } = await documentRegistration(
    api, author, patient, plaintext, options,
  );
  const { events } = await submit(api, author, tx);
  const registered = findEvent(events, 'records', 'RecordRegistered');
  return { record: registered.record.toNumber(), ciphertext, contentHash };
}

/** The data key of `record` as wrapped for `reader`, unwrapped with their key pair. */
export async function unwrapDataKey(api, record, reader, keys) {
  const envelope = await api.query.records.keyEnvelopes(record, reader);
  if (envelope.isNone) throw new Error(`no key envelope of record ${record} for ${reader}`);
  return unwrapKey(envelope.unwrap().wrappedKey.toU8a(true), keys);
}

/**
 * A holder of `record`'s data key (the patient, or a key custodian releasing an escrowed key
 * in an emergency) unwraps it and wraps it for `grantee` (to their published key), storing
 * the envelope on chain.
 */
export async function shareRecordKey(api, holder, holderKeys, record, grantee) {
  const dataKey = await unwrapDataKey(api, record, holder.address, holderKeys);
  const wrapped = wrapKey(dataKey, await publishedKey(api, grantee));
  return submit(api, holder, api.tx.records.addKeyEnvelope(record, grantee, u8aToHex(wrapped)));
}

/**
 * The patient grants `grantee` (an address) read access to all records for `purposes` until
 * `end` (ms since the epoch). Returns the consent id.
 */
export async function grantRead(api, patient, grantee, { end, purposes = ['Treatment'] } = {}) {
  const { events } = await submit(api, patient, api.tx.consent.grant(
    patient.address, { Account: grantee }, 'AllRecords', ['Read'], purposes, null, end ?? null, null,
  ));
  return findEvent(events, 'consent', 'ConsentGranted').consent.toNumber();
}

/**
 * The patient revokes `consent`; the chain removes the key envelopes it leaves unneeded. When
 * there were more than one revocation examines, the chain says where it stopped, and the
 * client goes on from there (`records.removeUnneededEnvelopes`) until every envelope was
 * examined. Returns the fields of each `records.UnneededEnvelopesRemoved` event, in order:
 * none if the grantee held no envelope of the patient's records.
 */
export async function revoke(api, patient, consent) {
  const { events } = await submit(api, patient, api.tx.consent.revoke(consent));
  // A consent past its end is taken off the list as expired, not revoked.
  if (!findEvent(events, 'consent', 'ConsentRevoked') && !findEvent(events, 'consent', 'ExpiredConsentCleared')) {
    throw new Error(`consent ${consent} was not revoked`);
  }
  return finishSweeps(api, patient, events, 'UnneededEnvelopesRemoved', (sweep) => (
    api.tx.records.removeUnneededEnvelopes(sweep.patient, sweep.grantee, sweep.resumeAfter)
  ), `consent ${consent} is revoked`);
}

/**
 * An organisation's admin submits `tx`, a change of membership (`consortium.removeMember`,
 * `setMemberRoles` or `addMember`), then goes on removing the key envelopes the member may no
 * longer read with, past the limit one go examines, until every one was examined. Returns the
 * `UnneededEnvelopesOfHolderRemoved` sweeps (none if the change sweeps nothing, as gaining a
 * role does not).
 */
export async function changeMembership(api, admin, tx) {
  const { events } = await submit(api, admin, tx);
  return finishSweeps(api, admin, events, 'UnneededEnvelopesOfHolderRemoved', (sweep) => (
    api.tx.records.removeUnneededEnvelopesOf(sweep.holder, sweep.resumeAfter)
  ), `${tx.method.section}.${tx.method.method} went through`);
}

/**
 * Follows the envelope sweep `eventName` found in `events`: while one says where it stopped,
 * `signer` submits `resume(sweep)` to go on. Returns every sweep's event. `done` says what
 * already happened, for the error if going on fails.
 */
async function finishSweeps(api, signer, events, eventName, resume, done) {
  const sweeps = [];
  let sweep = findEvent(events, 'records', eventName);
  while (sweep) {
    sweeps.push(sweep);
    if (sweep.resumeAfter.isNone) break;
    let next;
    try {
      next = await submit(api, signer, resume(sweep));
    } catch (error) {
      // Anyone may go on: if someone did first, or the rest went another way, we are done.
      if (error.error === 'records.NoEnvelopesToExamine') break;
      throw Object.assign(
        new Error(`${done}, but removing unneeded key envelopes stopped: ${error.message}`),
        { error: error.error, sweeps },
      );
    }
    sweep = findEvent(next.events, 'records', eventName);
  }
  return sweeps;
}

/**
 * A reader opens `record`: leaves a read receipt on chain (refused without consent), fetches the
 * ciphertext from the node (which checks the same consent), checks it against the registered
 * hash, unwraps the data key and decrypts.
 */
export async function readDocument(api, reader, readerKeys, record, purpose = 'Treatment') {
  await submit(api, reader, api.tx.consent.recordAccess(record, purpose));
  const entry = (await api.query.records.records(record)).unwrap();
  const ciphertext = await getBlob(api, entry.contentHash.toHex(), reader, { record, purpose });
  if (sha256Hex(ciphertext) !== entry.contentHash.toHex()) {
    throw new Error(`ciphertext of record ${record} does not match its registered hash`);
  }
  const dataKey = await unwrapDataKey(api, record, reader.address, readerKeys);
  return decryptDocument(ciphertext, dataKey);
}

/** The decision `can_access` gives `who` for `action` on `record` for `purpose`. */
export async function canAccess(api, who, record, action = 'Read', purpose = 'Treatment') {
  const decision = await api.call.consentApi.canAccess(who, record, action, purpose);
  return { allowed: decision.allowed.isTrue, reason: decision.reason.type };
}
