#!/usr/bin/env bash
# `make test` and `make check` print how long each step took and the total
# (lib.sh's step and steps_report). This runs the helpers on two steps of
# known length and reads the table back, and checks that every step the
# issue names is still a timed step of scripts/test.sh, so the report keeps
# covering them. Exit 0 passed, 1 failed.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
fail() { echo "step-times: $*" >&2; exit 1; }

out=$(
  # shellcheck source=../lib.sh
  source "$here/lib.sh"
  step "first" 2>/dev/null
  sleep 1
  step "second" 2>/dev/null
  sleep 2
  steps_report 2>/dev/null
)
first=$(printf '%s\n' "$out" | sed -nE 's/^ *([0-9]+)m ([0-9]+)s  first$/\1 \2/p')
second=$(printf '%s\n' "$out" | sed -nE 's/^ *([0-9]+)m ([0-9]+)s  second$/\1 \2/p')
total=$(printf '%s\n' "$out" | sed -nE 's/^ *([0-9]+)m ([0-9]+)s  total$/\1 \2/p')
[ -n "$first" ] && [ -n "$second" ] && [ -n "$total" ] || fail "no table in: $out"
secs() { set -- $1; echo $(($1 * 60 + 10#$2)); }
# $SECONDS counts whole seconds: a sleep of N shows as N or N+1.
[ "$(secs "$first")" -ge 1 ] && [ "$(secs "$first")" -le 2 ] || fail "first took $first, expected 1 s"
[ "$(secs "$second")" -ge 2 ] && [ "$(secs "$second")" -le 3 ] || fail "second took $second, expected 2 s"
[ "$(secs "$total")" -ge 3 ] && [ "$(secs "$total")" -le 4 ] || fail "total $total, expected 3 s"

for name in "Set-up" "Formatting" "Lints" "Script tests" "Release build" "Rust tests" "Sign-in flood" "Browser tests"; do
  grep -qE "^ *step \"$name" "$here/test.sh" || fail "scripts/test.sh has no timed step \"$name\""
done
grep -qx "steps_report" "$here/test.sh" || fail "scripts/test.sh prints no step report"
grep -qx "steps_report" "$here/check.sh" || fail "scripts/check.sh prints no step report"
echo "step-times: passed"
