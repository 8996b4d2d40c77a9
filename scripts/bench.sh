#!/usr/bin/env bash
# `make bench`: booking throughput and latency against PostgreSQL's own
# yardstick, on one private cluster in one run.
#
#  1. a throwaway cluster on a free TCP port (durable settings: fsync on),
#  2. the release server with demo data and a bench office whose 96 slots
#     hold 500 bookings each,
#  3. the load generator (testkit/src/bin/load.rs): BENCH_CLIENTS (64)
#     clients posting `POST /api/bookings/create` for BENCH_SECONDS (20),
#  4. pgbench's TPC-B-like transactions at the same concurrency on the same
#     cluster,
#  5. the ratio of the two, and the brotli bytes of JS + WebAssembly the
#     booking page loads.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

CLIENTS=${BENCH_CLIENTS:-64}
SECONDS_RUN=${BENCH_SECONDS:-20}
export SQLX_OFFLINE=true
export_leptos_env
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tiepdan-bench.XXXXXX")
chmod 755 "$WORK"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  pg_stop "$WORK/pg"
  rm -rf "$WORK"
}
trap cleanup EXIT

"$ROOT/scripts/setup.sh" || die "set-up failed"
use_build_cache
say "Building the release site and the load generator"
cargo leptos build --release --precompress --cargo-locked >"$WORK/build.log" 2>&1 \
  || { tail -n 30 "$WORK/build.log"; die "build failed"; }
cargo build --release --locked -p testkit --bin load --quiet

say "Starting a private cluster"
pg_port=$(free_port)
pg_start "$WORK/pg" "$pg_port"
admin="postgres://postgres@127.0.0.1:$pg_port/postgres"
pg_create_db "$admin" tiepdan_bench
pg_create_db "$admin" pgbench
db="postgres://postgres@127.0.0.1:$pg_port/tiepdan_bench"
PSQL=$(command -v psql) || die "psql not found (Debian: postgresql-client)"

app_port=$(free_port)
export APP_ENV=test DATABASE_URL="$db" DATABASE_MAX_CONNECTIONS=${BENCH_POOL:-20} \
  LEPTOS_SITE_ADDR="127.0.0.1:$app_port" LEPTOS_SITE_ROOT=target/site \
  BOOKING_ATTEMPTS_PER_HOUR=100000000 SMTP_URL="smtp://127.0.0.1:1" RUST_LOG=warn
target/release/server migrate >/dev/null
# The bench office opens a whole day, three days ahead, in 96 five-minute
# slots of 500 places, through the same rules as any office.
"$PSQL" -qAt "$db" >/dev/null <<'SQL'
INSERT INTO offices (slug, name_vi, address_vi) VALUES ('bench', 'Trụ sở đo tải', 'Số 0');
INSERT INTO special_hours (office_id, day, opens, closes, slot_minutes, capacity)
SELECT id, (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date + 3, '08:00', '16:00', 5, 500
FROM offices WHERE slug = 'bench';
SQL
target/release/server seed-demo >/dev/null
target/release/server serve >"$WORK/server.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$app_port/readyz" 60 || { tail -n 30 "$WORK/server.log"; die "server did not start"; }
slots=$("$PSQL" -qAt "$db" -c "SELECT string_agg(s.id::text, ',') FROM slots s JOIN offices o ON o.id = s.office_id WHERE o.slug = 'bench'")
[ -n "$slots" ] || die "no bench slots"

say "Booking load: $CLIENTS clients, ${SECONDS_RUN}s"
# A short warm-up so connection set-up is not measured.
# (Its citizens are numbered apart from the measured run's.)
LOAD_FIRST_CITIZEN=900000000 target/release/load "http://127.0.0.1:$app_port" "$slots" "$CLIENTS" 2 >/dev/null
load_json=$(target/release/load "http://127.0.0.1:$app_port" "$slots" "$CLIENTS" "$SECONDS_RUN")
echo "$load_json"

say "pgbench TPC-B-like: $CLIENTS clients, ${SECONDS_RUN}s"
pgb=$(ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | sort -V | tail -n 1)
[ -n "$pgb" ] || pgb=$(command -v pgbench) || die "pgbench not found (Debian: postgresql-client)"
"$pgb" -i -q -s 10 "postgres://postgres@127.0.0.1:$pg_port/pgbench" >/dev/null 2>&1
pgbench_out=$("$pgb" -c "$CLIENTS" -j 2 -T "$SECONDS_RUN" -n "postgres://postgres@127.0.0.1:$pg_port/pgbench" 2>/dev/null)
tps=$(printf '%s\n' "$pgbench_out" | awk -F'= ' '/^tps = / { split($2, a, " "); print a[1]; exit }')
echo "pgbench tps = $tps"

page_br=0
for f in target/site/pkg/*.wasm target/site/pkg/*.js; do
  [ -f "$f.br" ] && page_br=$((page_br + $(stat -c %s "$f.br")))
done
# The booking page must load exactly these files and nothing else of ours.
curl -fsS -o "$WORK/book.html" "http://127.0.0.1:$app_port/book/tw-ha-noi"
grep -q "/pkg/" "$WORK/book.html" || die "the booking page loads no bundle?"

node -e '
  const load = JSON.parse(process.argv[1]); const tps = Number(process.argv[2]); const br = Number(process.argv[3]);
  const ratio = load.bookings_per_second / tps;
  const line = (k, v, goal) => console.log(`${k.padEnd(36)} ${String(v).padStart(12)}   ${goal}`);
  console.log("\nTiếp dân booking benchmark");
  line("bookings per second", load.bookings_per_second.toFixed(1), "");
  line("p50 latency (ms)", load.p50_ms.toFixed(1), "");
  line("p99 latency (ms)", load.p99_ms.toFixed(1), "goal < 50");
  line("pgbench TPC-B-like TPS", tps.toFixed(1), "");
  line("ratio bookings/s : pgbench TPS", ratio.toFixed(2), "goal >= 0.5");
  line("booking page JS + WASM (brotli KB)", (br / 1024).toFixed(1), "goal <= 80");
  line("answers by status", JSON.stringify(load.statuses), "");
' "$load_json" "$tps" "$page_br"
