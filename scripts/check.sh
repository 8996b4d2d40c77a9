#!/usr/bin/env bash
# `make check T=NAME`: the inner loop while building a slice. Formatting,
# lints and the Rust tests whose names hold NAME (every Rust test without T),
# built in the `quick` profile (Cargo.toml): unoptimised and incremental, so a one-line
# change rebuilds in seconds where the release build takes minutes. No release
# site is built and no browser runs: `make test` does both. Tests that serve
# the site's files read the last release build's target/site.
# A throwaway PostgreSQL cluster unless DATABASE_URL is set. Ends with the
# time per step and `N passed, M failed`.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/suites.sh"

step "Set-up (scripts/setup.sh)"
"$ROOT/scripts/setup.sh" || die "set-up failed"
cd "$ROOT"
export SQLX_OFFLINE=true
export_leptos_env
use_build_cache

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tiepdan-check.XXXXXX")
chmod 755 "$WORK" # the postgres user must reach the cluster inside
PG_DIR=""
cleanup() {
  [ -n "$PG_DIR" ] && pg_stop "$PG_DIR"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

failed_steps=()

step "Formatting (cargo fmt --check)"
cargo fmt --all --check || failed_steps+=("cargo fmt")

step "Lints (clippy)"
# In the quick profile, so its build scripts and proc-macros serve the tests.
cargo clippy --profile quick --workspace --all-targets --locked -- -D warnings || failed_steps+=("clippy")

if [ -z "${DATABASE_URL:-}" ]; then
  step "Starting a throwaway PostgreSQL cluster"
  PG_DIR="$WORK/pg"
  pg_start "$PG_DIR"
  export DATABASE_URL="postgres://postgres@localhost/postgres?host=$PG_DIR"
fi

step "Rust tests${T:+ whose names hold \"$T\"} (profile quick)"
# shellcheck disable=SC2086 # T may hold several names, split on spaces
RUST_TEST_PROFILE=quick run_rust_tests "$WORK/rust-tests.log" ${T:-}
[ "$RUST_OK" = 1 ] || failed_steps+=("Rust tests")
[ -z "$RUST_FAILED_NAMES" ] || printf 'failed: %s\n' $RUST_FAILED_NAMES
if [ "$RUST_PASSED" = 0 ] && [ "$RUST_FAILED" = 0 ]; then
  failed_steps+=("no test matched \"${T:-}\"")
fi

steps_report
failed=$RUST_FAILED
if [ ${#failed_steps[@]} -gt 0 ]; then
  say "Failed steps: ${failed_steps[*]}"
  [ "$failed" = 0 ] && failed=${#failed_steps[@]}
fi
echo "$RUST_PASSED passed, $failed failed"
[ ${#failed_steps[@]} = 0 ] && [ "$failed" = 0 ]
