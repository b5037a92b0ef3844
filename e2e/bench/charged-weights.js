// What a real development node charges for the health-records calls, against
// `balances.transferKeepAlive` charged in the same run: the weights of issue 3's "measure and
// put in your note", as users pay them (after every refund), not as `weights.rs` declares them.
//
//   node bench/charged-weights.js [repeat=3]
//
// Each call is submitted `repeat` times; every submission must be charged the same weight (the
// weights are deterministic), so one figure per call is printed, with the weight the call
// declared before it ran (`paymentInfo`), and the charged weight as a multiple of the
// transfer's. Weights are `ref_time` in µs, as a block counts an extrinsic: the call, the
// transaction extensions and the base weight of every extrinsic (`system.ExtrinsicSuccess`
// includes it; `paymentInfo` does not, so it is added to the declared figure).
import assert from 'node:assert/strict';
import { stringToU8a } from '@polkadot/util';
import { connect, findEvent, keyFromUri, submit, sudo } from '../lib/chain.js';
import { ready } from '../lib/crypto.js';
import { startDevNode } from '../lib/node.js';
import {
  documentRegistration, encryptionKeysOf, grantRead, publishEncryptionKey, registerDocument,
} from '../lib/records.js';

const repeat = Number(process.argv[2] ?? 3);
const HOSPITAL_GLN = '0614141000012';

/** Picoseconds of `ref_time`. */
const picos = (weight) => weight.refTime.toBigInt();
/** Picoseconds as whole µs. */
const micros = (ps) => ps / 1_000_000n;

await ready();
const node = await startDevNode();
const api = await connect(node.url);
try {
  const people = {};
  for (const [role, uri] of Object.entries({
    governance: '//Alice', admin: '//Bob', doctor: '//Charlie', patient: '//Ferdie',
  })) {
    const account = keyFromUri(uri);
    people[role] = { account, address: account.address, keys: encryptionKeysOf(account) };
  }
  const { governance, admin, doctor, patient } = people;
  const { events } = await sudo(api, governance.account, api.tx.consortium.registerOrganisation(
    'Hospital', stringToU8a(HOSPITAL_GLN), admin.address,
  ));
  const org = findEvent(events, 'consortium', 'OrganisationRegistered').org.toNumber();
  await submit(api, admin.account, api.tx.consortium.addMember(org, doctor.address, ['Clinician']));
  for (const who of [patient, doctor]) await publishEncryptionKey(api, who.account, who.keys);
  // The doctor may append to and read the patient's file for treatment.
  await submit(api, patient.account, api.tx.consent.grant(
    patient.address, { Account: doctor.address }, 'AllRecords', ['Read', 'Append'], ['Treatment'],
    null, null, null,
  ));
  const { record } = await registerDocument(api, patient.account, patient.address, stringToU8a('{}'));

  /** Builds the call afresh each time (a new document, a new consent), as a user would. */
  const calls = {
    'balances.transferKeepAlive': [admin, async () => api.tx.balances.transferKeepAlive(doctor.address, 1_000_000_000_000n)],
    'records.register (patient, own envelope)': [patient, async (i) => (await documentRegistration(
      api, patient.account, patient.address, stringToU8a(`{"n":${i}}`),
    )).tx],
    'records.register (provider, envelopes for patient and author)': [doctor, async (i) => (await documentRegistration(
      api, doctor.account, patient.address, stringToU8a(`{"m":${i}}`),
    )).tx],
    'consent.grant': [patient, async () => api.tx.consent.grant(
      patient.address, { Account: admin.address }, 'AllRecords', ['Read'], ['Treatment'], null, null, null,
    )],
    'consent.recordAccess': [doctor, async () => api.tx.consent.recordAccess(record, 'Treatment')],
  };

  const base = api.consts.system.blockWeights.perClass.normal.baseExtrinsic;
  const figures = {};
  for (const [name, [signer, build]] of Object.entries(calls)) {
    const charged = new Set();
    const declared = new Set();
    for (let i = 0; i < repeat; i += 1) {
      const tx = await build(i);
      const info = await tx.paymentInfo(signer.account);
      declared.add(micros(picos(info.weight) + picos(base)));
      const { events: txEvents } = await submit(api, signer.account, tx);
      const success = txEvents.find((event) => api.events.system.ExtrinsicSuccess.is(event));
      charged.add(micros(picos(success.data.dispatchInfo.weight)));
    }
    assert.equal(charged.size, 1, `${name} was charged different weights: ${[...charged]}`);
    assert.equal(declared.size, 1, `${name} declared different weights: ${[...declared]}`);
    figures[name] = { charged: [...charged][0], declared: [...declared][0] };
  }

  const baseline = figures['balances.transferKeepAlive'].charged;
  const ratio = (value) => Number(value * 1000n / baseline) / 1000;
  console.log(JSON.stringify({
    unit: 'µs of ref_time, ParityDB weights',
    repeat,
    baseExtrinsic: Number(micros(picos(base))),
    baseline: { call: 'balances.transferKeepAlive', charged: Number(baseline) },
    calls: Object.fromEntries(Object.entries(figures).map(([name, { charged, declared }]) => [name, {
      charged: Number(charged),
      declared: Number(declared),
      chargedPerTransfer: ratio(charged),
    }])),
  }, null, 2));
} finally {
  await api.disconnect();
  await node.stop();
}
