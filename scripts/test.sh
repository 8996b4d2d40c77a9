#!/usr/bin/env bash
# `make test`: installs what is missing, checks formatting and lints, starts a
# throwaway PostgreSQL cluster (unless DATABASE_URL is set), builds the release
# site, runs every Rust test, then every browser test against a server it
# starts itself. It stops everything it started, even when a step fails, runs
# every step regardless, prints how long each step took, and ends with the
# line `N passed, M failed`.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/suites.sh"

step "Set-up (scripts/setup.sh test)"
"$ROOT/scripts/setup.sh" test || die "set-up failed"
cd "$ROOT"
export SQLX_OFFLINE=true
export_leptos_env
use_build_cache

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tiepdan-test.XXXXXX")
chmod 755 "$WORK" # the postgres user must reach the cluster inside
PIDS=()
PG_DIR=""
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  [ -n "$PG_DIR" ] && pg_stop "$PG_DIR"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

passed=0
failed=0
failed_steps=()
step_failed() { failed_steps+=("$1"); }

step "Formatting (cargo fmt --check)"
cargo fmt --all --check || step_failed "cargo fmt"

step "Lints (clippy)"
# In the release profile: the build scripts and proc-macros it compiles are
# the ones the release build below uses, so they are compiled once.
cargo clippy --release --workspace --all-targets --locked -- -D warnings || step_failed "clippy"

if [ -z "${DATABASE_URL:-}" ]; then
  step "Starting a throwaway PostgreSQL cluster"
  PG_DIR="$WORK/pg"
  pg_start "$PG_DIR"
  export DATABASE_URL="postgres://postgres@localhost/postgres?host=$PG_DIR"
fi
# Each database the tests create lives on this server: #[sqlx::test] makes one
# per test, the browser tests use tiepdan_e2e.
PG_ADMIN_URL="$DATABASE_URL"

step "Script tests (scripts/tests)"
for t in "$ROOT"/scripts/tests/*.sh; do
  bash "$t"
  case $? in
    0) passed=$((passed + 1)) ;;
    2) ;; # skipped on this machine (the script says why)
    *) failed=$((failed + 1)); step_failed "$(basename "$t")" ;;
  esac
done

step "Release build (cargo leptos build --release)"
cargo leptos build --release --precompress --cargo-locked 2>&1 | tee "$WORK/build.log"
[ "${PIPESTATUS[0]}" = 0 ] || step_failed "cargo leptos build"
# The WebAssembly build is the only one of the browser-side code: its warnings
# count as failures, as clippy's do for the server side.
if grep -E "generated [0-9]+ warnings?" "$WORK/build.log"; then step_failed "build warnings"; fi

step "Rust tests"
run_rust_tests "$WORK/cargo-test.log"
[ "$RUST_OK" = 1 ] || step_failed "cargo test"
passed=$((passed + RUST_PASSED)); failed=$((failed + RUST_FAILED))
say "Rust: $RUST_PASSED passed, $RUST_FAILED failed"

step "Sign-in flood: peak memory of a release server (scripts/signin-flood.sh)"
flood_db=$(printf '%s' "$PG_ADMIN_URL" | sed -E 's#^(postgres(ql)?://[^/]*/)[^?]*#\1tiepdan_flood#')
pg_create_db "$PG_ADMIN_URL" tiepdan_flood
FLOOD_DATABASE_URL="$flood_db" "$ROOT/scripts/signin-flood.sh" 2>&1 | tee "$WORK/flood.log"
if [ "${PIPESTATUS[0]}" = 0 ]; then
  passed=$((passed + 1))
else
  failed=$((failed + 1)); step_failed "sign-in flood"
fi

step "Browser tests"
run_browser_tests "$PG_ADMIN_URL" "$WORK"
[ -n "$BROWSER_PROBLEM" ] && step_failed "$BROWSER_PROBLEM"
passed=$((passed + BROWSER_PASSED)); failed=$((failed + BROWSER_FAILED))
say "Browser: $BROWSER_PASSED passed, $BROWSER_FAILED failed"

steps_report
if [ ${#failed_steps[@]} -gt 0 ]; then
  say "Failed steps: ${failed_steps[*]}"
  [ "$failed" = 0 ] && failed=${#failed_steps[@]}
fi
echo "$passed passed, $failed failed"
[ ${#failed_steps[@]} = 0 ] && [ "$failed" = 0 ]
