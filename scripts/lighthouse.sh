#!/usr/bin/env bash
# `make lighthouse` / `make lighthouse-slow`: Lighthouse over every citizen
# page of a running server, against the project's goals (scripts/lighthouse.mjs):
#   lighthouse.sh phone   Lighthouse's phone profile: performance >= 98;
#                         accessibility, best practices, SEO 100
#   lighthouse.sh slow    a cheap phone on slow 3G (RTT 300 ms, 400 kbps,
#                         CPU x6): performance >= 95, LCP <= 2.5 s
#   BASE_URL   the server (default http://127.0.0.1:3000, i.e. `make run`)
#   LH_RUNS    runs per page, the median shown (default 3)
# Lighthouse is installed once, from npm, into .data/lighthouse.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

BASE_URL=${BASE_URL:-http://127.0.0.1:3000}
LH_DIR="$ROOT/.data/lighthouse"
if [ ! -x "$LH_DIR/node_modules/.bin/lighthouse" ]; then
  say "Installing Lighthouse 12.8 into .data/lighthouse"
  mkdir -p "$LH_DIR"
  (cd "$LH_DIR" && npm install --no-audit --no-fund --silent lighthouse@12.8)
fi
curl -fsS -o /dev/null "$BASE_URL/healthz" || die "no server at $BASE_URL (start one with make run)"
BASE_URL="$BASE_URL" node "$ROOT/scripts/lighthouse.mjs" "${1:-phone}" "$LH_DIR/node_modules/.bin/lighthouse"
