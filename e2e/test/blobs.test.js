// What a node keeps of the ciphertext handed to it with `blobs_put`, on a real development node:
// a blob no record of the patient it is sealed for references within the staging TTL is
// deleted, one whose record is registered stays, and blobs waiting for their records never take
// more than the staging quota.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { stringToU8a } from '@polkadot/util';
import { connect, keyFromUri, rawRpc, submit } from '../lib/chain.js';
import { ready, sha256Hex } from '../lib/crypto.js';
import { startDevNode } from '../lib/node.js';
import {
  blobStorageKey, documentRegistration, encryptionKeysOf, getBlob, publishEncryptionKey, putBlob,
  registerDocument,
} from '../lib/records.js';

// Longer than a registration takes to reach the best block: blocks come every 6 s on average,
// but Proof of Work makes one in 30 take over 20 s.
const TTL_SECONDS = 40;
const QUOTA_BYTES = 4096;
const QUOTA_PER_ACCOUNT_BYTES = 2048;

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

describe('blobs waiting for their records', () => {
  let node;
  let api;
  let patient;
  /** Two more accounts with published encryption keys. */
  let others;

  before(async () => {
    await ready();
    node = await startDevNode({
      extraArgs: [
        '--blob-staging-ttl', String(TTL_SECONDS), '--blob-staging-quota', String(QUOTA_BYTES),
        '--blob-staging-quota-per-account', String(QUOTA_PER_ACCOUNT_BYTES),
      ],
    });
    api = await connect(node.url);
    patient = keyFromUri('//Ferdie');
    others = [keyFromUri('//Eve'), keyFromUri('//Dave')];
    for (const who of [patient, ...others]) {
      await publishEncryptionKey(api, who, encryptionKeysOf(who));
    }
  });

  after(async () => {
    await api?.disconnect();
    await node?.stop();
  });

  test('an unregistered blob is deleted after the TTL, and so is one only a front-runner\'s record names; a registered one stays', async () => {
    const orphan = stringToU8a('ciphertext nobody registers');
    const orphanHash = await putBlob(api, orphan, patient);
    assert.equal(orphanHash, sha256Hex(orphan));
    // Served while it is young, to the one who put it.
    assert.deepEqual(await getBlob(api, orphanHash, patient), orphan);
    const { record, contentHash } = await registerDocument(
      api, patient, patient.address, stringToU8a('{"resourceType":"Observation","id":"kept"}'),
    );
    const throughRecord = { record, purpose: 'Treatment' };
    assert.equal(sha256Hex(await getBlob(api, contentHash, patient, throughRecord)), contentHash);
    // Someone who saw the hash of the patient's next document in the transaction pool names it
    // in a record of their own first: the patient's registration is refused, and the
    // front-runner's record does not keep the patient's ciphertext on the node.
    const frontRun = await documentRegistration(
      api, patient, patient.address, stringToU8a('{"resourceType":"Observation","id":"front-run"}'),
    );
    const frontRunner = others[1];
    await submit(api, frontRunner, api.tx.records.register(
      frontRunner.address, '11488-4', frontRun.contentHash, frontRun.ciphertext.length,
      'application/fhir+json', 'Treatment', [],
    ));
    await assert.rejects(submit(api, patient, frontRun.tx), { error: 'records.CiphertextOfAnotherPatient' });
    const frontRunKey = blobStorageKey(frontRun.contentHash);
    assert.notEqual(await rawRpc(api, 'offchain_localStorageGet', ['PERSISTENT', frontRunKey]), null);

    // TTL plus two sweep periods (a quarter of the TTL each, at least 1 s).
    await sleep((TTL_SECONDS + 2 * Math.max(1, TTL_SECONDS / 4)) * 1000 + 500);
    assert.equal(await rawRpc(api, 'offchain_localStorageGet', ['PERSISTENT', blobStorageKey(orphanHash)]), null);
    assert.equal(await rawRpc(api, 'offchain_localStorageGet', ['PERSISTENT', frontRunKey]), null);
    // No longer a put waiting for its record, and no record's ciphertext: nobody gets it.
    await assert.rejects(getBlob(api, orphanHash, patient), /4015/);
    assert.equal(sha256Hex(await getBlob(api, contentHash, patient, throughRecord)), contentHash);
  });

  test('blobs waiting for their records never take more than the staging quotas', async () => {
    // 7/8 of the quota, leaving room for what the first test may still have staged.
    const blob = (fill, size) => new Uint8Array(size).fill(fill);
    const [eve, dave] = others;
    await putBlob(api, blob(1, (QUOTA_BYTES * 7) / 16), eve);
    // One account's blobs take at most its own quota.
    await assert.rejects(putBlob(api, blob(2, QUOTA_PER_ACCOUNT_BYTES / 4), eve), /4028/);
    await putBlob(api, blob(2, (QUOTA_BYTES * 7) / 16), dave);
    // All of them take at most the node's.
    await assert.rejects(putBlob(api, blob(3, QUOTA_BYTES / 4), patient), /4029/);
    // Putting bytes already held is not a new blob: still accepted.
    await putBlob(api, blob(1, (QUOTA_BYTES * 7) / 16), eve);
  });
});
