// Watching the pinning of records' ciphertext from a client.
import { nextBlock } from './chain.js';

/** The pin request of `record` as plain values, or null if it has none. */
export async function pinStatus(api, record) {
  const info = await api.call.pinningApi.pinStatus(record);
  if (info.isNone) return null;
  const pin = info.unwrap();
  return {
    status: pin.status.type,
    confirmations: pin.confirmations.map((who) => who.toString()),
    target: pin.target.toNumber(),
    failures: pin.failures.map(([who, reason]) => ({ who: who.toString(), reason: reason.toJSON() })),
    requestedAt: pin.requestedAt.toNumber(),
  };
}

/**
 * Waits, block by block, until `record`'s pin request satisfies `done` (e.g. is Pinned), for at
 * most `blocks` new blocks. Resolves with the status and the number of the block it was seen at.
 */
export async function waitForPin(api, record, done, blocks = 60) {
  let seen = 0;
  let last = null;
  for (;;) {
    const header = await api.rpc.chain.getHeader();
    last = await pinStatus(api, record);
    if (last && done(last)) return { ...last, at: header.number.toNumber() };
    if (seen >= blocks) {
      throw new Error(`record ${record}: still ${JSON.stringify(last)} after ${blocks} blocks`);
    }
    await nextBlock(api, header.number.toNumber());
    seen += 1;
  }
}
