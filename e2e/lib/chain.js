// Talking to a MedChain node with plain @polkadot/api: no custom type definitions, everything
// comes from the runtime's metadata.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

const providers = new WeakMap();

/** Connects to `url` and waits until the metadata is loaded. */
export async function connect(url) {
  await cryptoWaitReady();
  const provider = new WsProvider(url);
  const api = await ApiPromise.create({ provider, noInitWarn: true });
  await api.isReady;
  providers.set(api, provider);
  return api;
}

/**
 * Calls a node RPC method @polkadot/api has no definition for (e.g. `blobs_put`) with raw
 * JSON-RPC params; rejects with the server's error, whose message starts with its code.
 */
export function rawRpc(api, method, params) {
  return providers.get(api).send(method, params);
}

/**
 * A key pair from a secret URI such as `//Alice` or a mnemonic: sr25519 unless `type` says
 * `ed25519` or `ecdsa`.
 */
export function keyFromUri(uri, type = 'sr25519') {
  return new Keyring({ type, ss58Format: 42 }).addFromUri(uri);
}

/** A failed extrinsic: `error` is `pallet.Error` as named in the runtime, e.g. `consent.NoConsent`. */
export class DispatchFailed extends Error {
  constructor(error, docs) {
    super(`${error}: ${docs}`);
    this.error = error;
  }
}

/**
 * Signs and submits `tx` with `signer`, resolves with the block's events of this extrinsic once
 * it is in a block, and rejects with `DispatchFailed` naming the pallet error if it failed.
 */
export function submit(api, signer, tx) {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    tx.signAndSend(signer, { nonce: -1 }, (result) => {
      if (result.isError) {
        unsubscribe();
        reject(new Error(`transaction ${result.status.type}`));
        return;
      }
      if (!result.status.isInBlock) return;
      unsubscribe();
      if (result.dispatchError) {
        reject(dispatchFailure(api, result.dispatchError));
        return;
      }
      resolve({ events: result.events.map(({ event }) => event), blockHash: result.status.asInBlock });
    })
      .then((unsub) => {
        unsubscribe = unsub;
      })
      .catch(reject);
  });
}

/** Submits as Root through `sudo` (the development chain's governance). */
export async function sudo(api, sudoKey, call) {
  const { events, blockHash } = await submit(api, sudoKey, api.tx.sudo.sudo(call));
  const sudid = events.find((event) => api.events.sudo.Sudid.is(event));
  const outcome = sudid?.data[0];
  if (outcome?.isErr) throw dispatchFailure(api, outcome.asErr);
  return { events, blockHash };
}

function dispatchFailure(api, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name, docs } = api.registry.findMetaError(dispatchError.asModule);
    return new DispatchFailed(`${section}.${name}`, docs.join(' '));
  }
  return new DispatchFailed(dispatchError.type, dispatchError.toString());
}

/**
 * The event `pallet.Name` among `events`, as a plain object of its named fields in camelCase
 * (as @polkadot/api names them everywhere else).
 */
export function findEvent(events, section, method) {
  const event = events.find((e) => e.section === section && e.method === method);
  return event ? eventFields(event) : undefined;
}

/** `event`'s named fields as a plain object, in camelCase. */
export function eventFields(event) {
  const fields = {};
  event.meta.fields.forEach((field, index) => {
    const name = field.name.unwrap().toString().replace(/_([a-z])/g, (_, c) => c.toUpperCase());
    fields[name] = event.data[index];
  });
  return fields;
}

/** Resolves once the best block is higher than `after`. */
export function nextBlock(api, after) {
  return new Promise((resolve, reject) => {
    let unsubscribe = null;
    api.rpc.chain
      .subscribeNewHeads((header) => {
        if (header.number.toNumber() > after) {
          unsubscribe?.();
          unsubscribe = () => {};
          resolve(header.number.toNumber());
        }
      })
      .then((unsub) => {
        if (unsubscribe) unsub();
        else unsubscribe = unsub;
      })
      .catch(reject);
  });
}
