#!/usr/bin/env bash
# A newcomer running `make run` as root from a clone under a folder the
# `postgres` user cannot traverse (root's 0700 home on Debian): the private
# cluster must still be created and started. This copies the scripts into
# such a folder, asks them for the cluster folder, starts a cluster there,
# queries it, and cleans up. Exit 0 passed, 1 failed, 2 skipped (not root).
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

if [ "$(id -u)" != 0 ]; then
  echo "skipped: only root meets a folder the postgres user cannot enter"
  exit 2
fi

private=$(mktemp -d /tmp/tiepdan-private.XXXXXX)
chmod 700 "$private"
clone="$private/clone"
mkdir -p "$clone/scripts"
cp "$here/lib.sh" "$clone/scripts/lib.sh"
port=""
dir=""
cleanup() {
  if [ -n "$dir" ]; then
    (source "$clone/scripts/lib.sh" && pg_stop "$dir")
    rm -rf "$dir"
  fi
  rm -rf "$private"
}
trap cleanup EXIT

fail() { echo "FAILED: $*"; exit 1; }

# The premise: postgres really cannot reach the clone.
if runuser -u postgres -- test -x "$clone"; then
  fail "the postgres user can enter $clone; the test proves nothing"
fi

dir=$(source "$clone/scripts/lib.sh" && dev_cluster_dir) || fail "dev_cluster_dir failed"
case "$dir" in
  "$private"*) fail "dev_cluster_dir answered a path inside the private folder: $dir" ;;
esac
[ -L "$clone/.data/postgres" ] || fail ".data/postgres is not a link to the reachable folder"
[ "$(readlink -f "$clone/.data/postgres")" = "$dir" ] || fail "the link does not point at $dir"

port=$(source "$clone/scripts/lib.sh" && free_port)
(source "$clone/scripts/lib.sh" && pg_start "$dir" "$port") || fail "the cluster did not start"
answer=$(psql "postgres://postgres@127.0.0.1:$port/postgres" -tAc 'SELECT 40 + 2') \
  || fail "the cluster does not answer"
[ "$answer" = 42 ] || fail "unexpected answer $answer"

# Asked again (the second `make run`), the same folder comes back.
again=$(source "$clone/scripts/lib.sh" && dev_cluster_dir) || fail "second dev_cluster_dir failed"
[ "$again" = "$dir" ] || fail "second run answered $again, not $dir"
echo "passed: cluster in $dir started from a 0700 clone"
