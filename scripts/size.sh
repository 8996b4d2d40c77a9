#!/usr/bin/env bash
# `make size`: what a citizen's phone downloads to make a page interactive —
# the raw and brotli sizes of the served WebAssembly and JavaScript — against
# the budget of 120 KB brotli. Builds the release site first if needed.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

BUDGET_KB=120
pkg=target/site/pkg
if ! ls "$pkg"/*.wasm.br >/dev/null 2>&1; then
  say "No release build yet: building"
  SQLX_OFFLINE=true cargo leptos build --release --precompress
fi

row() { awk -v n="$1" -v r="$2" -v b="$3" 'BEGIN { printf "%-44s %8.1f KB %8.1f KB\n", n, r / 1024, b / 1024 }'; }
total_raw=0; total_br=0
printf '%-44s %10s %10s\n' "file" "raw" "brotli"
for f in "$pkg"/*.wasm "$pkg"/*.js "$pkg"/*.css; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f"); br=$(stat -c %s "$f.br")
  row "$(basename "$f")" "$raw" "$br"
  case "$f" in *.css) ;; *) total_raw=$((total_raw + raw)); total_br=$((total_br + br));; esac
done
row "JS + WebAssembly" "$total_raw" "$total_br"
if [ "$total_br" -le $((BUDGET_KB * 1024)) ]; then
  echo "within the ${BUDGET_KB} KB brotli budget"
else
  echo "OVER the ${BUDGET_KB} KB brotli budget"; exit 1
fi
