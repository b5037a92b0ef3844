// Pinning throughput: the off-chain worker's uploads against direct uploads of the same blobs
// to the same SeaweedFS server, in the same run. Also how many blocks pinning takes.
//
//   node bench/pinning-throughput.js [blobs=16] [MiB per blob=2]
//
// The worker's figure is the sum of bytes over the sum of the times it logs per upload (hash
// check, SigV4 signing and the PUT, inside the Wasm runtime through the node's HTTP client).
// The direct figure is the same blobs PUT one after another from this process with SigV4
// (aws4). Both go to the same bucket on the same loopback server.
import { randomBytes } from 'node:crypto';
import aws4 from 'aws4';
import { u8aToHex } from '@polkadot/util';
import { connect, keyFromUri, rawRpc, submit } from '../lib/chain.js';
import { ready, sha256Hex } from '../lib/crypto.js';
import { startDevNode } from '../lib/node.js';
import { waitForPin } from '../lib/pinning.js';
import { startSeaweedfs } from '../lib/seaweedfs.js';

const count = Number(process.argv[2] ?? 16);
const mib = Number(process.argv[3] ?? 2);
const ACCESS_KEY = 'medchainbench';
const SECRET_KEY = 'bench-secret-123';
const BUCKET = 'medchain-bench';

const blobs = Array.from({ length: count }, () => new Uint8Array(randomBytes(mib * 1024 * 1024)));
const totalMiB = count * mib;

await ready();
const store = await startSeaweedfs({ accessKey: ACCESS_KEY, secretKey: SECRET_KEY, bucket: BUCKET });
let node;
let api;
try {
  // Direct: the baseline, same blobs, keys prefixed so they do not collide with the worker's.
  const { hostname, port } = new URL(store.endpoint);
  // The server's first write allocates its volumes: warm it up before measuring either side.
  const directPut = async (key, blob) => {
    const request = aws4.sign({
      host: `${hostname}:${port}`, path: `/${BUCKET}/${key}`, method: 'PUT', service: 's3',
      region: 'us-east-1', body: Buffer.from(blob),
      headers: { 'x-amz-content-sha256': sha256Hex(blob).slice(2), 'content-length': blob.length },
    }, { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY });
    const response = await fetch(`${store.endpoint}${request.path}`, {
      method: 'PUT', headers: request.headers, body: blob,
    });
    if (!response.ok) throw new Error(`direct upload answered ${response.status}`);
  };
  await directPut('warm-up', blobs[0]);
  const directStart = process.hrtime.bigint();
  for (const [index, blob] of blobs.entries()) {
    await directPut(`direct-${index}`, blob);
  }
  const directSeconds = Number(process.hrtime.bigint() - directStart) / 1e9;

  node = await startDevNode({
    extraArgs: [
      '--pinning-endpoint', store.endpoint, '--pinning-bucket', BUCKET, '-lruntime::pinning=debug',
      '--blob-max-bytes', String(mib * 1024 * 1024), '--rpc-max-request-size', String(4 * mib + 1),
      // Measures pinning, not puts: a node only this script reaches.
      '--blob-put-unsigned',
    ],
    env: { MEDCHAIN_PINNING_ACCESS_KEY_ID: ACCESS_KEY, MEDCHAIN_PINNING_SECRET_ACCESS_KEY: SECRET_KEY },
  });
  api = await connect(node.url);
  const patient = keyFromUri('//Ferdie');
  const records = [];
  for (const blob of blobs) {
    const hash = await rawRpc(api, 'blobs_put', [u8aToHex(blob)]);
    if (hash !== sha256Hex(blob)) throw new Error('blobs_put returned a different hash');
  }
  const calls = blobs.map((blob) => api.tx.records.register(
    patient.address, '11488-4', sha256Hex(blob), blob.length, 'application/octet-stream', 'Treatment', [],
  ));
  const { events, blockHash } = await submit(api, patient, api.tx.utility.batchAll(calls));
  for (const event of events.filter((e) => e.section === 'records' && e.method === 'RecordRegistered')) {
    records.push(event.data[0].toNumber());
  }
  const included = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
  let lastPinnedAt = included;
  for (const record of records) {
    const pinned = await waitForPin(api, record, (pin) => pin.status === 'Pinned', 120);
    lastPinnedAt = Math.max(lastPinnedAt, pinned.at);
  }

  const uploads = [...node.log().matchAll(/uploaded (\d+) bytes in (\d+) ms/g)];
  if (uploads.length < count) throw new Error(`only ${uploads.length} uploads logged`);
  const workerBytes = uploads.reduce((sum, [, bytes]) => sum + Number(bytes), 0);
  const workerSeconds = uploads.reduce((sum, [, , ms]) => sum + Number(ms), 0) / 1000;
  const direct = totalMiB / directSeconds;
  const worker = workerBytes / 1024 / 1024 / workerSeconds;
  console.log(`blobs: ${count} x ${mib} MiB`);
  console.log(`direct upload:  ${direct.toFixed(1)} MiB/s (${directSeconds.toFixed(2)} s)`);
  console.log(`worker uploads: ${worker.toFixed(1)} MiB/s (${workerSeconds.toFixed(2)} s in ${uploads.length} uploads)`);
  console.log(`ratio worker/direct: ${(100 * worker / direct).toFixed(1)} %`);
  console.log(`blocks from inclusion (#${included}) to the last pinned: ${lastPinnedAt - included}`);
} finally {
  await api?.disconnect();
  await node?.stop();
  await store.remove();
}
