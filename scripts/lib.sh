# Shared shell helpers for the Makefile's scripts. Source it; do not run it.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root (or sudo) to run: $*"
  fi
}

APT_UPDATED=""
apt_install() {
  command -v apt-get >/dev/null || die "apt-get not found: install $* by hand"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# The directory holding initdb/pg_ctl (Debian keeps them off PATH).
pg_bindir() {
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && { echo "$d"; return; }
  return 1
}

# initdb refuses to run as root, so root runs the cluster as `postgres`.
as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_start DIR [PORT]: creates the cluster in DIR if needed and starts it.
# With PORT it listens on 127.0.0.1:PORT; without, only on a socket in DIR.
pg_start() {
  local dir=$1 port=${2:-} bin
  bin=$(pg_bindir) || die "PostgreSQL server binaries not found"
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; chmod 700 "$dir"; fi
  if [ ! -f "$dir/PG_VERSION" ]; then
    as_pg_owner "$bin/initdb" -D "$dir" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null \
      || as_pg_owner "$bin/initdb" -D "$dir" -U postgres -A trust -E UTF8 >/dev/null
  fi
  if as_pg_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then return 0; fi
  local opts
  if [ -n "$port" ]; then
    opts="-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=''"
  else
    opts="-c listen_addresses='' -k $dir"
  fi
  # A throwaway test cluster need not survive a crash.
  [ -z "$port" ] && opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  as_pg_owner "$bin/pg_ctl" -D "$dir" -l "$dir/postgres.log" -w -t 60 -o "$opts" start >/dev/null \
    || { tail -n 20 "$dir/postgres.log" >&2; die "PostgreSQL did not start (log: $dir/postgres.log)"; }
}

pg_stop() {
  local dir=$1 bin
  bin=$(pg_bindir) || return 0
  [ -f "$dir/PG_VERSION" ] || return 0
  as_pg_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}

# Creates database NAME through DATABASE_URL's server unless it exists.
# Uses psql when present; otherwise the app's own migrate step creates nothing,
# so psql is required (Debian: postgresql-client).
pg_create_db() {
  local admin_url=$1 name=$2
  if ! psql "$admin_url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
    psql "$admin_url" -qc "CREATE DATABASE \"$name\"" >/dev/null
  fi
}

# A TCP port nobody listens on, in the dynamic range.
free_port() {
  local p
  for _ in $(seq 1 50); do
    # Below the kernel's ephemeral range (32768 and up): a port a client
    # connection still holds there can't be listened on, though nothing
    # listens on it.
    p=$(( 20000 + RANDOM % 12000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free TCP port found"
}

# Waits until something listens on HOST:PORT, or fails after SECONDS.
wait_tcp() {
  local host=$1 port=$2 secs=${3:-10}
  for _ in $(seq 1 $((secs * 5))); do
    (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

# Waits until URL answers 200, or fails after SECONDS.
wait_http() {
  local url=$1 secs=${2:-60}
  for _ in $(seq 1 $((secs * 5))); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

# The development cluster lives in .data/postgres. When the `postgres` user
# cannot reach the project folder (a clone under root's 0700 home, say),
# .data/postgres is a link to a folder it can reach. Prints the path to give
# initdb and pg_ctl: the link's target, since a path through the link still
# runs through the folder postgres cannot enter.
dev_cluster_dir() {
  local dir="$ROOT/.data/postgres"
  mkdir -p "$ROOT/.data"
  if [ "$(id -u)" = 0 ] && [ ! -e "$dir" ] && [ ! -L "$dir" ] \
     && ! runuser -u postgres -- test -x "$ROOT/.data"; then
    local elsewhere
    elsewhere="/var/tmp/tiepdan-postgres-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
    mkdir -p "$elsewhere"
    ln -s "$elsewhere" "$dir"
    say "The postgres user cannot reach $ROOT; the cluster lives in $elsewhere"
  fi
  readlink -f "$dir"
}

# The environment cargo-leptos gives its builds (from [[workspace.metadata.leptos]]).
# Some of it is baked in at compile time, so with the same values `cargo test`
# and `cargo build` reuse the site build's crates instead of rebuilding leptos
# and the app (and the next site build rebuilding them back).
export_leptos_env() {
  export LEPTOS_OUTPUT_NAME=tiepdan LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
    LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=app LEPTOS_BIN_DIR=server \
    LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=true LEPTOS_HASH_FILE_NAME=hash.txt
}

# Compiled dependencies live outside the clone (.cargo/config.toml's
# build-dir, under ~/.cargo/build/tiepdan), so every clone on this machine
# shares them and a fresh clone compiles only this workspace's crates.
# TIEPDAN_BUILD_CACHE=off keeps everything in the clone's target/, as
# cargo does by default. Each clone adds its own crates' artifacts there
# (about 0.7 GB): those untouched for a week are removed here, and the
# whole folder when it passes 40 GB (the next build refills it).
SHARED_BUILD_DIR="${CARGO_HOME:-$HOME/.cargo}/build/tiepdan"
SHARED_BUILD_MAX_KB=$((40 * 1024 * 1024))
use_build_cache() {
  if [ "${TIEPDAN_BUILD_CACHE:-on}" = off ]; then
    export CARGO_BUILD_BUILD_DIR="$ROOT/target"
    return 0
  fi
  [ -d "$SHARED_BUILD_DIR" ] || return 0
  find "$SHARED_BUILD_DIR" -mindepth 3 -maxdepth 4 -regextype posix-extended \
    -regex '.*/(\.fingerprint|deps|build|incremental)/(lib)?(app|server|testkit|api|load|smtp_sink|signin_flood)-[0-9a-z]+(\..*)?' \
    -mtime +7 -exec rm -rf {} + 2>/dev/null || true
  local kb
  kb=$(du -sk "$SHARED_BUILD_DIR" 2>/dev/null | cut -f1)
  if [ "${kb:-0}" -gt "$SHARED_BUILD_MAX_KB" ]; then
    say "The shared build folder passed 40 GB: emptying it ($SHARED_BUILD_DIR)"
    rm -rf "$SHARED_BUILD_DIR"
  fi
  return 0
}

# Timed steps. `step NAME` ends the step before it (printing how long it
# took) and starts NAME; `steps_report` ends the last one and prints a table
# of every step's duration and the total since lib.sh was sourced.
STEPS_T0=$SECONDS
STEP_NAMES=()
STEP_SECS=()
STEP_NAME=""
STEP_T0=0
duration() { printf '%dm %02ds' $(($1 / 60)) $(($1 % 60)); }
step_end() {
  [ -n "$STEP_NAME" ] || return 0
  local secs=$((SECONDS - STEP_T0))
  STEP_NAMES+=("$STEP_NAME")
  STEP_SECS+=("$secs")
  say "$STEP_NAME: $(duration "$secs")"
  STEP_NAME=""
}
step() {
  step_end
  STEP_NAME=$1
  STEP_T0=$SECONDS
  say "$1"
}
steps_report() {
  step_end
  local i
  say "Time per step"
  for i in "${!STEP_NAMES[@]}"; do
    printf '%9s  %s\n' "$(duration "${STEP_SECS[$i]}")" "${STEP_NAMES[$i]}"
  done
  printf '%9s  %s\n' "$(duration $((SECONDS - STEPS_T0)))" "total"
}
