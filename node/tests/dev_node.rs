//! End to end: the built `medchain-node --dev --tmp` seals blocks by Proof of Work, each
//! header carries Alice as author and a seal that verifies against the on-chain difficulty,
//! and finality by depth advances. On a chain of several sealers, a sealer alone seals but
//! does not finalize, even with a peer that follows it, and finalizes again once in step with
//! another sealer.

use codec::{Decode, Encode};
use serde_json::{json, Value};
use sp_core::{bytes::from_hex, U256};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	generic::{Digest, DigestItem, Header},
	traits::{BlakeTwo256, Header as _},
};
use std::{
	io::{Read, Write},
	net::{SocketAddr, TcpStream},
	path::PathBuf,
	process::{Child, Command, Stdio},
	sync::atomic::{AtomicUsize, Ordering},
	time::{Duration, Instant},
};

const POW_ENGINE_ID: [u8; 4] = *b"pow_";
const FINALITY_DEPTH: u32 = 2;

/// Kills the node when the test ends, passing or not; if the test failed, prints the end of
/// what the node logged, so that a failure in CI says what the node was doing.
struct Node {
	child: Child,
	rpc_port: u16,
	prometheus_port: u16,
	log: PathBuf,
}

impl Drop for Node {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
		if std::thread::panicking() {
			let log = std::fs::read_to_string(&self.log).unwrap_or_default();
			let lines: Vec<&str> = log.lines().collect();
			let tail = &lines[lines.len().saturating_sub(LOG_LINES_ON_FAILURE)..];
			eprintln!("--- last lines of {} ---\n{}", self.log.display(), tail.join("\n"));
		}
		let _ = std::fs::remove_file(&self.log);
	}
}

/// How much of a node's log a failed test prints.
const LOG_LINES_ON_FAILURE: usize = 60;

/// Starts the node with `args` on ports of its own choosing, and waits until it says which.
/// A port the test picked and released could be taken again before the node binds it, by any
/// connection the machine opens meanwhile; the node would then quietly serve RPC on another
/// port (it retries on a random one) and the test would wait on the wrong one.
fn start_node(name: &str, args: &[&str]) -> Node {
	static STARTED: AtomicUsize = AtomicUsize::new(0);
	let log = std::env::temp_dir().join(format!(
		"medchain-dev-node-{}-{}-{name}.log",
		std::process::id(),
		STARTED.fetch_add(1, Ordering::Relaxed)
	));
	let stderr = std::fs::File::create(&log).expect("a log file");
	let child = Command::new(env!("CARGO_BIN_EXE_medchain-node"))
		.args(args)
		.args(["--tmp", "--no-telemetry", "--no-mdns", "--disable-log-color"])
		.args(["--finality-depth", &FINALITY_DEPTH.to_string()])
		.args(["--rpc-port", "0", "--port", "0", "--prometheus-port", "0"])
		.stdout(Stdio::null())
		.stderr(stderr)
		.spawn()
		.expect("medchain-node starts");
	let mut node = Node { child, rpc_port: 0, prometheus_port: 0, log };
	node.rpc_port = logged_port(&node, "Running JSON-RPC server: addr=");
	node.prometheus_port = logged_port(&node, "Prometheus exporter started at ");
	node
}

/// The port of the address the node logged right after `marker`.
fn logged_port(node: &Node, marker: &str) -> u16 {
	wait_for(marker, Duration::from_secs(120), || {
		let log = std::fs::read_to_string(&node.log).ok()?;
		let (_, after) = log.split_once(marker)?;
		let address = after.split([',', ' ', '\n']).next()?;
		address.parse::<SocketAddr>().ok().map(|address| address.port())
	})
}

fn start_dev_node() -> Node {
	start_node("dev", &["--dev"])
}

/// A node of the `local` chain (three sealers): a sealer with `who` = `--alice`, `--bob`…, or
/// a node that only follows with any other flag (`--name=…`); with no peers unless
/// `bootnode` names one.
fn start_local_node(who: &str, bootnode: Option<&str>) -> Node {
	let mut args = vec![
		"--chain",
		"local",
		who,
		// A throwaway network key: a non-development chain does not make one by itself.
		"--unsafe-force-node-key-generation",
		// Why a sealer finalized or not, in the log printed if the test fails.
		"--log",
		"finality=debug",
	];
	if let Some(bootnode) = bootnode {
		args.extend(["--bootnodes", bootnode]);
	}
	start_node(who.trim_start_matches('-'), &args)
}

/// The address other nodes on this machine reach `node` at, peer id included.
fn p2p_address(node: &Node) -> String {
	wait_for("a p2p listen address", Duration::from_secs(60), || {
		let addresses = rpc(node, "system_localListenAddresses", json!([]))?;
		addresses
			.as_array()?
			.iter()
			.filter_map(Value::as_str)
			.find(|address| address.starts_with("/ip4/127.0.0.1/tcp/"))
			.map(str::to_string)
	})
}

fn best_number(node: &Node) -> Option<u32> {
	rpc(node, "chain_getHeader", json!([])).map(|h| block_number(&h))
}

fn finalized(node: &Node) -> Option<(u32, Value)> {
	let hash = rpc(node, "chain_getFinalizedHead", json!([]))?;
	rpc(node, "chain_getHeader", json!([hash.clone()])).map(|h| (block_number(&h), hash))
}

fn http(port: u16, method: &str, path: &str, body: &str) -> Option<String> {
	let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
	stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
	let request = format!(
		"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
		 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
		body.len()
	);
	stream.write_all(request.as_bytes()).ok()?;
	let mut response = String::new();
	stream.read_to_string(&mut response).ok()?;
	response.split_once("\r\n\r\n").map(|(_, body)| body.to_string())
}

fn rpc(node: &Node, method: &str, params: Value) -> Option<Value> {
	let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
	let response: Value = serde_json::from_str(&http(node.rpc_port, "POST", "/", &body)?).ok()?;
	response.get("result").cloned()
}

fn hex(value: &Value) -> Vec<u8> {
	from_hex(value.as_str().expect("a hex string")).expect("valid hex")
}

fn block_number(header: &Value) -> u32 {
	u32::from_str_radix(header["number"].as_str().expect("a number").trim_start_matches("0x"), 16)
		.expect("a hex number")
}

fn wait_for<T>(what: &str, timeout: Duration, mut probe: impl FnMut() -> Option<T>) -> T {
	let deadline = Instant::now() + timeout;
	loop {
		if let Some(found) = probe() {
			return found;
		}
		assert!(Instant::now() < deadline, "timed out waiting for {what}");
		std::thread::sleep(Duration::from_millis(250));
	}
}

#[test]
fn dev_node_seals_blocks_by_proof_of_work_and_finalizes_by_depth() {
	let node = start_dev_node();
	let best = wait_for("3 imported blocks", Duration::from_secs(240), || {
		rpc(&node, "chain_getHeader", json!([])).filter(|h| block_number(h) >= 3)
	});

	// Every block up to the best one: Alice's account as author, a seal that verifies.
	let alice = Sr25519Keyring::Alice.to_account_id();
	for number in 1..=block_number(&best) {
		let hash = rpc(&node, "chain_getBlockHash", json!([number])).expect("block hash");
		let json = rpc(&node, "chain_getHeader", json!([hash])).expect("header");
		let logs: Vec<DigestItem> = json["digest"]["logs"]
			.as_array()
			.expect("digest logs")
			.iter()
			.map(|log| DigestItem::decode(&mut &hex(log)[..]).expect("a digest item"))
			.collect();
		let (last, rest) = logs.split_last().expect("a sealed header has logs");
		let DigestItem::Seal(POW_ENGINE_ID, seal) = last else {
			panic!("block #{number} is not PoW-sealed: {last:?}")
		};
		let authors: Vec<Vec<u8>> = rest
			.iter()
			.filter_map(|log| match log {
				DigestItem::PreRuntime(POW_ENGINE_ID, bytes) => Some(bytes.clone()),
				_ => None,
			})
			.collect();
		assert_eq!(
			authors,
			vec![alice.encode()],
			"block #{number} must name Alice as its only author"
		);

		// Recompute the pre-seal hash and check the seal against the parent's difficulty.
		let header = Header::<u32, BlakeTwo256>::new(
			number,
			Decode::decode(&mut &hex(&json["extrinsicsRoot"])[..]).expect("root"),
			Decode::decode(&mut &hex(&json["stateRoot"])[..]).expect("root"),
			Decode::decode(&mut &hex(&json["parentHash"])[..]).expect("hash"),
			Digest { logs: rest.to_vec() },
		);
		let difficulty =
			rpc(&node, "state_call", json!(["DifficultyApi_difficulty", "0x", json["parentHash"]]))
				.map(|v| U256::decode(&mut &hex(&v)[..]).expect("a U256"))
				.expect("the runtime answers DifficultyApi");
		let author =
			medchain_pow::check_seal(&header.hash().0, Some(&alice.encode()), seal, difficulty)
				.unwrap_or_else(|e| panic!("block #{number} has a bad seal: {e}"));
		assert_eq!(author, alice);
	}

	// Finality by depth: the finalized head trails the best block and keeps moving.
	let finalized_number = |node: &Node| {
		let hash = rpc(node, "chain_getFinalizedHead", json!([]))?;
		rpc(node, "chain_getHeader", json!([hash])).map(|h| block_number(&h))
	};
	let first = wait_for("a finalized block", Duration::from_secs(120), || {
		finalized_number(&node).filter(|n| *n >= 1)
	});
	let later = wait_for("finality to advance", Duration::from_secs(240), || {
		finalized_number(&node).filter(|n| *n > first)
	});
	let best_now =
		rpc(&node, "chain_getHeader", json!([])).map(|h| block_number(&h)).expect("best");
	assert!(
		later + FINALITY_DEPTH <= best_now,
		"finalized #{later} is not {FINALITY_DEPTH} below best #{best_now}"
	);

	// The miner publishes its hash rate to Prometheus.
	let metrics = http(node.prometheus_port, "GET", "/metrics", "").expect("metrics");
	assert!(
		metrics.contains("medchain_mining_hashes_per_second"),
		"no hash-rate gauge in /metrics"
	);
}

#[test]
fn a_sealer_alone_seals_but_finalizes_only_in_step_with_the_others() {
	// Alice, one of the local chain's three sealers, cut off from the others.
	let alice = start_local_node("--alice", None);
	wait_for("Alice to seal 4 blocks alone", Duration::from_secs(240), || {
		best_number(&alice).filter(|n| *n >= FINALITY_DEPTH + 2)
	});
	assert_eq!(
		finalized(&alice).map(|(number, _)| number),
		Some(0),
		"a sealer with no peers finalized blocks it sealed alone"
	);

	// A node that only follows her (her organisation's own full node, say) is a peer in
	// step with her, but seals nothing: she still finalizes nothing she sealed alone.
	let bootnode = p2p_address(&alice);
	let follower = start_local_node("--name=follower", Some(&bootnode));
	let followed =
		wait_for("the follower to import Alice's chain", Duration::from_secs(120), || {
			let alices = best_number(&alice)?;
			best_number(&follower).filter(|n| *n >= alices && *n >= FINALITY_DEPTH + 2)
		});
	wait_for("Alice to seal 3 more blocks with a follower", Duration::from_secs(240), || {
		best_number(&alice).filter(|n| *n >= followed + 3)
	});
	assert_eq!(
		finalized(&alice).map(|(number, _)| number),
		Some(0),
		"a sealer whose only peer follows her finalized blocks she sealed alone"
	);

	// Bob joins: the two settle on one chain and finalize it, the same blocks on both.
	let bob = start_local_node("--bob", Some(&bootnode));
	let (number, hash) = wait_for("Alice to finalize with Bob", Duration::from_secs(240), || {
		finalized(&alice).filter(|(number, _)| *number >= 1)
	});
	let on_bob = wait_for("Bob to know Alice's finalized block", Duration::from_secs(120), || {
		rpc(&bob, "chain_getBlockHash", json!([number])).filter(|h| !h.is_null())
	});
	assert_eq!(on_bob, hash, "Alice finalized a block that is not on Bob's chain");
}

/// Runs the node with `args` until it exits (it must, within a minute); returns whether it
/// succeeded and what it wrote to stderr.
fn run_to_exit(args: &[&str]) -> (bool, String) {
	let mut child = Command::new(env!("CARGO_BIN_EXE_medchain-node"))
		.args(args)
		.stdout(Stdio::null())
		.stderr(Stdio::piped())
		.spawn()
		.expect("medchain-node starts");
	let deadline = Instant::now() + Duration::from_secs(60);
	let status = loop {
		if let Some(status) = child.try_wait().expect("the node's status") {
			break status;
		}
		if Instant::now() > deadline {
			let _ = child.kill();
			panic!("medchain-node {args:?} did not exit");
		}
		std::thread::sleep(Duration::from_millis(100));
	};
	let mut stderr = String::new();
	child.stderr.take().expect("piped").read_to_string(&mut stderr).expect("stderr");
	(status.success(), stderr)
}

#[test]
fn the_node_refuses_options_it_cannot_honour() {
	// Fast sync imports blocks without their parents' state, which a seal is checked against.
	for mode in ["fast", "fast-unsafe"] {
		let (ok, stderr) = run_to_exit(&["--dev", "--tmp", "--no-telemetry", "--sync", mode]);
		assert!(!ok, "--sync {mode} started");
		assert!(stderr.contains("--sync fast, fast-unsafe and warp are not supported"), "{stderr}");
	}
	// Beyond 256 miner threads the nonce shares would overlap.
	let (ok, stderr) = run_to_exit(&["--dev", "--tmp", "--mining-threads", "257"]);
	assert!(!ok, "257 miner threads accepted");
	assert!(stderr.contains("--mining-threads"), "{stderr}");
}
