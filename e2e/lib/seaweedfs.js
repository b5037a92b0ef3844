// A real S3-compatible server for the pinning flows: SeaweedFS started through
// scripts/seaweedfs.sh on a block of eight free ports, stopped by PID afterwards.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import aws4 from 'aws4';

const run = promisify(execFile);
const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'seaweedfs.sh');

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// The kernel hands out ports of its ephemeral range to every outgoing connection and to every
// bind of port 0 (the test nodes' ports): a block chosen there can be taken between the check
// and SeaweedFS's bind. Below that range only an explicit bind takes a port.
const EPHEMERAL_RANGE = '/proc/sys/net/ipv4/ip_local_port_range';
const LOWEST_BLOCK = 20000;

async function firstEphemeralPort() {
  const range = await readFile(EPHEMERAL_RANGE, 'utf8').catch(() => '');
  const low = Number.parseInt(range.trim().split(/\s+/)[0], 10);
  return Number.isInteger(low) && low > LOWEST_BLOCK + 1000 ? low : 32768;
}

/** A port P such that P..P+7 are all free and below the kernel's ephemeral range. */
async function freePortBlock() {
  const end = (await firstEphemeralPort()) - 8;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = LOWEST_BLOCK + Math.floor(Math.random() * (end - LOWEST_BLOCK));
    let free = true;
    for (let port = base; port < base + 8 && free; port += 1) free = await portIsFree(port);
    if (free) return base;
  }
  throw new Error('no block of 8 free ports');
}

/**
 * Starts SeaweedFS with one identity (`accessKey`/`secretKey`) and a bucket. `stop()` and
 * `start()` take the server down and up again on the same ports (its data is thrown away on
 * stop); `object(key)` reads an object straight from the server's filer, not through S3.
 */
export async function startSeaweedfs({ accessKey, secretKey, bucket }) {
  const dir = await mkdtemp(join(tmpdir(), 'medchain-seaweedfs-'));
  // Another explicit bind (a server outside the tests) can still take a port of the block
  // first: weed then exits saying so, and a new block is tried.
  for (let attempt = 1; ; attempt += 1) {
    const store = serverOn(await freePortBlock(), dir, { accessKey, secretKey, bucket });
    try {
      await store.start();
      return store;
    } catch (error) {
      await store.stop().catch(() => {});
      if (attempt >= 3 || !/address already in use/i.test(String(error.stderr ?? error))) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

function serverOn(port, dir, { accessKey, secretKey, bucket }) {
  const filer = `http://127.0.0.1:${port + 3}`;
  const store = {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    async start() {
      await run('bash', [script, 'start', dir, String(port), accessKey, secretKey]);
      await run('bash', [script, 'bucket', dir, bucket]);
    },
    async stop() {
      await run('bash', [script, 'stop', dir]);
    },
    async object(key) {
      const response = await fetch(`${filer}/buckets/${bucket}/${key}`);
      if (response.status === 404) return null;
      if (!response.ok) throw new Error(`filer answered ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
    async keys() {
      const response = await fetch(`${filer}/buckets/${bucket}/?limit=1000`, {
        headers: { accept: 'application/json' },
      });
      if (!response.ok) throw new Error(`filer answered ${response.status}`);
      const listing = await response.json();
      return (listing.Entries ?? []).map((entry) => entry.FullPath.split('/').pop());
    },
    /**
     * Sets the bucket's S3 versioning to `status` ('Enabled' or 'Suspended'), through the S3
     * API as an operator would.
     */
    async setVersioning(status) {
      const body = '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
        + `<Status>${status}</Status></VersioningConfiguration>`;
      const request = aws4.sign({
        host: new URL(store.endpoint).host, path: `/${bucket}?versioning`, method: 'PUT',
        service: 's3', region: 'us-east-1', body, headers: { 'content-type': 'application/xml' },
      }, { accessKeyId: accessKey, secretAccessKey: secretKey });
      const response = await fetch(`${store.endpoint}${request.path}`, {
        method: 'PUT', headers: request.headers, body,
      });
      if (!response.ok) throw new Error(`PutBucketVersioning answered ${response.status}`);
    },
    async enableVersioning() {
      await store.setVersioning('Enabled');
    },
    async remove() {
      await store.stop().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
  return store;
}
