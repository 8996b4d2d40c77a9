# The two commands a newcomer needs: `make run` and `make test`.
# Everything else here is for day-to-day development.

.PHONY: run test check test-clock size bench flood lighthouse lighthouse-slow db-stop db-wipe prepare

## Set up and serve the app with demo data at http://127.0.0.1:3000
run:
	@scripts/run.sh

## Set up and run every check and test (what CI runs)
test:
	@scripts/test.sh

## The inner loop: formatting, lints and the Rust tests whose names hold T (make check T=booking), unoptimised; no release site, no browser
check:
	@T="$(T)" scripts/check.sh

## The Rust and browser tests with the whole stack's clock moved to 23:30, 00:30, a Saturday, 31 December and 06:55 (CLOCK_AT=..., CLOCK_SUITES=rust|browser)
test-clock:
	@scripts/test-clock.sh

## Brotli bytes of each citizen page: HTML, CSS, JS + WebAssembly, against the goals
size:
	@scripts/size.sh

## Booking load (64 clients) against pgbench on one private cluster, and the booking page's bundle size
bench:
	@scripts/bench.sh

## Peak memory of a release server under 200 simultaneous sign-ins (needs the release build)
flood:
	@scripts/signin-flood.sh

## Lighthouse (phone profile) on every citizen page of a running server (BASE_URL)
lighthouse:
	@scripts/lighthouse.sh phone

## Lighthouse on a cheap phone over slow 3G (RTT 300 ms, 400 kbps, CPU x6), same pages
lighthouse-slow:
	@scripts/lighthouse.sh slow

## Stop the private development PostgreSQL cluster (.data/postgres)
db-stop:
	@bash -c 'source scripts/lib.sh && if [ -e "$$ROOT/.data/postgres" ]; then pg_stop "$$(readlink -f "$$ROOT/.data/postgres")"; fi'

## Delete the private development cluster and all its data
db-wipe: db-stop
	@bash -c 'source scripts/lib.sh && d=$$(readlink -f "$$ROOT/.data/postgres" || true); rm -rf "$$ROOT/.data/postgres" "$$d"' && echo "development database deleted"

## Refresh .sqlx/ (the offline query data) after changing SQL; needs the dev cluster
prepare:
	@command -v sqlx >/dev/null || cargo install sqlx-cli --version '~0.8' --no-default-features --features postgres,rustls --locked
	@bash -c 'source scripts/lib.sh && d=$$(dev_cluster_dir) && pg_start "$$d" $${TIEPDAN_PG_PORT:-55432} && \
	  pg_create_db postgres://postgres@127.0.0.1:$${TIEPDAN_PG_PORT:-55432}/postgres tiepdan_sqlx && \
	  export DATABASE_URL=postgres://postgres@127.0.0.1:$${TIEPDAN_PG_PORT:-55432}/tiepdan_sqlx && \
	  cargo sqlx migrate run && cargo sqlx prepare --workspace'
