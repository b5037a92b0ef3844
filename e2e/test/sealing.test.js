// A validator rotates its sealer key while it runs: the operator puts the new key in the
// node's keystore, governance adds it to the sealer set and removes the old one, and the node
// goes on sealing with the new key, with no restart.
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
    assert.match(node.log(), /restarting the mining worker/);
  } finally {
    await api.disconnect();
    await node.stop();
  }
});
