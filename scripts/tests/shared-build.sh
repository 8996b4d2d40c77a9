#!/usr/bin/env bash
# Compiled dependencies go to one folder shared by the clones
# (.cargo/config.toml's build-dir, lib.sh's SHARED_BUILD_DIR), kept bounded
# by use_build_cache: this workspace's artifacts untouched for a week go,
# dependencies stay, and the whole folder goes past its size bound;
# TIEPDAN_BUILD_CACHE=off builds inside the clone as cargo does. Nothing in
# the cargo configuration may name a path inside the clone (a linker
# wrapper, say): cargo would then recompile every dependency per clone.
# Exit 0 passed, 1 failed.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
fail() { echo "shared-build: $*" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

! grep -qE '^[[:space:]]*(linker|rustc-wrapper|rustc)[[:space:]]*=' "$root/.cargo/config.toml" \
  || fail ".cargo/config.toml names a program: its path would differ per clone"

# --- the shared build folder ---
expected='build-dir = "{cargo-cache-home}/build/tiepdan"'
grep -qxF "$expected" "$root/.cargo/config.toml" || fail ".cargo/config.toml has no $expected"
(
  # shellcheck source=../lib.sh
  source "$here/lib.sh"
  [ "$SHARED_BUILD_DIR" = "${CARGO_HOME:-$HOME/.cargo}/build/tiepdan" ] \
    || fail "lib.sh looks after $SHARED_BUILD_DIR, not the folder .cargo/config.toml names"
  # Off: inside the clone, as cargo does by default.
  (unset CARGO_BUILD_BUILD_DIR; TIEPDAN_BUILD_CACHE=off use_build_cache
   [ "$CARGO_BUILD_BUILD_DIR" = "$ROOT/target" ] || fail "TIEPDAN_BUILD_CACHE=off builds in $CARGO_BUILD_BUILD_DIR") || exit 1
  SHARED_BUILD_DIR="$tmp/shared"
  old=(release/deps/libapp-0123456789abcdef.rlib release/deps/api-0123456789abcdef
       release/.fingerprint/server-0123456789abcdef release/incremental/testkit-1abc2def3ghi4
       wasm32-unknown-unknown/wasm-release/deps/libapp-0123456789abcdef.rlib
       release/build/app-0123456789abcdef)
  kept=(release/deps/libserde-0123456789abcdef.rlib release/.fingerprint/server_fn-0123456789abcdef
        release/deps/libapp-fedcba9876543210.rlib)
  for f in "${old[@]}" "${kept[@]}"; do mkdir -p "$(dirname "$SHARED_BUILD_DIR/$f")"; echo x >"$SHARED_BUILD_DIR/$f"; done
  for f in "${old[@]}" release/deps/libserde-0123456789abcdef.rlib release/.fingerprint/server_fn-0123456789abcdef; do
    touch -d '8 days ago' "$SHARED_BUILD_DIR/$f"
  done
  use_build_cache
  for f in "${old[@]}"; do [ ! -e "$SHARED_BUILD_DIR/$f" ] || fail "a week-old $f was kept"; done
  for f in "${kept[@]}"; do [ -e "$SHARED_BUILD_DIR/$f" ] || fail "$f was removed"; done
  SHARED_BUILD_MAX_KB=1
  use_build_cache 2>/dev/null
  [ ! -e "$SHARED_BUILD_DIR" ] || fail "a folder past its size bound was kept"
) || exit 1
echo "shared-build: passed"
