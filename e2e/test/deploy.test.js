// The systemd unit operators install (deploy/medchain-node.service) against the real node: its
// ExecStart, with test paths, ports and endpoint in place of the production ones, starts a
// validator that takes its pinning credentials from the variables deploy/pinning.env.example
// names, and serves RPC with unsafe methods refused.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { nodeBinary, rpcOverHttp, startNode } from '../lib/node.js';

const run = promisify(execFile);
const medchainNode = (args) => run(nodeBinary(), args, { maxBuffer: 64 * 1024 * 1024 });
const deploy = new URL('../../deploy/', import.meta.url).pathname;

/** The words of the unit's ExecStart after the binary: continuation lines joined, quotes gone. */
function execStartArguments(unit) {
  const service = unit.split(/^\[/m).find((section) => section.startsWith('Service]'));
  const line = service.replace(/\\\n\s*/g, ' ').split('\n')
    .find((candidate) => candidate.startsWith('ExecStart='));
  const words = [...line.slice('ExecStart='.length).matchAll(/"([^"]*)"|(\S+)/g)]
    .map((match) => match[1] ?? match[2]);
  return words.slice(1);
}

/**
 * `args` with each `--flag value` of `replaced` given its new value, and each flag of `dropped`
 * gone (with its value if `dropped[flag]` is true).
 */
function adapted(args, replaced, dropped) {
  const out = [];
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i];
    if (flag in dropped) {
      if (dropped[flag]) i += 1;
    } else if (flag in replaced) {
      out.push(flag, replaced[flag]);
      i += 1;
    } else {
      out.push(flag);
    }
  }
  return out;
}

let dir;
let node;
let unitArgs;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'medchain-deploy-'));
  unitArgs = execStartArguments(await readFile(join(deploy, 'medchain-node.service'), 'utf8'));
  const spec = join(dir, 'medchain-raw.json');
  const { stdout } = await medchainNode(['build-spec', '--chain', 'local', '--raw']);
  await writeFile(spec, stdout);
  const basePath = join(dir, 'base');
  // A validator refuses to start without a network key of its own (chain-spec/README.md).
  await medchainNode(['key', 'generate-node-key', '--chain', spec, '--base-path', basePath]);

  // Test values for the variables the example environment file names.
  const example = await readFile(join(deploy, 'pinning.env.example'), 'utf8');
  const env = Object.fromEntries(example.split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), 'deploy-test-value']));
  assert.ok(Object.keys(env).length > 0, 'pinning.env.example names no variable');

  const args = adapted(
    unitArgs,
    // Nothing listens on port 9: the node warns that it cannot ask the bucket and starts.
    { '--chain': spec, '--base-path': basePath, '--pinning-endpoint': 'http://127.0.0.1:9' },
    // startNode picks the ports (0: the node chooses), turns Prometheus off and gives
    // --no-telemetry and --no-mdns itself (a flag given twice stops the node).
    {
      '--port': true, '--rpc-port': true, '--prometheus-port': true,
      '--no-telemetry': false, '--no-mdns': false,
    },
  );
  node = await startNode({ chainArgs: [], extraArgs: args, env });
});

after(async () => {
  await node?.stop();
  await rm(dir, { recursive: true, force: true });
});

const rpc = (method) => rpcOverHttp(node.rpcPort, method);

/** The value the unit's ExecStart gives `flag`. */
const unitValue = (flag) => unitArgs[unitArgs.indexOf(flag) + 1];

test("the unit keeps the node's RPC, metrics and announcements to this machine", () => {
  assert.equal(unitValue('--rpc-methods'), 'safe');
  for (const flag of ['--no-telemetry', '--no-mdns', '--validator']) {
    assert.ok(unitArgs.includes(flag), `the unit's ExecStart lacks ${flag}`);
  }
  for (const flag of ['--rpc-external', '--unsafe-rpc-external', '--prometheus-external']) {
    assert.ok(!unitArgs.includes(flag), `the unit's ExecStart has ${flag}`);
  }
  assert.notEqual(unitValue('--rpc-cors'), 'all');
});

test('the unit starts a validator that pins with the credentials of the environment file', async () => {
  assert.deepEqual((await rpc('system_nodeRoles')).result, ['Authority']);
  assert.match(node.log(), /pinning to bucket "medchain-hospital-example" at "http:\/\/127\.0\.0\.1:9"/);
  // The credentials are the environment's, and never logged.
  assert.doesNotMatch(node.log(), /deploy-test-value/);
});

test("the unit's RPC serves clients but refuses unsafe methods", async () => {
  const methods = (await rpc('rpc_methods')).result.methods;
  assert.ok(methods.includes('blobs_put') && methods.includes('blobs_get'));
  const rotate = await rpc('author_rotateKeys');
  assert.equal(rotate.result, undefined);
  assert.match(rotate.error.message, /unsafe/i);
});
