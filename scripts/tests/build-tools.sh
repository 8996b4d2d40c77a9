#!/usr/bin/env bash
# The build's optional speed-ups change how things are built, never what:
# - scripts/mold-or-cc links with mold when it is installed and exactly as
#   rustc would otherwise (both produce a program that runs);
# - scripts/rustc-wrapper hands sccache only crates from crates.io and
#   compiles this workspace's crates itself;
# - use_build_cache turns the wrapper on only when sccache is installed and
#   TIEPDAN_BUILD_CACHE is not off.
# Exit 0 passed, 1 failed.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
fail() { echo "build-tools: $*" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

grep -qx 'linker = "scripts/mold-or-cc"' "$root/.cargo/config.toml" \
  || fail ".cargo/config.toml does not link through scripts/mold-or-cc"

# --- the linker ---
rustc_bin=$(rustup which rustc 2>/dev/null || command -v rustc) || fail "no rustc"
printf 'fn main() { println!("linked"); }\n' >"$tmp/main.rs"
link_with() { # PATH for the linker, output name
  PATH="$1" "$rustc_bin" -C linker="$here/mold-or-cc" "$tmp/main.rs" -o "$tmp/$2" 2>"$tmp/$2.err" \
    || fail "linking with PATH=$1 failed: $(cat "$tmp/$2.err")"
  [ "$("$tmp/$2")" = linked ] || fail "the program linked with PATH=$1 does not run"
  readelf -p .comment "$tmp/$2" 2>/dev/null | grep -qi mold && echo mold || echo other
}
if command -v mold >/dev/null; then
  [ "$(link_with "$PATH" with-mold)" = mold ] || fail "mold is installed but the link did not use it"
else
  echo "build-tools: mold not installed here, only the fallback is checked"
fi
# A PATH holding only the C compiler: no mold to find.
mkdir "$tmp/bin"
ln -s "$(command -v cc)" "$tmp/bin/cc"
[ "$(link_with "$tmp/bin" without-mold)" = other ] || fail "without mold on PATH the link still used mold"

# --- the rustc wrapper ---
mkdir "$tmp/fake"
cat >"$tmp/fake/sccache" <<FAKE
#!/bin/sh
echo "\$CARGO_MANIFEST_DIR" >>"$tmp/sccache.log"
exec "\$@"
FAKE
chmod +x "$tmp/fake/sccache"
: >"$tmp/sccache.log"
cargo_home=${CARGO_HOME:-$HOME/.cargo}
dep="$cargo_home/registry/src/index.crates.io-0000000000000000/itoa-1.0.0"
out=$(PATH="$tmp/fake:$PATH" CARGO_MANIFEST_DIR="$dep" "$here/rustc-wrapper" echo compiled)
[ "$out" = compiled ] || fail "a crates.io crate was not compiled through the wrapper: $out"
grep -qxF "$dep" "$tmp/sccache.log" || fail "a crates.io crate did not go through sccache"
for own in "$root/app" "$root/server" "$root/testkit"; do
  out=$(PATH="$tmp/fake:$PATH" CARGO_MANIFEST_DIR="$own" "$here/rustc-wrapper" echo compiled)
  [ "$out" = compiled ] || fail "$own was not compiled through the wrapper: $out"
  ! grep -qxF "$own" "$tmp/sccache.log" || fail "$own went through sccache"
done

# --- use_build_cache ---
wrapper_with() { # PATH, TIEPDAN_BUILD_CACHE
  (
    unset RUSTC_WRAPPER
    # shellcheck source=../lib.sh
    source "$here/lib.sh"
    export PATH="$1" TIEPDAN_BUILD_CACHE="$2"
    use_build_cache
    echo "${RUSTC_WRAPPER:-none}"
  )
}
[ "$(wrapper_with "$tmp/fake:$PATH" on)" = "$here/rustc-wrapper" ] || fail "sccache installed, yet no wrapper"
[ "$(wrapper_with "$tmp/fake:$PATH" off)" = none ] || fail "TIEPDAN_BUILD_CACHE=off still set a wrapper"
[ "$(wrapper_with "$tmp/bin" on)" = none ] || fail "no sccache on PATH, yet a wrapper was set"
echo "build-tools: passed"
