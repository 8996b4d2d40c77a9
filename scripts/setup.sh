#!/usr/bin/env bash
# Installs what building and testing Tiếp dân needs, idempotently: each tool is
# checked first and installed only when missing or at the wrong version.
#   setup.sh        tools for `make run`
#   setup.sh test   also Chromium and the browser-test npm packages
# Versions are pinned here and in Cargo.lock; nothing downloads from outside
# crates.io, npm and Debian.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CARGO_LEPTOS_VERSION=0.3.10
WASM_OPT_VERSION=0.116.1
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' "$ROOT/Cargo.lock")
[ -n "$WASM_BINDGEN_VERSION" ] || die "wasm-bindgen not found in Cargo.lock"

export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo >/dev/null || die "Rust is required: https://rustup.rs"

# Debian packages: the PostgreSQL server (if absent), psql, curl, a C compiler.
missing=()
pg_bindir >/dev/null 2>&1 || missing+=(postgresql)
command -v psql >/dev/null || missing+=(postgresql-client)
command -v curl >/dev/null || missing+=(curl)
command -v cc >/dev/null || missing+=(build-essential)
if [ "${1:-}" = test ]; then
  command -v chromium >/dev/null || missing+=(chromium)
  command -v npm >/dev/null || missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing Debian packages: ${missing[*]}"
  apt_install "${missing[@]}"
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

installed_version() { "$@" 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n 1; }

# cargo-leptos: `no_downloads` makes a missing tool an error, never a download.
# (0.3.11 needs a newer rustc.) About 25 minutes the first time.
if [ "$(installed_version cargo leptos --version)" != "$CARGO_LEPTOS_VERSION" ]; then
  say "Installing cargo-leptos $CARGO_LEPTOS_VERSION (slow, once)"
  cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION" --features no_downloads
fi

# Not --locked: its lock file pins a yanked dependency.
if [ "$(installed_version wasm-bindgen --version)" != "$WASM_BINDGEN_VERSION" ]; then
  say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# binaryen 116 built from source; Debian's binaryen 108 breaks hydration.
if [ "$(installed_version wasm-opt --version)" != "116.0.0" ] \
   && ! wasm-opt --version 2>/dev/null | grep -q "version 116"; then
  say "Installing wasm-opt $WASM_OPT_VERSION (slow, once)"
  cargo install wasm-opt --locked --version "$WASM_OPT_VERSION" --force
fi

if [ "${1:-}" = test ]; then
  if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ] \
     || [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
    say "Installing the browser-test packages (npm ci)"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
fi
