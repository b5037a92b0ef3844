// Launching a consortium the way chain-spec/README.md tells a validator to: write the plain
// consortium-template spec, put the consortium's own sealer, governance key and founding
// organisations in it, make the raw spec, insert the sealer key, start, and see the chain seal
// blocks with the founders on chain.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { mnemonicGenerate } from '@polkadot/util-crypto';
import { connect, keyFromUri } from '../lib/chain.js';
import { nodeBinary, startNode } from '../lib/node.js';

const run = promisify(execFile);
const medchainNode = (args) => run(nodeBinary(), args, { maxBuffer: 64 * 1024 * 1024 });

let dir;
let node;
let api;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'medchain-launch-'));
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('a consortium launches from the edited template spec, sealed by its own key', async () => {
  // 1. The plain template, with its documented fields.
  const { stdout: plainTemplate } = await medchainNode(['build-spec', '--chain', 'consortium-template']);
  const spec = JSON.parse(plainTemplate);
  const patch = spec.genesis.runtimeGenesis.patch;
  const alice = keyFromUri('//Alice').address;
  const bob = keyFromUri('//Bob').address;
  assert.deepEqual(patch.consortium.sealers, [alice]);
  assert.deepEqual(patch.consortium.organisations, [
    { kind: 'Hospital', gln: '5790000000005', admin: alice, members: [[bob, ['Clinician', 'Emergency']]] },
  ]);
  assert.equal(patch.sudo.key, alice);
  assert.deepEqual(spec.properties, { ss58Format: 42, tokenDecimals: 12, tokenSymbol: 'MED' });
  assert.equal(patch.difficulty.initialDifficulty, '0x1312d00', 'U256 in hex: 20,000,000');
  assert.ok(Array.isArray(spec.bootNodes));

  // 2. The consortium's own keys and founders replace the placeholders.
  const sealerPhrase = mnemonicGenerate();
  const sealer = keyFromUri(sealerPhrase).address;
  const clinician = keyFromUri(mnemonicGenerate()).address;
  const pharmacist = keyFromUri(mnemonicGenerate()).address;
  patch.consortium.sealers = [sealer];
  patch.consortium.organisations = [
    { kind: 'Hospital', gln: '4000000000013', admin: sealer, members: [[clinician, ['Emergency', 'Clinician']]] },
    { kind: 'Pharmacy', gln: '4000000000020', admin: sealer, members: [[pharmacist, ['Pharmacist']]] },
  ];
  patch.sudo.key = sealer;
  patch.balances.balances = [[sealer, 1_000_000_000_000_000]];
  // One test core, not a consortium's: blocks in about a second.
  patch.difficulty.initialDifficulty = `0x${(2_000_000).toString(16)}`;
  spec.name = 'Launch Test Consortium';
  spec.id = 'medchain_launch_test';
  const plainPath = join(dir, 'medchain-plain.json');
  await writeFile(plainPath, JSON.stringify(spec, null, 2));

  // 3. The raw spec every node starts from.
  const { stdout: raw } = await medchainNode(['build-spec', '--chain', plainPath, '--raw']);
  const rawPath = join(dir, 'medchain-raw.json');
  await writeFile(rawPath, raw);
  assert.ok(JSON.parse(raw).genesis.raw.top, 'the raw spec holds storage, not a preset');

  // 4. The network key and the sealer key, then start as a validator.
  const basePath = join(dir, 'node');
  await medchainNode(['key', 'generate-node-key', '--chain', rawPath, '--base-path', basePath]);
  await medchainNode([
    'key', 'insert', '--chain', rawPath, '--base-path', basePath,
    '--key-type', 'seal', '--scheme', 'sr25519', '--suri', sealerPhrase,
  ]);
  node = await startNode({
    chainArgs: ['--chain', rawPath, '--base-path', basePath],
    extraArgs: ['--validator', '--name', 'launch-test', '--mining-threads', '1'],
  });
  api = await connect(node.url);

  // 5. The chain is the one configured: its name, founders, and blocks sealed by the new key.
  assert.equal((await api.rpc.system.chain()).toString(), 'Launch Test Consortium');
  const hospital = (await api.query.consortium.organisations(0)).unwrap();
  assert.equal(hospital.kind.toString(), 'Hospital');
  assert.equal(Buffer.from(hospital.gln).toString(), '4000000000013');
  assert.equal(hospital.admin.toString(), sealer);
  assert.equal(hospital.members.toNumber(), 1);
  const membership = (await api.query.consortium.members(clinician)).unwrap();
  assert.equal(membership.org.toNumber(), 0);
  assert.deepEqual(membership.roles.map((role) => role.toString()), ['Clinician', 'Emergency']);
  assert.equal((await api.query.consortium.members(pharmacist)).unwrap().org.toNumber(), 1);
  assert.equal((await api.query.consortium.organisationByGln('4000000000020')).unwrap().toNumber(), 1);

  const sealed = await new Promise((resolve) => {
    const unsubscribe = api.derive.chain.subscribeNewHeads((header) => {
      if (header.number.toNumber() >= 2) {
        unsubscribe.then((stop) => stop());
        resolve(header);
      }
    });
  });
  assert.equal(sealed.author?.toString(), sealer, 'blocks carry the new sealer as author');
  assert.deepEqual(
    (await api.query.consortium.sealers()).map((account) => account.toString()),
    [sealer],
  );
});
