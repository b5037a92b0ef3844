// Sealer keys change while a validator runs. A rotation: the operator puts the new key in the
// node's keystore, governance adds it to the sealer set and removes the old one, and the node
// goes on sealing with the new key, with no restart. A removal: the node's only key leaves the
// set, and the node stops sealing but runs on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { u8aToHex } from '@polkadot/util';
import { connect, keyFromUri, nextBlock, sudo } from '../lib/chain.js';
import { startDevNode } from '../lib/node.js';

/** Rejects if `promise` has not settled within `ms`: a halted chain must fail, not hang. */
function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** How often the node restarted its mining worker. */
const restartsIn = (log) => (log.match(/restarting the mining worker/g) ?? []).length;

/** Resolves once `condition()` holds, polling; rejects after `ms`. */
async function eventually(ms, what, condition) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((resolve) => { setTimeout(resolve, 250); });
  }
}

test('a sealer rotates its key without a restart', async () => {
  const node = await startDevNode();
  const api = await connect(node.url);
  try {
    const alice = keyFromUri('//Alice');
    const rotated = keyFromUri('//AliceRotatedSealer');
    const authorOf = async (number) => {
      const header = await api.derive.chain.getHeader(await api.rpc.chain.getBlockHash(number));
      return header.author?.toString();
    };
    await within(120_000, 'a first block', nextBlock(api, 0));
    assert.equal(await authorOf(1), alice.address);

    // The new key goes into the running node's keystore (`author_insertKey`, which a node
    // allows on localhost; `medchain-node key insert` does the same on a stopped one).
    await api.rpc.author.insertKey('seal', '//AliceRotatedSealer', u8aToHex(rotated.publicKey));
    await within(120_000, 'adding the new key', sudo(api, alice, api.tx.consortium.addSealer(rotated.address)));
    const { blockHash } = await within(
      120_000,
      'removing the old key',
      sudo(api, alice, api.tx.consortium.removeSealer(alice.address)),
    );
    const removedIn = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
    assert.deepEqual((await api.query.consortium.sealers()).map(String), [rotated.address]);

    // The chain goes on, sealed with the new key only.
    const best = await within(120_000, 'blocks after the old key left', nextBlock(api, removedIn + 2));
    for (let number = removedIn + 1; number <= best; number += 1) {
      assert.equal(await authorOf(number), rotated.address, `block ${number}`);
    }
    // One restart: when the preferred key changed (on adding the new key, or on removing the
    // old one, depending on the keys' order).
    assert.equal(restartsIn(node.log()), 1, node.log());
  } finally {
    await api.disconnect();
    await node.stop();
  }
});

test('a node whose only key leaves the sealer set stops sealing and runs on', async () => {
  const node = await startDevNode();
  const api = await connect(node.url);
  try {
    const alice = keyFromUri('//Alice');
    const bob = keyFromUri('//Bob');
    await within(120_000, 'a first block', nextBlock(api, 0));
    // Bob's key is in no node's keystore: once Alice leaves, nobody seals.
    await within(120_000, 'adding Bob', sudo(api, alice, api.tx.consortium.addSealer(bob.address)));
    // Every block the node imports from here on, on any branch: a build kept from before the
    // removal would show as a sibling of the removal's block.
    const imported = [];
    const unsubscribe = await api.rpc.chain.subscribeAllHeads((header) => {
      imported.push({ number: header.number.toNumber(), hash: header.hash.toHex() });
    });
    const { blockHash } = await within(
      120_000,
      'removing Alice',
      sudo(api, alice, api.tx.consortium.removeSealer(alice.address)),
    );
    const removedIn = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();

    // The worker restarts once, for the key leaving the set; the new one then refuses to
    // build, as Alice may not seal on the best block.
    await eventually(60_000, 'the new worker refusing to build', () => (
      /left the sealer set: restarting the mining worker[\s\S]*not in the consortium sealer set/
    ).test(node.log()));
    assert.equal(restartsIn(node.log()), 1, node.log());
    assert.match(node.log(), /left the sealer set: restarting the mining worker/);
    // The node runs on (its mining task is essential: had it ended, the node would have
    // stopped), and nothing was sealed after Alice left.
    const best = await api.rpc.chain.getHeader();
    assert.equal(best.number.toNumber(), removedIn);
    unsubscribe();
    const after = imported.filter(({ number, hash }) => number >= removedIn && hash !== blockHash.toHex());
    assert.deepEqual(after, [], 'blocks sealed after Alice left');
  } finally {
    await api.disconnect();
    await node.stop();
  }
});
