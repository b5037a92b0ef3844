// Patients, providers and emergency staff on a real development node, through @polkadot/api
// with no custom types: encrypt, register, grant, read, revoke, break the glass, review.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { stringToU8a, u8aToHex, u8aToString } from '@polkadot/util';
import { connect, findEvent, keyFromUri, rawRpc, submit, sudo } from '../lib/chain.js';
import { ready, sha256Hex } from '../lib/crypto.js';
import { killOnExit, startDevNode } from '../lib/node.js';
import {
  amendDocument, blobStorageKey, canAccess, changeMembership, documentRegistration, encryptionKeysOf, getBlob, grantRead, putBlob,
  publishEncryptionKey, putMessage, readDocument, registerDocument, revoke, shareRecordKey,
} from '../lib/records.js';

const HOSPITAL_GLN = '0614141000012';
const DOCUMENT = '{"resourceType":"Observation","code":"blood glucose","value":"5.4 mmol/L"}';

let node;
let api;
const people = {};
/** The hospital's organisation id. */
let hospital;
let custodianService;

/**
 * The key custodian's service, `medchain custodian`, as its own process: resolves once it
 * serves. `nextReport()` resolves with the next JSON line it prints (a release or a take-back).
 * `stateFile` keeps the releases still to take back.
 */
async function startCustodianService(suri, stateFile) {
  const cli = new URL('../bin/medchain.js', import.meta.url).pathname;
  const child = killOnExit(spawn(process.execPath, [
    cli, 'custodian', '--suri', suri, '--ws', node.url, '--rescan-blocks', '2', '--state', stateFile,
  ]));
  const reports = [];
  const waiting = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const report = JSON.parse(line);
    const waiter = waiting.shift();
    if (waiter) waiter(report);
    else reports.push(report);
  });
  let log = '';
  child.stderr.setEncoding('utf8');
  await new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk) => {
      log += chunk;
      if (log.includes('serving emergencies')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`medchain custodian exited (${code}): ${log}`)));
  });
  return {
    nextReport(timeoutMs = 90_000) {
      if (reports.length > 0) return Promise.resolve(reports.shift());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no report in ${timeoutMs} ms: ${log}`)), timeoutMs);
        waiting.push((report) => {
          clearTimeout(timer);
          resolve(report);
        });
      });
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

before(async () => {
  await ready();
  node = await startDevNode();
  api = await connect(node.url);
  for (const [role, uri] of Object.entries({
    governance: '//Alice', admin: '//Bob', doctor: '//Charlie', erDoctor: '//Dave',
    auditor: '//Eve', patient: '//Ferdie', custodian: '//Alice//stash',
  })) {
    const account = keyFromUri(uri);
    people[role] = { account, address: account.address, keys: encryptionKeysOf(account) };
  }
  // Governance registers the hospital; its admin enrols the staff.
  const { events } = await sudo(api, people.governance.account, api.tx.consortium.registerOrganisation(
    'Hospital', stringToU8a(HOSPITAL_GLN), people.admin.address,
  ));
  const org = findEvent(events, 'consortium', 'OrganisationRegistered').org.toNumber();
  hospital = org;
  await submit(api, people.admin.account, api.tx.utility.batchAll([
    api.tx.consortium.addMember(org, people.doctor.address, ['Clinician']),
    api.tx.consortium.addMember(org, people.erDoctor.address, ['Emergency']),
    api.tx.consortium.addMember(org, people.auditor.address, ['Auditor']),
    api.tx.consortium.addMember(org, people.custodian.address, ['KeyCustodian']),
  ]));
  for (const who of ['patient', 'doctor', 'erDoctor', 'custodian']) {
    await publishEncryptionKey(api, people[who].account, people[who].keys);
  }
});

after(async () => {
  await custodianService?.stop();
  await api?.disconnect();
  await node?.stop();
});

test('a patient shares a record with a provider for treatment, then revokes', async () => {
  const { patient, doctor } = people;
  const plaintext = stringToU8a(DOCUMENT);
  const { record, ciphertext, contentHash } = await registerDocument(
    api, patient.account, patient.address, plaintext,
  );

  // On chain: the ciphertext's hash and size, never the document.
  const entry = (await api.query.records.records(record)).unwrap();
  assert.equal(entry.contentHash.toHex(), contentHash);
  assert.equal(entry.ciphertextSize.toNumber(), ciphertext.length);
  assert.ok(!u8aToString(entry.toU8a()).includes('glucose'));
  // Her file, a page at a time (at most 100 ids a page).
  const ids = await api.call.recordsApi.recordsOf(patient.address, null, 100);
  assert.ok(ids.map((id) => id.toNumber()).includes(record));

  // Without consent the provider is refused, on chain and by the node holding the ciphertext.
  assert.deepEqual(await canAccess(api, doctor.address, record), { allowed: false, reason: 'NoConsent' });
  await assert.rejects(
    submit(api, doctor.account, api.tx.consent.recordAccess(record, 'Treatment')),
    { error: 'consent.NoConsent' },
  );
  const forTreatment = { record, purpose: 'Treatment' };
  await assert.rejects(getBlob(api, contentHash, doctor.account, forTreatment), /4015:.*NoConsent/);

  // Read consent for treatment, ending in a day; the patient wraps the data key for the doctor.
  const consent = await grantRead(api, patient.account, doctor.address, { end: Date.now() + 86_400_000 });
  await shareRecordKey(api, patient.account, patient.keys, record, doctor.address);
  const decision = await api.call.consentApi.canAccess(doctor.address, record, 'Read', 'Treatment');
  assert.equal(decision.allowed.isTrue, true);
  assert.equal(decision.consentUsed.unwrap().toNumber(), consent);

  // The consent is for treatment only.
  await assert.rejects(
    submit(api, doctor.account, api.tx.consent.recordAccess(record, 'Research')),
    { error: 'consent.PurposeNotPermitted' },
  );
  await assert.rejects(
    getBlob(api, contentHash, doctor.account, { record, purpose: 'Research' }),
    /4015:.*PurposeNotPermitted/,
  );
  // A record the doctor may read does not open another ciphertext: the node checks the pair.
  const { contentHash: otherHash } = await registerDocument(
    api, patient.account, patient.address, stringToU8a('{"note":"another document"}'),
  );
  await assert.rejects(getBlob(api, otherHash, doctor.account, forTreatment), /4016:/);

  // The provider reads: a receipt on chain, then the original bytes.
  const opened = await readDocument(api, doctor.account, doctor.keys, record);
  assert.equal(u8aToString(opened), DOCUMENT);
  const log = await api.call.consentApi.accessLog(record, 0, 10);
  assert.equal(log.length, 1);
  const [, receipt] = log[0];
  assert.equal(receipt.reader.toString(), doctor.address);
  assert.equal(receipt.consentUsed.unwrap().toNumber(), consent);
  assert.equal(receipt.purpose.type, 'Treatment');
  const listed = await api.call.consentApi.consentsOf(patient.address);
  assert.ok(listed.some(([id]) => id.toNumber() === consent));

  // Revoked: refused at once, and the chain removed the doctor's key envelope with it.
  const sweeps = await revoke(api, patient.account, consent);
  assert.equal(sweeps.length, 1, 'one sweep examined all the grantee\'s envelopes');
  const [swept] = sweeps;
  assert.equal(swept.grantee.asAccount.toString(), doctor.address);
  assert.equal(swept.removed.toNumber(), 1);
  assert.ok(swept.resumeAfter.isNone);
  assert.deepEqual(await canAccess(api, doctor.address, record), { allowed: false, reason: 'NoConsent' });
  await assert.rejects(
    readDocument(api, doctor.account, doctor.keys, record),
    { error: 'consent.NoConsent' },
  );
  assert.ok((await api.query.records.keyEnvelopes(record, doctor.address)).isNone);
  // Nor does the node hand the doctor the ciphertext any more.
  await assert.rejects(getBlob(api, contentHash, doctor.account, forTreatment), /4015:.*NoConsent/);
  // Nor may the doctor file the patient's ciphertext under a record of their own, which would
  // also have kept it stored after the patient erased theirs: a ciphertext is one patient's.
  await assert.rejects(
    submit(api, doctor.account, api.tx.records.register(
      doctor.address, '11488-4', contentHash, ciphertext.length, 'application/fhir+json', 'Treatment', [],
    )),
    { error: 'records.CiphertextOfAnotherPatient' },
  );
  // The ciphertext alone, tampered or not, gives nothing: a changed byte fails the hash.
  const tampered = Uint8Array.from(ciphertext);
  tampered[tampered.length - 1] ^= 1;
  assert.notEqual(sha256Hex(tampered), contentHash);
});

test('a consent to one record follows its document to the corrected version', async () => {
  const { patient, doctor } = people;
  const original = '{"resourceType":"Observation","code":"potassium","value":"6.9 mmol/L"}';
  const corrected = '{"resourceType":"Observation","code":"potassium","value":"4.1 mmol/L"}';
  const { record: first } = await registerDocument(
    api, patient.account, patient.address, stringToU8a(original),
  );
  const { record: unrelated } = await registerDocument(
    api, patient.account, patient.address, stringToU8a('{"note":"not shared"}'),
  );
  const { events } = await submit(api, patient.account, api.tx.consent.grant(
    patient.address, { Account: doctor.address }, { Records: [first] }, ['Read'], ['Treatment'],
    null, null, null,
  ));
  const consent = findEvent(events, 'consent', 'ConsentGranted').consent.toNumber();
  await shareRecordKey(api, patient.account, patient.keys, first, doctor.address);
  assert.equal(u8aToString(await readDocument(api, doctor.account, doctor.keys, first)), original);
  assert.deepEqual(await canAccess(api, doctor.address, unrelated), { allowed: false, reason: 'OutOfScope' });

  // The lab's value was wrong; the patient files the corrected version and wraps its key for
  // the doctor she shared the original with. The doctor reads it under the same consent, on
  // chain and from the node holding the ciphertext.
  const { record: second } = await amendDocument(
    api, patient.account, first, stringToU8a(corrected), [patient.address, doctor.address],
  );
  assert.equal(u8aToString(await readDocument(api, doctor.account, doctor.keys, second)), corrected);
  const log = await api.call.consentApi.accessLog(second, 0, 10);
  assert.equal(log[0][1].consentUsed.unwrap().toNumber(), consent);

  // Revoking ends it for every version, and the chain removes both of the doctor's envelopes.
  const sweeps = await revoke(api, patient.account, consent);
  assert.equal(sweeps.reduce((removed, sweep) => removed + sweep.removed.toNumber(), 0), 2);
  for (const version of [first, second]) {
    assert.deepEqual(await canAccess(api, doctor.address, version), { allowed: false, reason: 'NoConsent' });
    assert.ok((await api.query.records.keyEnvelopes(version, doctor.address)).isNone);
  }
});

test('a provider without an append consent cannot add to a patient file', async () => {
  const { patient, doctor } = people;
  await assert.rejects(
    registerDocument(api, doctor.account, patient.address, stringToU8a('{"note":"x"}')),
    { error: 'records.NoConsent' },
  );
});

test('emergency staff break the glass, get the escrowed key, read; an auditor reviews', async () => {
  const { patient, erDoctor, auditor, custodian } = people;
  const { record } = await registerDocument(api, patient.account, patient.address, stringToU8a(DOCUMENT));
  // A second document she does not escrow: no one gets its key in an emergency.
  const { record: notEscrowed } = await registerDocument(
    api, patient.account, patient.address, stringToU8a('{"note":"kept"}'),
  );
  // The patient escrows the record key with the hospital's key custodian, for emergencies.
  await shareRecordKey(api, patient.account, patient.keys, record, custodian.address);
  await grantRead(api, patient.account, custodian.address, { purposes: ['Emergency'] });
  // The chain refuses a release to someone without a running break-glass access.
  await assert.rejects(
    shareRecordKey(api, custodian.account, custodian.keys, record, erDoctor.address),
    { error: 'records.RecipientMayNotReadInEmergency' },
  );
  // The custodian's key service runs, as its own process.
  const stateDir = await mkdtemp(join(tmpdir(), 'medchain-custodian-'));
  const stateFile = join(stateDir, 'releases.json');
  custodianService = await startCustodianService('//Alice//stash', stateFile);
  await assert.rejects(
    submit(api, erDoctor.account, api.tx.consent.recordAccess(record, 'Emergency')),
    { error: 'consent.NoConsent' },
  );

  const justification = sha256Hex(stringToU8a('Unconscious on arrival; no relative reachable.'));
  const { events } = await submit(api, erDoctor.account, api.tx.consent.breakGlass(
    patient.address, 'PatientCannotBeAsked', justification,
  ));
  const granted = findEvent(events, 'consent', 'EmergencyAccessGranted');
  assert.equal(granted.patient.toString(), patient.address);
  assert.equal(granted.accessor.toString(), erDoctor.address);
  const access = granted.access.toNumber();

  // The read is for emergencies only, and leaves a receipt naming the break-glass access.
  await assert.rejects(
    submit(api, erDoctor.account, api.tx.consent.recordAccess(record, 'Treatment')),
    { error: 'consent.NoConsent' },
  );
  const read = await submit(api, erDoctor.account, api.tx.consent.recordAccess(record, 'Emergency'));
  const accessed = findEvent(read.events, 'consent', 'RecordAccessed');
  assert.equal(accessed.basis.type, 'BreakGlass');
  assert.equal(accessed.consentUsed.unwrap().toNumber(), access);

  // The custodian's key service sees the access on chain and, with no one asking, wraps the
  // escrowed key for the doctor, who can now decrypt the document (leaving a second receipt).
  const release = await custodianService.nextReport();
  assert.deepEqual(release, { released: { patient: patient.address, accessor: erDoctor.address, records: [record] } });
  // It keeps what it must take back later, across restarts.
  assert.deepEqual(JSON.parse(await readFile(stateFile, 'utf8')), [{ record, accessor: erDoctor.address }]);
  const envelope = (await api.query.records.keyEnvelopes(record, erDoctor.address)).unwrap();
  assert.equal(envelope.deposit.depositor.toString(), custodian.address);
  assert.ok((await api.query.records.keyEnvelopes(notEscrowed, erDoctor.address)).isNone);
  const plaintext = await readDocument(api, erDoctor.account, erDoctor.keys, record, 'Emergency');
  assert.equal(u8aToString(plaintext), DOCUMENT);

  // The accessor cannot review their own access; the hospital's auditor can, once (the
  // patient's own review is kept apart). Judged unjustified, the access ends at once.
  await assert.rejects(
    submit(api, erDoctor.account, api.tx.consent.reviewBreakGlass(access, 'Unjustified')),
    { error: 'consent.NotReviewer' },
  );
  const heldBefore = (await api.query.system.account(custodian.address)).data.reserved.toBigInt();
  await submit(api, auditor.account, api.tx.consent.reviewBreakGlass(access, 'Unjustified'));
  const stored = (await api.query.consent.emergencyAccesses(access)).unwrap();
  assert.equal(stored.auditReview.unwrap().reviewer.toString(), auditor.address);
  assert.equal(stored.auditReview.unwrap().outcome.type, 'Unjustified');
  assert.ok(stored.patientReview.isNone);
  // Its history says it ended when the review ended it.
  assert.equal(stored.expiresAt.toNumber(), stored.auditReview.unwrap().reviewedAt.toNumber());
  assert.deepEqual(
    await canAccess(api, erDoctor.address, record, 'Read', 'Emergency'),
    { allowed: false, reason: 'NoConsent' },
  );

  // The access is over, so the custodian's service takes its envelope back: its deposit
  // returns, and the doctor holds no key of the record any more.
  const takenBack = await custodianService.nextReport();
  assert.deepEqual(takenBack, { takenBack: { record, accessor: erDoctor.address } });
  assert.ok((await api.query.records.keyEnvelopes(record, erDoctor.address)).isNone);
  const heldAfter = (await api.query.system.account(custodian.address)).data.reserved.toBigInt();
  assert.equal(heldBefore - heldAfter, api.consts.records.keyEnvelopeDeposit.toBigInt());
  assert.deepEqual(JSON.parse(await readFile(stateFile, 'utf8')), []);
  await custodianService.stop();
  await rm(stateDir, { recursive: true, force: true });
});

test('the node keeps ciphertext put over RPC and refuses bad blobs with clear errors', async () => {
  const ciphertext = stringToU8a('opaque ciphertext bytes');
  const hash = await putBlob(api, ciphertext, people.patient.account);
  assert.equal(hash, sha256Hex(ciphertext));
  // The one who put it gets it back while it waits for its record.
  assert.deepEqual(await getBlob(api, hash, people.patient.account), ciphertext);

  const rpcError = (promise, code) => assert.rejects(promise, (error) => {
    assert.match(String(error.message), new RegExp(`^${code}:`));
    return true;
  });
  await rpcError(rawRpc(api, 'blobs_put', ['0x']), 4000);
  await rpcError(rawRpc(api, 'blobs_put', [`0x${'00'.repeat(4 * 1024 * 1024 + 1)}`]), 4001);
  await rpcError(rawRpc(api, 'blobs_put', ['not hex']), -32602);
  await rpcError(rawRpc(api, 'blobs_get', ['0x1234']), -32602);
  // Only signed gets: by the one who put the blob, or naming a record and a purpose the
  // chain's consent allows.
  await rpcError(rawRpc(api, 'blobs_get', [hash]), 4010);
  await rpcError(getBlob(api, hash, people.doctor.account), 4015);
  await rpcError(rawRpc(api, 'blobs_get', [hash, null, null, null, 1]), -32602);
  await rpcError(rawRpc(api, 'blobs_get', [hash, null, null, null, 1, 'Gossip']), -32602);
  // Only signed puts, by an account that published an encryption key.
  const other = stringToU8a('other ciphertext bytes');
  await rpcError(rawRpc(api, 'blobs_put', [u8aToHex(other)]), 4010);
  const { patient, doctor } = people;
  const validUntilMs = Date.now() + 60_000;
  const doctorsSignature = u8aToHex(doctor.account.sign(putMessage(api, sha256Hex(other), validUntilMs)));
  await rpcError(rawRpc(api, 'blobs_put', [u8aToHex(other), patient.address, doctorsSignature, validUntilMs]), 4011);
  const stale = Date.now() - 1;
  const staleSignature = u8aToHex(patient.account.sign(putMessage(api, sha256Hex(other), stale)));
  await rpcError(rawRpc(api, 'blobs_put', [u8aToHex(other), patient.address, staleSignature, stale]), 4014);
  await rpcError(putBlob(api, other, keyFromUri('//Ferdie//stash')), 4012);
  // Nothing of the refused puts was kept.
  assert.equal(await rawRpc(api, 'offchain_localStorageGet', ['PERSISTENT', blobStorageKey(sha256Hex(other))]), null);
  await rpcError(getBlob(api, sha256Hex(other), patient.account), 4015);
  // Still up and serving.
  assert.deepEqual(await getBlob(api, hash, patient.account), ciphertext);
  // Accounts of every kind sign puts and gets: ed25519 (as Ledger devices hold them) and ecdsa.
  for (const type of ['ed25519', 'ecdsa']) {
    const holder = keyFromUri(`//Blobs ${type}`, type);
    await submit(api, people.governance.account, api.tx.balances.transferKeepAlive(holder.address, 10n ** 12n));
    await publishEncryptionKey(api, holder, encryptionKeysOf(holder));
    const own = stringToU8a(`ciphertext put by an ${type} account`);
    assert.equal(await putBlob(api, own, holder), sha256Hex(own));
    assert.deepEqual(await getBlob(api, sha256Hex(own), holder), own);
  }
});

test('the patient\'s client finishes a revocation that leaves more envelopes than one sweep examines', async () => {
  const { patient, doctor } = people;
  const perSweep = api.consts.records.maxEnvelopesExaminedOnRevoke.toNumber();
  const registrations = [];
  for (let i = 0; i <= perSweep; i += 1) {
    const { tx } = await documentRegistration(
      api, patient.account, patient.address, `${DOCUMENT} #${i}`,
      { recipients: [patient.address, doctor.address] },
    );
    registrations.push(tx);
  }
  const { events } = await submit(api, patient.account, api.tx.utility.batchAll(registrations));
  const records = events
    .filter((event) => api.events.records.RecordRegistered.is(event))
    .map((event) => event.data[0].toNumber());
  assert.equal(records.length, perSweep + 1);
  const consent = await grantRead(api, patient.account, doctor.address, { purposes: ['Research'] });

  const sweeps = await revoke(api, patient.account, consent);

  // The revocation examined as many as it may and said where it stopped; the client went on.
  assert.deepEqual(
    sweeps.map((sweep) => [sweep.examined.toNumber(), sweep.removed.toNumber()]),
    [[perSweep, perSweep], [1, 1]],
  );
  assert.ok(sweeps[0].resumeAfter.isSome);
  assert.ok(sweeps[1].resumeAfter.isNone);
  for (const record of records) {
    assert.ok((await api.query.records.keyEnvelopes(record, doctor.address)).isNone);
    assert.ok((await api.query.records.keyEnvelopes(record, patient.address)).isSome);
  }
  const indexed = await api.query.records.envelopesByHolder.keys(doctor.address, patient.address);
  assert.equal(indexed.length, 0);
});

test('a provider appending under consent is charged what it declared, less the pin bookkeeping it skipped', async () => {
  const { patient, doctor } = people;
  const { events: granted } = await submit(api, patient.account, api.tx.consent.grant(
    patient.address, { Account: doctor.address }, 'AllRecords', ['Append'], ['Treatment'],
    null, null, null,
  ));
  const consent = findEvent(granted, 'consent', 'ConsentGranted').consent.toNumber();
  const { tx } = await documentRegistration(api, doctor.account, patient.address, `${DOCUMENT} (appended)`);
  const declared = (await tx.paymentInfo(doctor.account)).weight.refTime.toBigInt();

  const { events } = await submit(api, doctor.account, tx);
  assert.equal(findEvent(events, 'records', 'RecordRegistered').consentUsed.unwrap().toNumber(), consent);
  const success = events.find((event) => api.events.system.ExtrinsicSuccess.is(event));
  const charged = success.data.dispatchInfo.weight.refTime.toBigInt();
  // The event counts the base weight of every extrinsic; `paymentInfo` does not.
  const base = api.consts.system.blockWeights.perClass.normal.baseExtrinsic.refTime.toBigInt();
  // The provider takes the consent decision it was charged for; no deletion of the same
  // ciphertext was pending, so pinning did not write one off: one database write refunded.
  assert.equal(declared + base - charged, api.consts.system.dbWeight.write.toBigInt());
});

test('a clinician who leaves the hospital loses the keys held through it', async () => {
  const { patient, admin, governance } = people;
  // An account of its own (the supply-chain flows use the stash accounts on the same chain).
  const locum = keyFromUri('//Locum');
  await submit(api, governance.account, api.tx.balances.transferKeepAlive(locum.address, 10n ** 12n));
  await submit(api, admin.account, api.tx.consortium.addMember(hospital, locum.address, ['Clinician']));
  await publishEncryptionKey(api, locum, encryptionKeysOf(locum));
  // The patient trusts the hospital's clinicians, whoever they are.
  const { events: granted } = await submit(api, patient.account, api.tx.consent.grant(
    patient.address, { Organisation: { org: hospital, role: 'Clinician' } }, 'AllRecords', ['Read'],
    ['Treatment'], null, null, null,
  ));
  const consent = findEvent(granted, 'consent', 'ConsentGranted').consent.toNumber();
  // More records wrapped for the locum than one sweep examines.
  const perSweep = api.consts.records.maxEnvelopesExaminedOnRevoke.toNumber();
  const registrations = [];
  for (let i = 0; i <= perSweep; i += 1) {
    const { tx } = await documentRegistration(
      api, patient.account, patient.address, `${DOCUMENT} for the ward #${i}`,
      { recipients: [patient.address, locum.address] },
    );
    registrations.push(tx);
  }
  const { events: registered } = await submit(api, patient.account, api.tx.utility.batchAll(registrations));
  const records = registered
    .filter((event) => api.events.records.RecordRegistered.is(event))
    .map((event) => event.data[0].toNumber());
  const [record] = records;
  assert.ok((await api.query.records.keyEnvelopes(record, locum.address)).isSome);
  assert.equal((await canAccess(api, locum.address, record)).allowed, true);
  // While a member, the locum may fetch the ciphertext from the node too.
  const contentHash = (await api.query.records.records(record)).unwrap().contentHash.toHex();
  const forTreatment = { record, purpose: 'Treatment' };
  assert.equal(sha256Hex(await getBlob(api, contentHash, locum, forTreatment)), contentHash);

  // The admin's client removes the locum and goes on where the consortium's own sweep stopped.
  const sweeps = await changeMembership(
    api, admin.account, api.tx.consortium.removeMember(hospital, locum.address),
  );

  assert.ok(sweeps.every((sweep) => sweep.holder.toString() === locum.address));
  assert.deepEqual(
    sweeps.map((sweep) => [sweep.examined.toNumber(), sweep.removed.toNumber()]),
    [[perSweep, perSweep], [1, 1]],
  );
  assert.ok(sweeps[1].resumeAfter.isNone);
  for (const each of records) {
    assert.ok((await api.query.records.keyEnvelopes(each, locum.address)).isNone);
    assert.ok((await api.query.records.keyEnvelopes(each, patient.address)).isSome);
  }
  assert.equal((await canAccess(api, locum.address, record)).allowed, false);
  // Nor does the node hand the former member the ciphertext any more.
  await assert.rejects(getBlob(api, contentHash, locum, forTreatment), /4015:/);
  assert.equal((await api.query.records.envelopesByHolder.keys(locum.address)).length, 0);
  await revoke(api, patient.account, consent);
});
