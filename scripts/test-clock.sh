#!/usr/bin/env bash
# `make test-clock`: the Rust tests and the browser tests with the clock of
# the whole stack moved to the instants where a test that assumes "later
# today", "tomorrow" or "a weekday" breaks:
#   friday-2330    23:30 on a Friday (Vietnam time): nothing left today, a
#                  weekend next
#   monday-0030    00:30 on a Monday: the day has just turned, after a weekend
#   saturday-2330  23:30 on a Saturday
#   dec31-2330     23:30 on 31 December: the year turns, 1 January a holiday
#   monday-0655    06:55 on a Monday: before the offices open
# Each is the next such instant after now (the consent texts and the holiday
# list start in the present, so the clock only moves forward). Every process
# under test — PostgreSQL, the test binaries, the server and Playwright — has
# libfaketime (Debian's `faketime`) preloaded with the same offset, so they
# agree with each other and the clock keeps running from the instant.
# Monotonic clocks are left alone: timeouts stay real. Chromium hangs on a
# navigation under libfaketime, so Playwright starts it without (its config);
# no page script reads the clock, the server renders every date.
#
#   make test-clock                     all five instants
#   CLOCK_AT="dec31-2330" make test-clock   some of them
#   CLOCK_SUITES=rust make test-clock       only the Rust tests (or: browser)
#   CLOCK_BUILD=no make test-clock          everything is built already
#   CLOCK_TESTS="waitlist retention" make test-clock   only the Rust tests whose names hold one of these
#
# Each instant gets a throwaway PostgreSQL cluster of its own. Not part of
# `make test`: it runs the suites once per instant. Ends with a line per
# instant and `N passed, M failed` over all of them.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/suites.sh"

"$ROOT/scripts/setup.sh" test || die "set-up failed"
FAKETIME_LIB=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
if [ ! -f "$FAKETIME_LIB" ]; then
  say "Installing Debian's faketime (libfaketime)"
  apt_install faketime
fi
FAKETIME_LIB=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n 1)
[ -n "$FAKETIME_LIB" ] || die "libfaketime not found after installing faketime"

cd "$ROOT"
export SQLX_OFFLINE=true
export_leptos_env
use_build_cache

ALL_INSTANTS="friday-2330 monday-0030 saturday-2330 dec31-2330 monday-0655"
INSTANTS=${CLOCK_AT:-$ALL_INSTANTS}
SUITES=${CLOCK_SUITES:-rust browser}

# instant_epoch NAME: the next such instant after now, in seconds since 1970.
instant_epoch() {
  local spec now t
  now=$(date +%s)
  case $1 in
    friday-2330) spec="friday 23:30" ;;
    monday-0030) spec="monday 00:30" ;;
    saturday-2330) spec="saturday 23:30" ;;
    monday-0655) spec="monday 06:55" ;;
    dec31-2330)
      t=$(TZ=Asia/Ho_Chi_Minh date -d "$(TZ=Asia/Ho_Chi_Minh date +%Y)-12-31 23:30" +%s)
      [ "$t" -gt "$now" ] || t=$(TZ=Asia/Ho_Chi_Minh date -d "$(( $(TZ=Asia/Ho_Chi_Minh date +%Y) + 1 ))-12-31 23:30" +%s)
      echo "$t"; return ;;
    *) die "unknown instant: $1 (one of: $ALL_INSTANTS)" ;;
  esac
  # "friday 23:30" is today's when today is a Friday; a week on if that passed.
  t=$(TZ=Asia/Ho_Chi_Minh date -d "$spec" +%s)
  [ "$t" -gt "$now" ] || t=$(TZ=Asia/Ho_Chi_Minh date -d "$spec + 7 days" +%s)
  echo "$t"
}
for instant in $INSTANTS; do instant_epoch "$instant" >/dev/null; done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tiepdan-clock.XXXXXX")
chmod 755 "$WORK"
PIDS=()
PG_DIR=""
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  [ -n "$PG_DIR" ] && pg_stop "$PG_DIR"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Everything is built before the clock moves: cargo compares file times.
# CLOCK_BUILD=no skips it when all of it is built already.
if [ "${CLOCK_BUILD:-yes}" != no ]; then
  say "Building the release site and the test binaries"
  cargo leptos build --release --precompress --cargo-locked || die "the release build failed"
  cargo test --release --workspace --locked --no-run || die "the test build failed"
  cargo build --release -p testkit --bin smtp-sink --locked --quiet || die "the SMTP sink did not build"
fi

# cargo's runner setting for this machine's target, e.g. X86_64_UNKNOWN_LINUX_GNU.
HOST_TRIPLE=$(rustc -vV | sed -n 's/^host: //p' | tr 'a-z-' 'A-Z_')
# pg_start with the clock moved: PostgreSQL's processes inherit it from
# pg_ctl (initdb and pg_ctl themselves are unaffected by it).
with_clock_pg() { (export $CLOCK_ENV; "$@"); }

passed=0
failed=0
results=()
for instant in $INSTANTS; do
  at=$(instant_epoch "$instant")
  offset=$(( at - $(date +%s) ))
  label="$instant ($(TZ=Asia/Ho_Chi_Minh date -d "@$at" '+%a %Y-%m-%d %H:%M') Vietnam time)"
  say "Clock at $label"
  run="$WORK/$instant"
  mkdir -p "$run"
  chmod 755 "$run"
  # Preloaded into the processes under test only: cargo and rustdoc hang on
  # a lock under libfaketime. The test binaries get it through cargo's
  # runner; doc tests (no clock in them) run as they are.
  export CLOCK_ENV="LD_PRELOAD=$FAKETIME_LIB FAKETIME=+$offset FAKETIME_DONT_FAKE_MONOTONIC=1"
  export "CARGO_TARGET_${HOST_TRIPLE}_RUNNER=env $CLOCK_ENV"
  PG_DIR="$run/pg"
  with_clock_pg pg_start "$PG_DIR"
  export DATABASE_URL="postgres://postgres@localhost/postgres?host=$PG_DIR"
  now_there=$(with_clock psql "$DATABASE_URL" -tAc "SELECT to_char(now() AT TIME ZONE 'Asia/Ho_Chi_Minh', 'Dy YYYY-MM-DD HH24:MI')")
  say "PostgreSQL's clock reads $now_there"
  line="$label:"
  if [[ " $SUITES " == *" rust "* ]]; then
    # shellcheck disable=SC2086 # CLOCK_TESTS: names to match, split on spaces
    run_rust_tests "$run/cargo-test.log" ${CLOCK_TESTS:-}
    passed=$((passed + RUST_PASSED)); failed=$((failed + RUST_FAILED))
    [ "$RUST_OK" = 1 ] || [ "$RUST_FAILED" != 0 ] || failed=$((failed + 1))
    line="$line Rust $RUST_PASSED passed, $RUST_FAILED failed;"
    names=$(printf '%s\n' "$RUST_FAILED_NAMES" | sed -E '/^$/d; s/^/  failed: /')
    [ -z "$names" ] || line="$line"$'\n'"$names"$'\n'
  fi
  if [[ " $SUITES " == *" browser "* ]]; then
    run_browser_tests "$DATABASE_URL" "$run"
    passed=$((passed + BROWSER_PASSED)); failed=$((failed + BROWSER_FAILED))
    [ -z "$BROWSER_PROBLEM" ] || [ "$BROWSER_FAILED" != 0 ] || failed=$((failed + 1))
    line="$line browser $BROWSER_PASSED passed, $BROWSER_FAILED failed${BROWSER_PROBLEM:+ ($BROWSER_PROBLEM)}"
  fi
  pg_stop "$PG_DIR"
  PG_DIR=""
  unset CLOCK_ENV "CARGO_TARGET_${HOST_TRIPLE}_RUNNER"
  results+=("$line")
  say "$line"
done

say "Results"
for line in "${results[@]}"; do echo "$line"; done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
