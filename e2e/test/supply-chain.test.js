// A pack's life on a real development node, through @polkadot/api with no custom types: a
// manufacturer commissions and packs, a wholesaler receives and ships on, a pharmacy verifies
// and dispenses; a lot recall blocks a second pack; a shipment whose buyer left the consortium
// goes back to the seller; a product line moves with its company prefix to another manufacturer.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { stringToU8a } from '@polkadot/util';
import { connect, findEvent, keyFromUri, submit, sudo } from '../lib/chain.js';
import { sha256Hex } from '../lib/crypto.js';
import { startDevNode } from '../lib/node.js';
import { packHistory, sgtin, verifyPack } from '../lib/supply.js';

const GTIN = '10614141000019';
const SSCC = '106141411234567897';
const LOT = 'L2026A';
const EXPIRY = '301231';

let node;
let api;
const orgs = {};
const staff = {};

async function organisation(kind, gln, uri, roles) {
  const account = keyFromUri(uri);
  const { events } = await sudo(api, keyFromUri('//Alice'), api.tx.consortium.registerOrganisation(
    kind, stringToU8a(gln), account.address,
  ));
  const org = findEvent(events, 'consortium', 'OrganisationRegistered').org.toNumber();
  await submit(api, account, api.tx.consortium.addMember(org, account.address, roles));
  return { org, account };
}

before(async () => {
  node = await startDevNode();
  api = await connect(node.url);
  for (const [name, kind, gln, uri, roles] of [
    // Stash accounts: the records flows use the plain ones, and both may run on one chain.
    ['maker', 'Manufacturer', '0614141000029', '//Bob//stash', ['RecordsClerk']],
    ['wholesaler', 'Wholesaler', '5901234123464', '//Charlie//stash', ['RecordsClerk']],
    ['pharmacy', 'Pharmacy', '0614141000036', '//Dave//stash', ['Pharmacist']],
  ]) {
    const { org, account } = await organisation(kind, gln, uri, roles);
    orgs[name] = org;
    staff[name] = account;
  }
  // Governance records the maker's GS1 Company Prefix: the GTINs under it are its alone.
  await sudo(api, keyFromUri('//Alice'), api.tx.consortium.assignCompanyPrefix(
    orgs.maker, '0614141',
  ));
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

const pack = (serial) => ({ Sgtin: sgtin(GTIN, serial) });

async function shipAndReceive(from, to, items, documents) {
  const { events } = await submit(api, staff[from], api.tx.supplyChain.ship(
    orgs[to], items, sha256Hex(stringToU8a(documents)),
  ));
  const shipment = findEvent(events, 'supplyChain', 'Shipped').shipment.toNumber();
  return shipment;
}

test('a pack travels from manufacturer to patient and every step is verifiable', async () => {
  const { maker, wholesaler, pharmacy } = staff;
  await submit(api, maker, api.tx.supplyChain.registerProduct(stringToU8a(GTIN)));
  await submit(api, maker, api.tx.supplyChain.commission(
    stringToU8a(GTIN), LOT, stringToU8a(EXPIRY), ['PK0001', 'PK0002'],
  ));
  assert.deepEqual(await verifyPack(api, GTIN, 'PK0001'), {
    status: 'Active', gtin: GTIN, lot: LOT, expiry: EXPIRY, custodian: orgs.maker,
    inTransit: false, container: null,
  });
  assert.equal((await verifyPack(api, GTIN, 'PK9999')).status, 'Unknown');

  // Packed into a case; shipping the case moves both packs.
  await submit(api, maker, api.tx.supplyChain.aggregate(stringToU8a(SSCC), [pack('PK0001'), pack('PK0002')]));
  const first = await shipAndReceive('maker', 'wholesaler', [{ Sscc: stringToU8a(SSCC) }], 'DSCSA TI/TS #1');
  let scanned = await verifyPack(api, GTIN, 'PK0002');
  assert.equal(scanned.status, 'InTransit');
  assert.equal(scanned.container, SSCC);
  // Items in transit cannot be shipped again, and only the buyer receives.
  await assert.rejects(
    submit(api, maker, api.tx.supplyChain.ship(orgs.pharmacy, [{ Sscc: stringToU8a(SSCC) }], sha256Hex(stringToU8a('x')))),
    { error: 'supplyChain.ItemInTransit' },
  );
  await assert.rejects(submit(api, pharmacy, api.tx.supplyChain.receive(first)), { error: 'supplyChain.NotBuyer' });
  await submit(api, wholesaler, api.tx.supplyChain.receive(first));
  assert.equal((await verifyPack(api, GTIN, 'PK0002')).custodian, orgs.wholesaler);

  // On to the pharmacy, which unpacks, scans and dispenses one pack.
  const second = await shipAndReceive('wholesaler', 'pharmacy', [{ Sscc: stringToU8a(SSCC) }], 'DSCSA TI/TS #2');
  await submit(api, pharmacy, api.tx.supplyChain.receive(second));
  await submit(api, pharmacy, api.tx.supplyChain.disaggregate(stringToU8a(SSCC), [pack('PK0001'), pack('PK0002')]));
  scanned = await verifyPack(api, GTIN, 'PK0001');
  assert.equal(scanned.status, 'Active');
  assert.equal(scanned.custodian, orgs.pharmacy);
  assert.equal(scanned.container, null);
  await submit(api, pharmacy, api.tx.supplyChain.dispense(sgtin(GTIN, 'PK0001')));
  assert.equal((await verifyPack(api, GTIN, 'PK0001')).status, 'Dispensed');
  await assert.rejects(
    submit(api, pharmacy, api.tx.supplyChain.dispense(sgtin(GTIN, 'PK0001'))),
    { error: 'supplyChain.AlreadyDecommissioned' },
  );

  // The whole journey, as EPCIS business steps, including the case's own moves.
  const steps = (await packHistory(api, GTIN, 'PK0001')).map((entry) => entry.bizStep);
  assert.deepEqual(steps, [
    'Commissioning', 'Packing', 'Shipping', 'Receiving', 'Shipping', 'Receiving', 'Unpacking', 'Dispensing',
  ]);

  // The manufacturer recalls the lot: the second pack can no longer be dispensed.
  await submit(api, maker, api.tx.supplyChain.recall(stringToU8a(GTIN), LOT));
  assert.equal((await verifyPack(api, GTIN, 'PK0002')).status, 'Recalled');
  await assert.rejects(
    submit(api, pharmacy, api.tx.supplyChain.dispense(sgtin(GTIN, 'PK0002'))),
    { error: 'supplyChain.Recalled' },
  );
  // Nor sold on; it goes back to the wholesaler as a return, which the wholesaler takes in
  // (logged as not for sale until verified).
  await assert.rejects(
    submit(api, pharmacy, api.tx.supplyChain.ship(orgs.wholesaler, [pack('PK0002')], sha256Hex(stringToU8a('x')))),
    { error: 'supplyChain.Recalled' },
  );
  const { events } = await submit(api, pharmacy, api.tx.supplyChain.shipReturn(
    orgs.wholesaler, [pack('PK0002')], sha256Hex(stringToU8a('Return authorisation #1')),
  ));
  const returned = findEvent(events, 'supplyChain', 'Shipped');
  assert.equal(returned.kind.type, 'Return');
  await submit(api, wholesaler, api.tx.supplyChain.receive(returned.shipment));
  scanned = await verifyPack(api, GTIN, 'PK0002');
  assert.deepEqual([scanned.status, scanned.custodian], ['Recalled', orgs.wholesaler]);
  const lastTwo = (await packHistory(api, GTIN, 'PK0002')).slice(-2);
  assert.deepEqual(
    lastTwo.map((entry) => [entry.bizStep, entry.disposition, entry.org]),
    [['Shipping', 'Returned', orgs.pharmacy], ['Receiving', 'NonSellableOther', orgs.wholesaler]],
  );
});

test('packing into a case that exists is charged less: no prefix looked up, no deposit held, no listed lot read', async () => {
  const { maker } = staff;
  const CASE = '106141411234567903';
  await submit(api, maker, api.tx.supplyChain.commission(
    stringToU8a(GTIN), 'L2026W', stringToU8a(EXPIRY), ['PK0101', 'PK0102'],
  ));
  const charged = async (serial) => {
    const { events } = await submit(api, maker, api.tx.supplyChain.aggregate(stringToU8a(CASE), [pack(serial)]));
    const success = events.find((event) => api.events.system.ExtrinsicSuccess.is(event));
    return success.data.dispatchInfo.weight.refTime.toBigInt();
  };
  const intoNewCase = await charged('PK0101');
  const intoThatCase = await charged('PK0102');
  // The nine prefixes an SSCC may be under, and the deposit's hold: read and written once;
  // and the lot, which the case already lists, is not read again.
  const { read, write } = api.consts.system.dbWeight;
  assert.equal(intoNewCase - intoThatCase, 11n * read.toBigInt() + write.toBigInt());
  assert.equal((await verifyPack(api, GTIN, 'PK0102')).container, CASE);
});

test('a shipment to an organisation that left the consortium goes back to the seller', async () => {
  const { maker } = staff;
  const gtin = '10614141000026';
  const clinic = await organisation('Clinic', '0614141000043', '//Eve//stash', ['Pharmacist']);
  await submit(api, maker, api.tx.supplyChain.registerProduct(stringToU8a(gtin)));
  await submit(api, maker, api.tx.supplyChain.commission(
    stringToU8a(gtin), 'L2026B', stringToU8a(EXPIRY), ['PK0101'],
  ));
  const { events } = await submit(api, maker, api.tx.supplyChain.ship(
    clinic.org, [{ Sgtin: sgtin(gtin, 'PK0101') }], sha256Hex(stringToU8a('DSCSA TI/TS #3')),
  ));
  const shipment = findEvent(events, 'supplyChain', 'Shipped').shipment.toNumber();
  // While the buyer may still receive or reject, the seller cannot take the goods back.
  await assert.rejects(
    submit(api, maker, api.tx.supplyChain.cancelShipment(shipment)),
    { error: 'supplyChain.ShipmentNotOverdue' },
  );

  await sudo(api, keyFromUri('//Alice'), api.tx.consortium.deregisterOrganisation(clinic.org));
  const cancelled = await submit(api, maker, api.tx.supplyChain.cancelShipment(shipment));
  const event = findEvent(cancelled.events, 'supplyChain', 'ShipmentCancelled');
  assert.equal(event.reason.type, 'BuyerLeft');
  assert.deepEqual(await verifyPack(api, gtin, 'PK0101'), {
    status: 'Active', gtin, lot: 'L2026B', expiry: EXPIRY, custodian: orgs.maker,
    inTransit: false, container: null,
  });
  const last = (await packHistory(api, gtin, 'PK0101')).at(-1);
  assert.deepEqual(
    { bizStep: last.bizStep, disposition: last.disposition, org: last.org },
    { bizStep: 'VoidShipping', disposition: 'Returned', org: orgs.maker },
  );
});

test('a product line moves with its company prefix to the manufacturer that took it over', async () => {
  const { maker } = staff;
  const alice = keyFromUri('//Alice');
  const prefix = '0614142';
  const gtin = '10614142000018';
  await sudo(api, alice, api.tx.consortium.assignCompanyPrefix(orgs.maker, prefix));
  await submit(api, maker, api.tx.supplyChain.registerProduct(stringToU8a(gtin)));
  await submit(api, maker, api.tx.supplyChain.commission(
    stringToU8a(gtin), 'L2026C', stringToU8a(EXPIRY), ['PK0201'],
  ));

  // The prefix passes to the successor; the product stays the maker's until governance moves it.
  const successor = await organisation('Manufacturer', '0614141000050', '//Ferdie//stash', ['RecordsClerk']);
  await sudo(api, alice, api.tx.consortium.revokeCompanyPrefix(prefix));
  await sudo(api, alice, api.tx.consortium.assignCompanyPrefix(successor.org, prefix));
  await assert.rejects(
    submit(api, successor.account, api.tx.supplyChain.commission(
      stringToU8a(gtin), 'L2026D', stringToU8a(EXPIRY), ['PK0202'],
    )),
    { error: 'supplyChain.NotProductOwner' },
  );
  const { events } = await sudo(api, alice, api.tx.supplyChain.transferProduct(stringToU8a(gtin), successor.org));
  const moved = findEvent(events, 'supplyChain', 'ProductTransferred');
  assert.deepEqual(
    { from: moved.from.toNumber(), to: moved.to.toNumber(), retired: moved.retired.isTrue },
    { from: orgs.maker, to: successor.org, retired: false },
  );

  // The successor makes the new lots; the lot already made stays the maker's, still genuine.
  await assert.rejects(
    submit(api, maker, api.tx.supplyChain.commission(
      stringToU8a(gtin), 'L2026D', stringToU8a(EXPIRY), ['PK0202'],
    )),
    { error: 'supplyChain.NotProductOwner' },
  );
  await assert.rejects(
    submit(api, successor.account, api.tx.supplyChain.commission(
      stringToU8a(gtin), 'L2026C', stringToU8a(EXPIRY), ['PK0202'],
    )),
    { error: 'supplyChain.LotOfAnotherManufacturer' },
  );
  await submit(api, successor.account, api.tx.supplyChain.commission(
    stringToU8a(gtin), 'L2026D', stringToU8a(EXPIRY), ['PK0202'],
  ));
  assert.equal((await verifyPack(api, gtin, 'PK0202')).custodian, successor.org);
  assert.deepEqual(await verifyPack(api, gtin, 'PK0201'), {
    status: 'Active', gtin, lot: 'L2026C', expiry: EXPIRY, custodian: orgs.maker,
    inTransit: false, container: null,
  });
});
