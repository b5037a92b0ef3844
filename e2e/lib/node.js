// Starts a real `medchain-node --dev --tmp` for the end-to-end flows and stops it afterwards.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The node binary: $MEDCHAIN_NODE, else the release build in $CARGO_TARGET_DIR. */
export function nodeBinary() {
  if (process.env.MEDCHAIN_NODE) return process.env.MEDCHAIN_NODE;
  const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'medchain-target');
  const binary = join(target, 'release', 'medchain-node');
  if (!existsSync(binary)) {
    throw new Error(`${binary} not found: build it with \`cargo build --release -p medchain-node\``);
  }
  return binary;
}

/**
 * Child processes (nodes, services) this process started that are still running. A test
 * runner that is interrupted would otherwise leave a node mining on a core, slowing everything
 * after it; they are killed when this process exits or is told to stop.
 */
const running = new Set();

/** Kills `child` when this process exits or is told to stop, if it is still running then. */
export function killOnExit(child) {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    running.forEach((child) => child.kill('SIGKILL'));
    process.kill(process.pid, signal);
  });
}

/** A TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a development node (Alice seals) with its own ports and a throw-away database.
 * Resolves once its RPC server answers; `stop()` kills it and waits for the exit. With
 * MEDCHAIN_WS set, the flows run against that node instead.
 */
export async function startDevNode({ extraArgs = [], env = {} } = {}) {
  // Against a network someone else runs (zombienet's flows): use it, start nothing.
  if (process.env.MEDCHAIN_WS) {
    return { url: process.env.MEDCHAIN_WS, log: () => '', async stop() {} };
  }
  return startNode({ chainArgs: ['--dev', '--tmp'], extraArgs, env });
}

/**
 * Starts `medchain-node` on `chainArgs` (the chain and where its database lives) with its own
 * ports; resolves once its RPC server answers.
 */
export async function startNode({ chainArgs, extraArgs = [], env = {} }) {
  const rpcPort = await freePort();
  const p2pPort = await freePort();
  const args = [
    ...chainArgs, '--no-prometheus', '--no-telemetry', '--no-mdns',
    '--rpc-port', String(rpcPort), '--port', String(p2pPort),
    '--finality-depth', '2', ...extraArgs,
  ];
  const child = spawn(nodeBinary(), args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  let log = '';
  child.stderr.on('data', (chunk) => {
    // Enough for the tests that search the node's log; the oldest lines go first.
    log = (log + chunk.toString()).slice(-4_000_000);
  });
  killOnExit(child);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `ws://127.0.0.1:${rpcPort}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`node exited early:\n${log}`);
    if (await rpcAnswers(rpcPort)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`node RPC did not come up in 60 s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    rpcPort,
    log: () => log,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function rpcAnswers(port) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system_health', params: [] }),
    });
    return response.ok;
  } catch {
    return false;
  }
}
