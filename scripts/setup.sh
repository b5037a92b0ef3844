#!/usr/bin/env bash
# Installs what building MedChain needs on Debian 12 with rustup: protoc (libp2p's build
# scripts), and the Rust target and components from rust-toolchain.toml.
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
