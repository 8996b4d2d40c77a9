#!/usr/bin/env bash
# `make size`: what a citizen's phone downloads for each citizen page, in
# brotli bytes as the server sends them — the HTML, the stylesheet, and the
# JavaScript + WebAssembly of the page's islands (none on a page without) —
# against the goals:
#   HTML <= 14 KB (the first round trip of a new connection), CSS <= 10 KB,
#   JS + WASM <= 80 KB on a page with islands and 0 on every other page.
# Builds the release site if needed. Measures the server at BASE_URL when
# given, else starts one with the demo data on a throwaway cluster.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

HTML_KB=14
CSS_KB=10
CODE_KB=80
pkg=target/site/pkg
export SQLX_OFFLINE=true
export_leptos_env
use_build_cache
if ! ls "$pkg"/*.wasm.br >/dev/null 2>&1; then
  say "No release build yet: building"
  cargo leptos build --release --precompress --cargo-locked
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tiepdan-size.XXXXXX")
chmod 755 "$WORK"
PIDS=()
PG_DIR=""
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  [ -n "$PG_DIR" ] && pg_stop "$PG_DIR"
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -z "${BASE_URL:-}" ]; then
  say "Starting a server with the demo data on a throwaway cluster"
  PG_DIR="$WORK/pg"
  pg_start "$PG_DIR"
  db="postgres://postgres@localhost/postgres?host=$PG_DIR"
  port=$(free_port)
  export APP_ENV=test DATABASE_URL="$db" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site \
    PUBLIC_URL="http://127.0.0.1:$port" SMTP_URL="smtp://127.0.0.1:1" RUST_LOG=warn
  target/release/server seed-demo >"$WORK/seed.log" 2>&1 || { cat "$WORK/seed.log"; die "seed-demo failed"; }
  target/release/server serve >"$WORK/server.log" 2>&1 &
  PIDS+=($!)
  BASE_URL="http://127.0.0.1:$port"
  wait_http "$BASE_URL/readyz" 60 || { tail -n 20 "$WORK/server.log"; die "the server did not start"; }
fi

# brotli bytes of an asset as served (the precompressed file).
served() { curl -fsS -H 'Accept-Encoding: br' -o /dev/null -w '%{size_download}' "$BASE_URL$1"; }

office=tw-ha-noi
day=$(curl -fsS "$BASE_URL/api/slots?office=$office&days=31" | sed -nE 's/^\[\{"id":[0-9]+,"starts_at":"([0-9-]{10}).*/\1/p')
[ -n "$day" ] || die "no bookable slot at $office"
# A booking, for its ticket page: a plain form post answers with the link.
cccd="001$(printf '%09d' $((RANDOM * 32768 + RANDOM)))"
slot=$(curl -fsS "$BASE_URL/api/slots?office=$office&days=31" | sed -nE 's/^\[\{"id":([0-9]+).*/\1/p')
ticket=$(curl -sS -o /dev/null -w '%{redirect_url}' -H 'Accept: text/html' \
  --data-urlencode "slot_id=$slot" --data-urlencode "full_name=Nguyễn Văn Đo" \
  --data-urlencode "citizen_id=$cccd" --data-urlencode "phone=0912345678" --data-urlencode "email=" \
  --data-urlencode "topic=petition" --data-urlencode "summary=Đo kích thước trang phiếu hẹn." \
  --data-urlencode "party_size=1" --data-urlencode "consent=true" "$BASE_URL/api/bookings/create")
ticket=${ticket#"$BASE_URL"}
case "$ticket" in /my-booking\?t=*) ;; *) die "booking for the ticket page failed ($ticket)";; esac

status=0
printf '%-22s %9s %9s %11s\n' "page (brotli KB)" "HTML" "CSS" "JS + WASM"
row() {
  local name=$1 path=$2 html css code css_path js wasm low=()
  curl -fsS -H 'Accept-Encoding: br' -o "$WORK/page.br" "$BASE_URL$path"
  html=$(stat -c %s "$WORK/page.br")
  curl -fsS -o "$WORK/page.html" "$BASE_URL$path"
  css_path=$(grep -oE '/pkg/[^"]+\.css' "$WORK/page.html" | head -n 1)
  css=$(served "$css_path")
  js=$(grep -oE '/pkg/[^"]+\.js' "$WORK/page.html" | head -n 1 || true)
  wasm=$(grep -oE '/pkg/[^"]+\.wasm' "$WORK/page.html" | head -n 1 || true)
  code=0
  [ -n "$js" ] && code=$((code + $(served "$js")))
  [ -n "$wasm" ] && code=$((code + $(served "$wasm")))
  [ "$html" -le $((HTML_KB * 1024)) ] || low+=("HTML")
  [ "$css" -le $((CSS_KB * 1024)) ] || low+=("CSS")
  if [ -n "$wasm" ]; then
    [ "$code" -le $((CODE_KB * 1024)) ] || low+=("JS + WASM")
  elif [ "$code" -ne 0 ] || grep -q '<script' "$WORK/page.html"; then
    low+=("code on a page without islands")
  fi
  awk -v n="$name" -v h="$html" -v c="$css" -v j="$code" -v i="$([ -n "$wasm" ] && echo islands || echo none)" \
    -v low="${low[*]:-}" 'BEGIN {
      printf "%-22s %9.1f %9.1f %11s", n, h / 1024, c / 1024, (i == "none" ? "0 (none)" : sprintf("%.1f", j / 1024))
      if (low != "") printf "  OVER THE GOAL: %s", low
      printf "\n" }'
  [ ${#low[@]} = 0 ] || status=1
}
row "/" /
row "/book/$office" "/book/$office"
row "/book/...?day=" "/book/$office?day=$day"
row "/my-booking" /my-booking
row "ticket page" "$ticket"
row "/track" /track
row "/waitlist" /waitlist
row "/contact" /contact
row "/privacy" /privacy
echo "goals: HTML <= $HTML_KB KB, CSS <= $CSS_KB KB, JS + WASM <= $CODE_KB KB where a page has islands, none elsewhere"

echo
say "The bundle's files"
printf '%-44s %10s %10s\n' "file" "raw" "brotli"
for f in "$pkg"/*.wasm "$pkg"/*.js "$pkg"/*.css; do
  [ -f "$f" ] || continue
  awk -v n="$(basename "$f")" -v r="$(stat -c %s "$f")" -v b="$(stat -c %s "$f.br")" \
    'BEGIN { printf "%-44s %8.1f KB %8.1f KB\n", n, r / 1024, b / 1024 }'
done
[ $status = 0 ] && echo "every page within its goals" || echo "SOME PAGE OVER ITS GOALS"
exit $status
