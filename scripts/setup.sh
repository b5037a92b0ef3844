#!/usr/bin/env bash
# Installs what building and testing MedChain needs on Debian 12 with rustup: protoc (libp2p's
# build scripts), the Rust target and components from rust-toolchain.toml, and the pinned npm
# packages of the end-to-end flows (e2e/package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v protoc >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "setup: installing protobuf-compiler" >&2
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler >/dev/null
	else
		echo "setup: protoc is missing. Run: sudo apt-get install -y protobuf-compiler" >&2
		exit 1
	fi
fi

# The toolchain named in rust-toolchain.toml, with the Wasm targets the runtime builder uses
# and the components the scripts need (no-ops when already there).
rustup target add wasm32v1-none wasm32-unknown-unknown >/dev/null
rustup component add rust-src rustfmt clippy >/dev/null

# The end-to-end flows' JavaScript packages, exactly as locked.
if ! command -v npm >/dev/null 2>&1; then
	echo "setup: npm is missing. Run: sudo apt-get install -y nodejs npm" >&2
	exit 1
fi
if [ ! -d e2e/node_modules ] || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
	(cd e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
# zombienet's CLI, exactly as locked (see zombienet/README.md).
if [ ! -d zombienet/node_modules ] || [ zombienet/package-lock.json -nt zombienet/node_modules/.package-lock.json ]; then
	(cd zombienet && npm ci --no-audit --no-fund --loglevel=error)
fi
