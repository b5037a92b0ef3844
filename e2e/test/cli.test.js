// The command-line client against a real development node: a patient encrypts and registers a
// file, then opens it again signing with a JSON key file instead of a secret URI, shares it and
// revokes; a pack scan.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { stringToU8a } from '@polkadot/util';
import { connect, findEvent, keyFromUri, submit, sudo } from '../lib/chain.js';
import { startDevNode } from '../lib/node.js';
import {
  encryptionKeysOf, grantRead, publishEncryptionKey, registerDocument,
} from '../lib/records.js';

const run = promisify(execFile);
const cli = new URL('../bin/medchain.js', import.meta.url).pathname;

let node;
let dir;

async function medchain(args, env = {}) {
  const { stdout } = await run(process.execPath, [cli, ...args, '--ws', node.url], {
    env: { ...process.env, ...env },
  });
  return stdout;
}

before(async () => {
  node = await startDevNode();
  dir = await mkdtemp(join(tmpdir(), 'medchain-cli-'));
});

after(async () => {
  await node?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('encrypt, put and register a file, then open it with the same account from a key file', async () => {
  const document = join(dir, 'discharge-letter.json');
  const contents = '{"resourceType":"Composition","title":"Discharge letter"}';
  await writeFile(document, contents);
  await medchain(['publish-key', '--suri', '//Eve']);
  const registered = JSON.parse(await medchain(['register', document, '--suri', '//Eve']));
  assert.equal(registered.bytes, contents.length);

  const keyFile = join(dir, 'eve.json');
  await writeFile(keyFile, JSON.stringify(keyFromUri('//Eve').toJson('correct horse')));
  const opened = join(dir, 'opened.json');
  await medchain(
    ['open', String(registered.record), '--out', opened, '--key-file', keyFile],
    { MEDCHAIN_KEY_PASSWORD: 'correct horse' },
  );
  assert.equal(await readFile(opened, 'utf8'), contents);

  // Someone without consent is refused, with the chain's reason.
  await assert.rejects(
    medchain(['open', String(registered.record), '--out', join(dir, 'x'), '--suri', '//Ferdie']),
    (error) => /consent\.NoConsent/.test(error.stderr),
  );

  // Shared under a consent (granted in apps, here through @polkadot/api), then revoked: the
  // revocation takes the key envelope with it.
  const reader = ['open', String(registered.record), '--out', join(dir, 'y'), '--suri', '//Ferdie'];
  const api = await connect(node.url);
  let consent;
  try {
    consent = await grantRead(api, keyFromUri('//Eve'), keyFromUri('//Ferdie').address);
  } finally {
    await api.disconnect();
  }
  await medchain(['publish-key', '--suri', '//Ferdie']);
  await medchain(['share', String(registered.record), keyFromUri('//Ferdie').address, '--suri', '//Eve']);
  await medchain(reader);
  assert.equal(await readFile(join(dir, 'y'), 'utf8'), contents);
  const revoked = JSON.parse(await medchain(['revoke', String(consent), '--suri', '//Eve']));
  assert.deepEqual(revoked, { consent, envelopesExamined: 1, envelopesRemoved: 1 });
  await assert.rejects(medchain(reader), (error) => /consent\.NoConsent/.test(error.stderr));
});

test('an admin removes a member with the client, and the envelopes held through the organisation go', async () => {
  const [governance, admin, member, patient] = ['//Alice', '//Bob', '//Charlie', '//Dave'].map((uri) => keyFromUri(uri));
  const api = await connect(node.url);
  let org;
  let record;
  try {
    const { events } = await sudo(api, governance, api.tx.consortium.registerOrganisation(
      'Clinic', stringToU8a('0614141000012'), admin.address,
    ));
    org = findEvent(events, 'consortium', 'OrganisationRegistered').org.toNumber();
    await submit(api, admin, api.tx.consortium.addMember(org, member.address, ['Clinician', 'Researcher']));
    for (const who of [member, patient]) await publishEncryptionKey(api, who, encryptionKeysOf(who));
    await submit(api, patient, api.tx.consent.grant(
      patient.address, { Organisation: { org, role: 'Clinician' } }, 'AllRecords', ['Read'],
      ['Treatment'], null, null, null,
    ));
    ({ record } = await registerDocument(
      api, patient, patient.address, stringToU8a('{"resourceType":"Observation"}'),
      { recipients: [patient.address, member.address] },
    ));
  } finally {
    await api.disconnect();
  }

  // Losing a role the consent does not name keeps the envelope; leaving takes it.
  const kept = JSON.parse(await medchain(['set-roles', String(org), member.address, 'Clinician', '--suri', '//Bob']));
  assert.deepEqual(kept, {
    org, member: member.address, roles: ['Clinician'], envelopesExamined: 1, envelopesRemoved: 0,
  });
  const removed = JSON.parse(await medchain(['remove-member', String(org), member.address, '--suri', '//Bob']));
  assert.deepEqual(removed, { org, member: member.address, envelopesExamined: 1, envelopesRemoved: 1 });
  const check = await connect(node.url);
  try {
    assert.ok((await check.query.records.keyEnvelopes(record, member.address)).isNone);
    assert.ok((await check.query.records.keyEnvelopes(record, patient.address)).isSome);
  } finally {
    await check.disconnect();
  }
  // Only the admin may: Charlie, a member no longer, cannot remove Ferdie, who is one.
  const ferdie = keyFromUri('//Ferdie');
  const again = await connect(node.url);
  try {
    await submit(again, admin, again.tx.consortium.addMember(org, ferdie.address, ['Nurse']));
  } finally {
    await again.disconnect();
  }
  await assert.rejects(
    medchain(['remove-member', String(org), ferdie.address, '--suri', '//Charlie']),
    (error) => /consortium\.CannotRemoveMember/.test(error.stderr),
  );
});

test('scan a pack nobody commissioned', async () => {
  const scanned = JSON.parse(await medchain(['verify', '10614141000019', 'NOPE123']));
  assert.equal(scanned.status, 'Unknown');
});
