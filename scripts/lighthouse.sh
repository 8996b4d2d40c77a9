#!/usr/bin/env bash
# `make lighthouse`: Lighthouse on a phone profile (its default: a mid-range
# phone on slow 4G) for the public pages of a running server, against the
# project's bars: performance >= 98; accessibility, best practices, SEO 100.
#   BASE_URL   the server (default http://127.0.0.1:3000, i.e. `make run`)
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

status=0
#   LH_PATHS   the pages (default: every public page)
for path in ${LH_PATHS:-/ /contact /privacy /book/tw-ha-noi /my-booking /track}; do
  report="$LH_DIR/report.json"
  CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} "$LH_DIR/node_modules/.bin/lighthouse" "$BASE_URL$path" \
    --quiet --output=json --output-path="$report" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
  node -e '
    const [report, path] = process.argv.slice(1);
    const c = require(report).categories;
    const score = (k) => Math.round(c[k].score * 100);
    const bars = { performance: 98, accessibility: 100, "best-practices": 100, seo: 100 };
    const line = Object.keys(bars).map((k) => `${k} ${score(k)}`).join(", ");
    const low = Object.keys(bars).filter((k) => score(k) < bars[k]);
    console.log(`${path}: ${line}${low.length ? "  BELOW THE BAR: " + low.join(", ") : ""}`);
    process.exit(low.length ? 1 : 0);' "$report" "$path" || status=1
done
exit $status
