# The Rust and the browser test suites, run the same way by `make test`
# (scripts/test.sh) and `make test-clock` (scripts/test-clock.sh). Source it
# after lib.sh; it needs the release site built (`cargo leptos build
# --release`) and DATABASE_URL pointing at a server where tests may create
# databases.
# shellcheck shell=bash

# with_clock CMD...: runs CMD with libfaketime preloaded when CLOCK_ENV holds
# its settings (`make test-clock`), else as it is. Only the processes under
# test get it: cargo and rustdoc hang on a lock under libfaketime.
with_clock() {
  if [ -n "${CLOCK_ENV:-}" ]; then
    # shellcheck disable=SC2086 # CLOCK_ENV is a list of NAME=VALUE words
    env $CLOCK_ENV "$@"
  else
    "$@"
  fi
}

# run_rust_tests LOG [FILTER...]: every Rust test of the workspace (or those
# whose names hold one of the FILTERs), built with RUST_TEST_PROFILE (release
# by default: the tests reuse what the site build compiled). With cargo-nextest
# installed they run through it (one process per test, as many at once as
# .config/nextest.toml says; its summary ends the log), then the doc tests
# through cargo test, which nextest does not run; without it, all through
# cargo test. Sets RUST_PASSED, RUST_FAILED, RUST_FAILED_NAMES (one per line)
# and RUST_OK (the commands' own verdict).
run_rust_tests() {
  local log=$1 profile=${RUST_TEST_PROFILE:-release} ok=1
  shift
  : > "$log"
  if command -v cargo-nextest >/dev/null; then
    cargo nextest run --cargo-profile "$profile" --workspace --locked --no-fail-fast "$@" 2>&1 | tee -a "$log"
    [ "${PIPESTATUS[0]}" = 0 ] || ok=0
    # Doc tests hold no filter: a name filter means "only these tests".
    if [ $# = 0 ]; then
      cargo test --profile "$profile" --workspace --locked --doc 2>&1 | tee -a "$log"
      [ "${PIPESTATUS[0]}" = 0 ] || ok=0
    fi
  else
    # As many at once as nextest runs (.config/nextest.toml): they mostly wait.
    cargo test --profile "$profile" --workspace --locked --no-fail-fast -- --test-threads 8 "$@" 2>&1 | tee -a "$log"
    [ "${PIPESTATUS[0]}" = 0 ] || ok=0
  fi
  RUST_OK=$ok
  # cargo test: "test result: ok. 12 passed; 0 failed; …" per binary.
  # nextest: "Summary [ 130.2s] 223 tests run: 221 passed, 2 failed, 0 skipped".
  read -r RUST_PASSED RUST_FAILED < <(awk '
    /^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
    /^ *Summary \[.*tests? run:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^tests?$/ && $(i+2) ~ /^run:/) n = $i; if ($(i+1) ~ /^passed/) q = $i }; p += q; f += n - q }
    END { print p + 0, f + 0 }' "$log")
  RUST_FAILED_NAMES=$(sed -nE 's/^test (.*) \.\.\. FAILED$/\1/p; s/^ *(FAIL|TIMEOUT|SIGSEGV|SIGABRT|ABORT) \[ *[0-9.]+s\] (.*)$/\2/p' "$log" | sort -u)
}

# run_browser_tests ADMIN_URL WORK: a database with the demo data, an SMTP
# sink and a release server of their own, then every Playwright test against
# them. Sets BROWSER_PASSED, BROWSER_FAILED and BROWSER_PROBLEM (empty, or the
# step that went wrong). Stops what it started (and lists it in the caller's
# PIDS, for its clean-up on an interrupt). Extra arguments go to
# `playwright test`.
run_browser_tests() {
  local admin_url=$1 work=$2 e2e_db_url smtp_port app_port pids=()
  shift 2
  BROWSER_PASSED=0 BROWSER_FAILED=0 BROWSER_PROBLEM=""
  e2e_db_url=$(printf '%s' "$admin_url" | sed -E 's#^(postgres(ql)?://[^/]*/)[^?]*#\1tiepdan_e2e#')
  pg_create_db "$admin_url" tiepdan_e2e
  smtp_port=$(free_port)
  mkdir -p "$work/mail"
  cargo build --release -p testkit --bin smtp-sink --locked --quiet || { BROWSER_PROBLEM="build smtp-sink"; return; }
  with_clock target/release/smtp-sink "127.0.0.1:$smtp_port" "$work/mail" > "$work/smtp.log" 2>&1 &
  pids+=($!); PIDS+=($!)
  wait_tcp 127.0.0.1 "$smtp_port" 10 || { BROWSER_PROBLEM="smtp-sink start"; cat "$work/smtp.log" >&2; }
  app_port=$(free_port)
  (
    export APP_ENV=test DATABASE_URL="$e2e_db_url" SMTP_URL="smtp://127.0.0.1:$smtp_port" \
      LEPTOS_SITE_ADDR="127.0.0.1:$app_port" LEPTOS_SITE_ROOT=target/site \
      PUBLIC_URL="http://127.0.0.1:$app_port" OUTBOX_POLL_MS=200 \
      BOOKING_ATTEMPTS_PER_HOUR=1000 LOOKUP_FAILURES_PER_15_MIN=1000
    with_clock target/release/server seed-demo || exit 1
    exec env ${CLOCK_ENV:-} target/release/server serve
  ) > "$work/server.log" 2>&1 &
  pids+=($!); PIDS+=($!)
  if wait_http "http://127.0.0.1:$app_port/readyz" 60; then
    (cd end2end && BASE_URL="http://127.0.0.1:$app_port" MAIL_DIR="$work/mail" E2E_DATABASE_URL="$e2e_db_url" \
       PLAYWRIGHT_JSON="$work/playwright.json" with_clock npx playwright test "$@") || BROWSER_PROBLEM="playwright"
    if [ -f "$work/playwright.json" ]; then
      read -r BROWSER_PASSED BROWSER_FAILED < <(node -e '
        const s = require(process.argv[1]).stats;
        console.log(s.expected + s.flaky, s.unexpected);' "$work/playwright.json")
    else
      BROWSER_FAILED=1
    fi
  else
    BROWSER_PROBLEM="server start"
    tail -n 40 "$work/server.log" >&2
    BROWSER_FAILED=1
  fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
}
