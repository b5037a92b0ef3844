// Sealers pin ciphertext to a real S3-compatible server (SeaweedFS) from their off-chain worker,
// on a real development node: pinned and checked byte for byte, storage outages survived,
// tampered ciphertext never uploaded, nor ciphertext sealed for another patient than the one
// whose record names it, wrong credentials reported, erased records deleted (also
// when the erasure overtakes the upload), versioned buckets refused (also when versioning is
// turned on while the node runs), and the backlog the node reports to Prometheus.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hexToU8a, stringToU8a, u8aToHex } from '@polkadot/util';
import { connect, findEvent, keyFromUri, nextBlock, rawRpc, submit } from '../lib/chain.js';
import { ready, sha256Hex } from '../lib/crypto.js';
import { startHoldingProxy } from '../lib/holding-proxy.js';
import { prometheusMetrics, startDevNode } from '../lib/node.js';
import { pinStatus, waitForPin } from '../lib/pinning.js';
import {
  blobStorageKey, documentRegistration, encryptionKeysOf, getBlob, publishEncryptionKey, putBlob,
  registerDocument,
} from '../lib/records.js';
import { startSeaweedfs } from '../lib/seaweedfs.js';

const ACCESS_KEY = 'medchainpinning';
const SECRET_KEY = 'pinning-secret-Xy7Qz9';
const BUCKET = 'medchain-records';
const ALICE = keyFromUri('//Alice').address;

const objectKey = (hash) => hash.replace(/^0x/, '');

async function sealerNode(endpoint, secret, extraArgs = []) {
  return startDevNode({
    prometheus: true,
    extraArgs: [
      '--pinning-endpoint', endpoint, '--pinning-bucket', BUCKET,
      '--pinning-retry-base-ms', '300', '-lruntime::pinning=debug', ...extraArgs,
    ],
    env: {
      MEDCHAIN_PINNING_ACCESS_KEY_ID: ACCESS_KEY,
      MEDCHAIN_PINNING_SECRET_ACCESS_KEY: secret,
    },
  });
}

/** The pinning backlog `node` reports to Prometheus. */
async function backlog(node) {
  const samples = await prometheusMetrics(node.prometheusPort);
  const gauge = (name) => {
    assert.ok(samples.has(name), `${name} is exported`);
    return samples.get(name);
  };
  return {
    pending: gauge('medchain_pinning_pending_requests'),
    failed: gauge('medchain_pinning_failed_requests'),
    oldestPendingBlocks: gauge('medchain_pinning_oldest_pending_blocks'),
    unpins: gauge('medchain_pinning_unpin_requests'),
    oldestUnpinBlocks: gauge('medchain_pinning_oldest_unpin_blocks'),
    unreadable: gauge('medchain_pinning_unreadable_requests'),
    readAt: gauge('medchain_pinning_backlog_block'),
    // This node's own: its failed requests to its bucket.
    bucketFailures: gauge('medchain_pinning_bucket_request_failures_total'),
  };
}

/** The backlog `node` reports once `predicate` holds of it, waiting up to `blocks` blocks. */
async function waitForBacklog(api, node, predicate, blocks) {
  let head = (await api.rpc.chain.getHeader()).number.toNumber();
  let reported = await backlog(node);
  for (let i = 0; i < blocks && !predicate(reported); i += 1) {
    head = await nextBlock(api, head);
    // The gauges follow each new best block from their own task: give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 200));
    reported = await backlog(node);
  }
  assert.ok(predicate(reported), `backlog ${JSON.stringify(reported)}`);
  return reported;
}

async function patientWithKey(api) {
  const account = keyFromUri('//Ferdie');
  const keys = encryptionKeysOf(account);
  if ((await api.query.consortium.encryptionKeys(account.address)).isNone) {
    await publishEncryptionKey(api, account, keys);
  }
  return account;
}

describe('a sealer with the right credentials', () => {
  let store;
  let proxy;
  let node;
  let api;
  let patient;

  before(async () => {
    await ready();
    store = await startSeaweedfs({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY, bucket: BUCKET });
    // The sealer reaches the store through a proxy that can hold its uploads back.
    proxy = await startHoldingProxy(store.endpoint);
    node = await sealerNode(proxy.endpoint, SECRET_KEY);
    api = await connect(node.url);
    patient = await patientWithKey(api);
  });

  after(async () => {
    await api?.disconnect();
    await node?.stop();
    await proxy?.close();
    await store?.remove();
  });

  test('pins a registered record: the bucket holds the exact ciphertext, the chain says pinned', async () => {
    const plaintext = stringToU8a('{"resourceType":"DiagnosticReport","status":"final"}');
    const { record, ciphertext, contentHash } = await registerDocument(api, patient, patient.address, plaintext);
    const requested = await pinStatus(api, record);
    assert.equal(requested.status, 'Pending');
    // One sealer on a development chain: the target is min(2, sealers) = 1.
    assert.equal(requested.target, 1);

    const pinned = await waitForPin(api, record, (pin) => pin.status === 'Pinned', 30);
    assert.deepEqual(pinned.confirmations, [ALICE]);
    const stored = await store.object(objectKey(contentHash));
    assert.deepEqual(stored, ciphertext);
    assert.equal(sha256Hex(stored), contentHash);
    console.log(`# blocks from inclusion to pinned: ${pinned.at - requested.requestedAt}`);

    // Once the node no longer holds the ciphertext, blobs_get serves it from the bucket.
    const nodeKey = blobStorageKey(contentHash);
    await rawRpc(api, 'offchain_localStorageClear', ['PERSISTENT', nodeKey]);
    assert.equal(await rawRpc(api, 'offchain_localStorageGet', ['PERSISTENT', nodeKey]), null);
    const asPatient = { record, purpose: 'Treatment' };
    assert.deepEqual(await getBlob(api, contentHash, patient, asPatient), ciphertext);
  });

  test('keeps no secret in the off-chain storage the worker reads: only today\'s and tomorrow\'s signing keys', async () => {
    // Off-chain storage is the node's database (and its backups), readable over its unsafe
    // RPC methods too: what it holds must not be the long-term secret. The upload above was
    // signed from it, so the day keys it holds are ones the store accepts.
    const read = (key) => rawRpc(api, 'offchain_localStorageGet', ['PERSISTENT', u8aToHex(stringToU8a(key))]);
    const settings = hexToU8a(await read('medchain/s3-settings-day-keys'));
    const holds = (text) => Buffer.from(settings).includes(Buffer.from(text));
    assert.ok(holds(ACCESS_KEY), 'the settings are the ones read (they name the access key id)');
    assert.ok(!holds(SECRET_KEY), 'the secret access key is not in off-chain storage');
    const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
    // Read around midnight, the node may have written the keys the day before.
    assert.ok((holds(day(0)) && holds(day(1))) || (holds(day(-1)) && holds(day(0))), 'keys of today and tomorrow');
    assert.ok(!holds(day(2)) && !holds(day(-2)), 'and of no other day');
    // Nor where nodes before day keys kept the settings, secret included.
    assert.equal(await read('medchain/s3-settings'), null);
  });

  test('retries while storage is down and pins once it is back, without duplicates', async () => {
    const before = await waitForBacklog(api, node, (now) => now.pending === 0 && now.unpins === 0, 30);
    // Every upload so far went through.
    assert.equal(before.bucketFailures, 0);
    await store.stop();
    const { record, ciphertext, contentHash } = await registerDocument(
      api, patient, patient.address, stringToU8a('{"resourceType":"Observation","id":"outage"}'),
    );
    const start = (await api.rpc.chain.getHeader()).number.toNumber();
    let head = start;
    while (head < start + 4) head = await nextBlock(api, head);
    assert.equal((await pinStatus(api, record)).status, 'Pending');
    assert.match(node.log(), /upload failed/);
    // Operators see the request wait, and for how long: exactly since it was made, at the
    // block the gauges were read at (a scrape between two gauges' updates is read again).
    const { requestedAt } = await pinStatus(api, record);
    const waiting = await waitForBacklog(
      api, node,
      (now) => now.pending === 1 && now.oldestPendingBlocks >= 4
        && now.oldestPendingBlocks === now.readAt - requestedAt,
      5,
    );
    assert.equal(waiting.failed, 0);
    assert.equal(waiting.unreadable, 0);
    // This node's own signal: its uploads fail (a chain-wide gauge would not tell whose).
    await waitForBacklog(api, node, (now) => now.bucketFailures >= 1, 5);

    await store.start();
    await waitForPin(api, record, (pin) => pin.status === 'Pinned', 60);
    assert.deepEqual(await store.object(objectKey(contentHash)), ciphertext);
    // The restarted server started empty: exactly this one object, once.
    assert.deepEqual(await store.keys(), [objectKey(contentHash)]);
    await waitForBacklog(api, node, (now) => now.pending === 0 && now.oldestPendingBlocks === 0, 5);

    // An erasure while storage is down leaves a deletion owed, until it is back; operators
    // see for how long it has waited, exactly since the erasure.
    await store.stop();
    await submit(api, patient, api.tx.records.erase(record));
    const unpin = (await api.query.pinning.unpins(contentHash)).unwrap();
    const erasedAt = unpin.requestedAt.toNumber();
    await waitForBacklog(
      api, node,
      (now) => now.unpins === 1 && now.oldestUnpinBlocks >= 2
        && now.oldestUnpinBlocks === now.readAt - erasedAt,
      6,
    );
    await store.start();
    await waitForBacklog(api, node, (now) => now.unpins === 0 && now.oldestUnpinBlocks === 0, 40);
  });

  test('never uploads or confirms ciphertext that does not match its hash', async () => {
    const ciphertext = stringToU8a('ciphertext that will be corrupted on the node');
    const contentHash = await putBlob(api, ciphertext, patient);
    // Corrupt the node's copy behind its back (what a disk fault or an intruder would do).
    const storageKey = blobStorageKey(contentHash);
    await rawRpc(api, 'offchain_localStorageSet', ['PERSISTENT', storageKey, u8aToHex(stringToU8a('tampered'))]);
    await assert.rejects(getBlob(api, contentHash, patient), /4004/);

    const { events } = await submit(api, patient, api.tx.records.register(
      patient.address, '11488-4', contentHash, ciphertext.length, 'application/octet-stream', 'Treatment', [],
    ));
    const record = findEvent(events, 'records', 'RecordRegistered').record.toNumber();
    const failed = await waitForPin(api, record, (pin) => pin.status === 'Failed', 30);
    assert.deepEqual(failed.failures, [{ who: ALICE, reason: { hashMismatch: null } }]);
    assert.equal(await store.object(objectKey(contentHash)), null);
  });

  test('never pins a patient\'s ciphertext for another patient\'s record that named its hash first', async () => {
    // The patient's client sealed and put the document; before the patient's record lands,
    // someone who saw its hash (in the transaction pool) files it under a record of their own.
    const { tx, ciphertext, contentHash } = await documentRegistration(
      api, patient, patient.address, stringToU8a('{"resourceType":"Observation","id":"front-run"}'),
    );
    const frontRunner = keyFromUri('//Dave');
    const { events } = await submit(api, frontRunner, api.tx.records.register(
      frontRunner.address, '11488-4', contentHash, ciphertext.length, 'application/fhir+json', 'Treatment', [],
    ));
    const record = findEvent(events, 'records', 'RecordRegistered').record.toNumber();
    await assert.rejects(submit(api, patient, tx), { error: 'records.CiphertextOfAnotherPatient' });

    const failed = await waitForPin(api, record, (pin) => pin.status === 'Failed', 30);
    assert.deepEqual(failed.failures, [{ who: ALICE, reason: { sealedForAnotherPatient: null } }]);
    assert.match(node.log(), /sealed for another patient/);
    assert.equal(await store.object(objectKey(contentHash)), null);
    await submit(api, frontRunner, api.tx.records.erase(record));
  });

  test('deletes the object when the patient erases the record', async () => {
    const { record, contentHash } = await registerDocument(
      api, patient, patient.address, stringToU8a('{"resourceType":"Observation","id":"to-erase"}'),
    );
    await waitForPin(api, record, (pin) => pin.status === 'Pinned', 30);
    assert.notEqual(await store.object(objectKey(contentHash)), null);

    await submit(api, patient, api.tx.records.erase(record));
    assert.equal(await pinStatus(api, record), null);
    let head = (await api.rpc.chain.getHeader()).number.toNumber();
    for (let i = 0; i < 30 && (await store.object(objectKey(contentHash))) !== null; i += 1) {
      head = await nextBlock(api, head);
    }
    assert.equal(await store.object(objectKey(contentHash)), null);
    let unpin = await api.query.pinning.unpins(contentHash);
    for (let i = 0; i < 10 && unpin.isSome; i += 1) {
      head = await nextBlock(api, head);
      unpin = await api.query.pinning.unpins(contentHash);
    }
    assert.ok(unpin.isNone, 'the unpin request is settled on chain');
    // Nor does the node keep its own copy, or serve the erased record's ciphertext.
    const nodeKey = blobStorageKey(contentHash);
    assert.equal(await rawRpc(api, 'offchain_localStorageGet', ['PERSISTENT', nodeKey]), null);
    await assert.rejects(getBlob(api, contentHash, patient, { record, purpose: 'Treatment' }), /4016/);
  });

  test('deletes an upload that the erasure of its record overtook, which the chain never knew of', async () => {
    proxy.holdUploads = true;
    const { record, contentHash } = await registerDocument(
      api, patient, patient.address, stringToU8a('{"resourceType":"Observation","id":"overtaken"}'),
    );
    const key = objectKey(contentHash);
    let head = (await api.rpc.chain.getHeader()).number.toNumber();
    for (let i = 0; i < 10 && !proxy.held().includes(key); i += 1) head = await nextBlock(api, head);
    assert.deepEqual(proxy.held(), [key], 'the worker is uploading');

    // The patient erases the record while the upload is on its way; the store gets it after.
    await submit(api, patient, api.tx.records.erase(record));
    assert.equal((await api.query.pinning.objects(contentHash)).isNone, true);
    assert.equal((await api.query.pinning.unpins(contentHash)).isNone, true, 'nobody to ask');
    proxy.holdUploads = false;
    proxy.releaseUploads();

    // The upload lands, its confirmation finds no record; once the upload is settled (10 blocks
    // of the pool's longevity and the test node's finality depth of 2), a later run deletes it.
    const deleted = new RegExp(`object 0x${key}: no record needs it any more and no deletion request names this node for it; deleted`);
    for (let i = 0; i < 40 && !deleted.test(node.log()); i += 1) head = await nextBlock(api, head);
    assert.match(node.log(), deleted);
    assert.equal(await store.object(key), null);
    assert.equal((await api.query.pinning.unpins(contentHash)).isNone, true);
  });
});

describe('a sealer with wrong credentials', () => {
  let store;
  let node;
  let api;

  before(async () => {
    await ready();
    store = await startSeaweedfs({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY, bucket: BUCKET });
    node = await sealerNode(store.endpoint, 'not-the-right-secret-42');
    api = await connect(node.url);
  });

  after(async () => {
    await api?.disconnect();
    await node?.stop();
    await store?.remove();
  });

  test('reports a clear failure on chain after its retries; its log says why, never the secret', async () => {
    const patient = await patientWithKey(api);
    const { record, contentHash } = await registerDocument(
      api, patient, patient.address, stringToU8a('{"resourceType":"Observation","id":"denied"}'),
    );
    const failed = await waitForPin(api, record, (pin) => pin.status === 'Failed', 120);
    assert.deepEqual(failed.failures, [{ who: ALICE, reason: { storageRejected: { status: 403 } } }]);
    // Operators see the failure: no longer pending, counted as failed.
    const reported = await waitForBacklog(api, node, (now) => now.failed === 1, 5);
    const { readAt, bucketFailures, ...counts } = reported;
    assert.deepEqual(counts, {
      pending: 0, failed: 1, oldestPendingBlocks: 0, unpins: 0, oldestUnpinBlocks: 0, unreadable: 0,
    });
    // Each refused attempt, counted by this node.
    const attempts = api.consts.pinning.maxUploadAttempts.toNumber();
    assert.ok(bucketFailures >= attempts, `${bucketFailures} failures counted, ${attempts} attempts made`);
    assert.ok(readAt >= failed.at, `read at ${readAt}, failed at ${failed.at}`);
    assert.equal(await store.object(objectKey(contentHash)), null);
    const log = node.log();
    assert.match(log, /403/);
    assert.ok(!log.includes('not-the-right-secret-42'), 'the secret is never logged');
  });
});

describe('a sealer given a bucket that keeps object versions', () => {
  let store;

  before(async () => {
    await ready();
    store = await startSeaweedfs({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY, bucket: BUCKET });
    await store.enableVersioning();
  });

  after(async () => {
    await store?.remove();
  });

  test('refuses to start, rather than pin ciphertext that erasure could not delete', async () => {
    await assert.rejects(sealerNode(store.endpoint, SECRET_KEY), /S3 versioning enabled/);
  });
});

describe('a sealer whose bucket starts keeping object versions while it runs', () => {
  let store;
  let node;
  let api;

  before(async () => {
    await ready();
    store = await startSeaweedfs({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY, bucket: BUCKET });
    node = await sealerNode(store.endpoint, SECRET_KEY, ['--pinning-versioning-check-secs', '1']);
    api = await connect(node.url);
  });

  after(async () => {
    await api?.disconnect();
    await node?.stop();
    await store?.remove();
  });

  test('uploads nothing and reports it until versioning is suspended, then pins', async () => {
    const patient = await patientWithKey(api);
    await store.setVersioning('Enabled');
    const deadline = Date.now() + 30_000;
    while (!/has S3 versioning enabled/.test(node.log())) {
      assert.ok(Date.now() < deadline, 'the node never noticed the versioning');
      await new Promise((resolve) => { setTimeout(resolve, 250); });
    }
    const { record, ciphertext, contentHash } = await registerDocument(
      api, patient, patient.address, stringToU8a('{"resourceType":"Observation","id":"versioned"}'),
    );
    // One sealer: its report fails the request at once.
    const failed = await waitForPin(api, record, (pin) => pin.status === 'Failed', 60);
    assert.deepEqual(failed.failures, [{ who: ALICE, reason: { bucketKeepsVersions: null } }]);
    assert.equal(await store.object(objectKey(contentHash)), null);

    // Suspended: objects put from now on are deleted for good, so the sealer uploads again,
    // and its confirmation withdraws the report.
    await store.setVersioning('Suspended');
    const pinned = await waitForPin(api, record, (pin) => pin.status === 'Pinned', 40);
    assert.deepEqual(pinned.confirmations, [ALICE]);
    assert.deepEqual(pinned.failures, []);
    assert.match(node.log(), /no longer keeps new object versions: uploading again/);
    assert.equal(u8aToHex(await store.object(objectKey(contentHash))), u8aToHex(ciphertext));
  });
});
