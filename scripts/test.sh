#!/usr/bin/env bash
# `make test`: installs what is missing, checks formatting and lints, starts a
# throwaway PostgreSQL cluster (unless DATABASE_URL is set), builds the release
# site, runs every Rust test, then every browser test against a server it
# starts itself. It stops everything it started, even when a step fails, runs
# every step regardless, and ends with the line `N passed, M failed`.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

"$ROOT/scripts/setup.sh" test || die "set-up failed"
cd "$ROOT"
export SQLX_OFFLINE=true
export_leptos_env

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

say "Formatting (cargo fmt --check)"
cargo fmt --all --check || step_failed "cargo fmt"

say "Lints (clippy)"
cargo clippy --workspace --all-targets --locked -- -D warnings || step_failed "clippy"

if [ -z "${DATABASE_URL:-}" ]; then
  say "Starting a throwaway PostgreSQL cluster"
  PG_DIR="$WORK/pg"
  pg_start "$PG_DIR"
  export DATABASE_URL="postgres://postgres@localhost/postgres?host=$PG_DIR"
fi
# Each database the tests create lives on this server: #[sqlx::test] makes one
# per test, the browser tests use tiepdan_e2e.
PG_ADMIN_URL="$DATABASE_URL"

say "Script tests (scripts/tests)"
for t in "$ROOT"/scripts/tests/*.sh; do
  bash "$t"
  case $? in
    0) passed=$((passed + 1)) ;;
    2) ;; # skipped on this machine (the script says why)
    *) failed=$((failed + 1)); step_failed "$(basename "$t")" ;;
  esac
done

say "Building the release site"
cargo leptos build --release --precompress --cargo-locked 2>&1 | tee "$WORK/build.log"
[ "${PIPESTATUS[0]}" = 0 ] || step_failed "cargo leptos build"
# The WebAssembly build is the only one of the browser-side code: its warnings
# count as failures, as clippy's do for the server side.
if grep -E "generated [0-9]+ warnings?" "$WORK/build.log"; then step_failed "build warnings"; fi

say "Rust tests"
# In release: the tests reuse most of what the site build just compiled.
cargo test --release --workspace --locked --no-fail-fast 2>&1 | tee "$WORK/cargo-test.log"
[ "${PIPESTATUS[0]}" = 0 ] || step_failed "cargo test"
read -r rp rf < <(awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } } END { print p + 0, f + 0 }' "$WORK/cargo-test.log")
passed=$((passed + rp)); failed=$((failed + rf))
say "Rust: $rp passed, $rf failed"

say "Sign-in flood: peak memory of a release server (scripts/signin-flood.sh)"
flood_db=$(printf '%s' "$PG_ADMIN_URL" | sed -E 's#^(postgres(ql)?://[^/]*/)[^?]*#\1tiepdan_flood#')
pg_create_db "$PG_ADMIN_URL" tiepdan_flood
FLOOD_DATABASE_URL="$flood_db" "$ROOT/scripts/signin-flood.sh" 2>&1 | tee "$WORK/flood.log"
if [ "${PIPESTATUS[0]}" = 0 ]; then
  passed=$((passed + 1))
else
  failed=$((failed + 1)); step_failed "sign-in flood"
fi

say "Browser tests"
e2e_db_url=$(printf '%s' "$PG_ADMIN_URL" | sed -E 's#^(postgres(ql)?://[^/]*/)[^?]*#\1tiepdan_e2e#')
pg_create_db "$PG_ADMIN_URL" tiepdan_e2e
smtp_port=$(free_port)
mkdir -p "$WORK/mail"
cargo build --release -p testkit --bin smtp-sink --locked --quiet || step_failed "build smtp-sink"
target/release/smtp-sink "127.0.0.1:$smtp_port" "$WORK/mail" > "$WORK/smtp.log" 2>&1 &
PIDS+=($!)
wait_tcp 127.0.0.1 "$smtp_port" 10 || { step_failed "smtp-sink start"; cat "$WORK/smtp.log" >&2; }
app_port=$(free_port)
export_server_env() {
  export APP_ENV=test DATABASE_URL="$e2e_db_url" SMTP_URL="smtp://127.0.0.1:$smtp_port" \
    LEPTOS_SITE_ADDR="127.0.0.1:$app_port" LEPTOS_SITE_ROOT=target/site \
    PUBLIC_URL="http://127.0.0.1:$app_port" OUTBOX_POLL_MS=200 \
    BOOKING_ATTEMPTS_PER_HOUR=1000 LOOKUP_FAILURES_PER_15_MIN=1000
}
(export_server_env; target/release/server seed-demo) || step_failed "seed-demo"
(export_server_env; exec target/release/server serve) > "$WORK/server.log" 2>&1 &
PIDS+=($!)
pw_passed=0; pw_failed=0
if wait_http "http://127.0.0.1:$app_port/readyz" 60; then
  (cd end2end && BASE_URL="http://127.0.0.1:$app_port" MAIL_DIR="$WORK/mail" E2E_DATABASE_URL="$e2e_db_url" \
     PLAYWRIGHT_JSON="$WORK/playwright.json" npx playwright test) || step_failed "playwright"
  if [ -f "$WORK/playwright.json" ]; then
    read -r pw_passed pw_failed < <(node -e '
      const s = require(process.argv[1]).stats;
      console.log(s.expected + s.flaky, s.unexpected);' "$WORK/playwright.json")
  else
    pw_failed=1
  fi
else
  step_failed "server start"
  tail -n 40 "$WORK/server.log" >&2
  pw_failed=1
fi
passed=$((passed + pw_passed)); failed=$((failed + pw_failed))
say "Browser: $pw_passed passed, $pw_failed failed"

if [ ${#failed_steps[@]} -gt 0 ]; then
  say "Failed steps: ${failed_steps[*]}"
  [ "$failed" = 0 ] && failed=${#failed_steps[@]}
fi
echo "$passed passed, $failed failed"
[ ${#failed_steps[@]} = 0 ] && [ "$failed" = 0 ]
