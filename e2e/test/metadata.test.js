// polkadot.js apps shows the runtime's docs to patients and providers: every call, event,
// error and storage item of MedChain's pallets has them, and everything decodes in
// @polkadot/api from the metadata alone (no custom type definitions).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connect, nextBlock } from '../lib/chain.js';
import { startDevNode } from '../lib/node.js';

const OUR_PALLETS = ['Consortium', 'Difficulty', 'Records', 'Consent', 'SupplyChain', 'Pinning'];

let node;
let api;

before(async () => {
  node = await startDevNode();
  api = await connect(node.url);
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

test('every call, event, error and storage item of our pallets is documented', async () => {
  const { lookup, pallets } = api.runtimeMetadata.asLatest;
  const undocumented = [];
  let checked = 0;
  const variantsOf = (typeId) => lookup.getSiType(typeId).def.asVariant.variants;
  for (const name of OUR_PALLETS) {
    const pallet = pallets.find((p) => p.name.toString() === name);
    assert.ok(pallet, `pallet ${name} is in the runtime`);
    for (const [kind, entry] of [['call', pallet.calls], ['event', pallet.events], ['error', pallet.errors]]) {
      if (entry.isNone) continue;
      for (const variant of variantsOf(entry.unwrap().type)) {
        checked += 1;
        if (variant.docs.length === 0) undocumented.push(`${name} ${kind} ${variant.name}`);
      }
    }
    if (pallet.storage.isSome) {
      for (const item of pallet.storage.unwrap().items) {
        checked += 1;
        if (item.docs.length === 0) undocumented.push(`${name} storage ${item.name}`);
      }
    }
  }
  assert.deepEqual(undocumented, []);
  // Six pallets' calls, events, errors and storage: hundreds of items, not a vacuous pass.
  assert.ok(checked > 200, `only ${checked} items checked`);
});

test('every storage item of our pallets decodes without custom types', async () => {
  for (const name of OUR_PALLETS) {
    const section = name[0].toLowerCase() + name.slice(1);
    for (const [item, query] of Object.entries(api.query[section])) {
      // Building the key type and the default value exercises the metadata's type for it.
      const meta = query.creator.meta;
      const value = api.registry.createType(api.registry.createLookupType(meta.type.isMap ? meta.type.asMap.value : meta.type.asPlain));
      assert.ok(value, `${section}.${item}`);
    }
  }
});

test('block authors come from the PoW digest through the api\'s author derivation', async () => {
  await nextBlock(api, 0);
  const header = await api.derive.chain.getHeader(await api.rpc.chain.getBlockHash(1));
  const alice = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
  assert.equal(header.author?.toString(), alice);
});

test('the README\'s guide to polkadot.js apps names only calls and runtime APIs the chain has', async () => {
  const { readFile } = await import('node:fs/promises');
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('## Doing your job in polkadot.js apps');
  const guide = readme.slice(start, readme.indexOf('\n## ', start + 1));
  assert.ok(start >= 0 && guide.length > 500, 'the guide is in the README');
  const lowerFirst = (name) => name[0].toLowerCase() + name.slice(1);
  const camel = (name) => name.replace(/_([a-z])/g, (_, letter) => letter.toUpperCase());
  const missing = [];
  let checked = 0;
  // Each bullet is one role; a bare `name` after `pallet.call` is another call of that pallet.
  for (const bullet of guide.split('\n- ')) {
    let pallet;
    for (const [, code] of bullet.matchAll(/`([^`]+)`/g)) {
      const qualified = code.match(/^([a-z][A-Za-z]*)\.([a-z][A-Za-z]*)$/);
      const runtimeApi = code.match(/^([A-Z][A-Za-z]*Api)\.([a-z_]+)(\(|$)/);
      const bare = code.match(/^[a-z][A-Za-z]*$/);
      if (qualified) {
        [, pallet] = qualified;
        checked += 1;
        if (!api.tx[pallet]?.[qualified[2]]) missing.push(code);
      } else if (runtimeApi) {
        checked += 1;
        if (!api.call[lowerFirst(runtimeApi[1])]?.[camel(runtimeApi[2])]) missing.push(code);
      } else if (bare && pallet && !['sudo'].includes(code)) {
        checked += 1;
        if (!api.tx[pallet]?.[code]) missing.push(`${pallet}.${code}`);
      }
    }
  }
  assert.ok(checked >= 40, `the guide names ${checked} calls and runtime APIs`);
  assert.deepEqual(missing, [], 'named in the README but not in the runtime');
});
