// Starts a real `medchain-node --dev --tmp` for the end-to-end flows and stops it afterwards.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
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

/**
 * Starts a development node (Alice seals) with its own ports and a throw-away database.
 * Resolves once its RPC server answers; `stop()` kills it and waits for the exit. With
 * MEDCHAIN_WS set, the flows run against that node instead.
 */
export async function startDevNode({ extraArgs = [], env = {}, prometheus = false } = {}) {
  // Against a network someone else runs (zombienet's flows): use it, start nothing.
  if (process.env.MEDCHAIN_WS) {
    return { url: process.env.MEDCHAIN_WS, log: () => '', async stop() {} };
  }
  return startNode({ chainArgs: ['--dev', '--tmp'], extraArgs, env, prometheus });
}

/** What the node logs when its Prometheus exporter listens, followed by the address. */
const PROMETHEUS_LISTENING = 'Prometheus exporter started at ';

/** What the node logs when its RPC server listens, followed by the address. */
const RPC_LISTENING = 'Running JSON-RPC server: addr=';

/** The port of the address the node's log gives after `announcement`, once it does. */
function loggedPort(log, announcement) {
  const at = log.indexOf(announcement);
  if (at < 0) return undefined;
  const address = log.slice(at + announcement.length).split(/[,\s]/)[0];
  const port = Number(address.slice(address.lastIndexOf(':') + 1));
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/**
 * Starts `medchain-node` on `chainArgs` (the chain and where its database lives) on ports of
 * its own choosing; resolves once its RPC server answers. A port picked here and released
 * could be taken by any connection the machine opens before the node binds it, and the node
 * would then quietly serve RPC on another one: so the node picks, and its log says which.
 * With `prometheus`, its Prometheus exporter listens too (on a port it picks, likewise).
 */
export async function startNode({ chainArgs, extraArgs = [], env = {}, prometheus = false }) {
  const args = [
    ...chainArgs, ...(prometheus ? ['--prometheus-port', '0'] : ['--no-prometheus']),
    '--no-telemetry', '--no-mdns', '--disable-log-color',
    '--rpc-port', '0', '--port', '0',
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
  const deadline = Date.now() + 60_000;
  let rpcPort;
  let prometheusPort;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`node exited early:\n${log}`);
    rpcPort ??= loggedPort(log, RPC_LISTENING);
    prometheusPort ??= prometheus ? loggedPort(log, PROMETHEUS_LISTENING) : undefined;
    const listening = rpcPort !== undefined && (!prometheus || prometheusPort !== undefined);
    if (listening && (await rpcAnswers(rpcPort))) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`node RPC${prometheus ? ' or Prometheus' : ''} did not come up in 60 s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url: `ws://127.0.0.1:${rpcPort}`,
    rpcPort,
    prometheusPort,
    log: () => log,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * The samples the node's Prometheus exporter at `port` serves, by metric name without labels
 * (the node labels each with its chain; of a metric with several label sets, the last).
 */
export async function prometheusMetrics(port) {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  if (!response.ok) throw new Error(`/metrics: HTTP ${response.status}`);
  const samples = new Map();
  for (const line of (await response.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const split = line.lastIndexOf(' ');
    const name = line.slice(0, split).replace(/\{.*\}$/, '');
    samples.set(name, Number(line.slice(split + 1)));
  }
  return samples;
}

/** The JSON-RPC response of the node at `port` to `method`, over HTTP. */
export async function rpcOverHttp(port, method, params = []) {
  const response = await fetch(`http://127.0.0.1:${port}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  if (!response.ok) throw new Error(`${method}: HTTP ${response.status}`);
  return response.json();
}

async function rpcAnswers(port) {
  try {
    await rpcOverHttp(port, 'system_health');
    return true;
  } catch {
    return false;
  }
}
