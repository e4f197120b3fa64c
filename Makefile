# The two commands a new user needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# Builds survive between runs (and between clones) here; a fresh machine just starts empty.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/marketplace/target
export SQLX_OFFLINE ?= true
export LEPTOS_OUTPUT_NAME := marketplace
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

E2E_PORT ?= 3100
E2E_DB ?= marketplace_e2e

.PHONY: help run dev test lint unit e2e setup build-release build-debug db-start db-stop db-reset \
        sqlx-prepare bench fmt clean-data backup-check cluster-check ops-check release-check \
        upgrade-side-by-side docker-check

help:
	@echo "make run      build (release) and serve the demo marketplace on http://127.0.0.1:3000"
	@echo "make test     everything CI runs: fmt, clippy, Rust tests, browser tests"
	@echo "make dev      rebuild and restart on every change (cargo leptos watch)"
	@echo "make db-stop  stop the embedded PostgreSQL; make db-reset deletes its data"
	@echo "make bench    load-test the release build (see docs/PERFORMANCE.md)"

setup:
	scripts/setup.sh run

# The release binary carries the site (`embed-site`): cargo-leptos builds the site and the
# server side by side, so the server is built once more when the site is newer than what it
# embedded, with cargo-leptos's hash file beside the site.
build-release: setup
	cargo leptos build --release --precompress --bin-features embed-site
	cp "$(CARGO_TARGET_DIR)/release/hash.txt" target/site/hash.txt
	cargo build --release -p server --features embed-site

# The release binary serves its own site from any directory, untouched by a later debug build.
release-check:
	scripts/release-check.sh

# The server binary is the one `cargo test` builds (its dev-dependencies' features included),
# so `make test` compiles the server once for the Rust tests and the browser suite alike;
# cargo-leptos builds only the site (WASM, JS, CSS, public/) and its hash.txt beside it.
build-debug:
	cargo test -p app -p server --no-run
	# The previous version's server for the side-by-side upgrade check, built once per version.
	scripts/upgrade-side-by-side.sh build
	cargo leptos build --frontend-only

run: build-release
	scripts/run.sh "$(CARGO_TARGET_DIR)/release/server"

dev: setup
	export APP_ENV=$${APP_ENV:-demo}
	if [ -z "$${DATABASE_URL:-}" ]; then DATABASE_URL=$$(scripts/pg.sh createdb marketplace); export DATABASE_URL; fi
	"$(CARGO_TARGET_DIR)/release/server" migrate 2>/dev/null || cargo run -p server -- migrate
	cargo leptos watch

fmt:
	cargo fmt --all

test: 
	scripts/setup.sh test
	scripts/prune-cache.sh
	$(MAKE) --no-print-directory lint unit e2e ops-check

lint:
	cargo fmt --all --check
	cargo clippy -p app -p server --all-targets -- -D warnings
	# The release binary's own code path (the site inside it), on whatever target/site holds.
	cargo clippy -p server --features embed-site -- -D warnings
	cargo clippy -p frontend -p app --features app/hydrate --target wasm32-unknown-unknown -- -D warnings
	# The alert rules, scrape configuration and alert unit tests in deploy/, with promtool.
	scripts/monitoring-check.sh

unit:
	DATABASE_URL=$$(PG_CLUSTER=test scripts/pg.sh createdb marketplace_test)
	export DATABASE_URL
	# The previous version's queries on this version's schema (zero-downtime upgrades).
	scripts/upgrade-check.sh
	# With a private Meilisearch for the search engine's suite (SKIPPED, loudly, without one).
	scripts/with-meilisearch.sh cargo test -p app -p server

e2e: build-debug
	DATABASE_URL=$$(PG_CLUSTER=test scripts/pg.sh recreatedb $(E2E_DB))
	export DATABASE_URL DATA_DIR=$(CURDIR)/.data/e2e APP_ENV=demo
	server="$(CARGO_TARGET_DIR)/debug/server"
	"$$server" migrate
	"$$server" seed-demo
	export E2E_SERVER_CMD="$$server serve" E2E_PORT=$(E2E_PORT)
	cd end2end && npx playwright test

# Point-in-time recovery from a base backup and archived WAL, with the debug server e2e built.
backup-check:
	scripts/pitr-check.sh "$(CARGO_TARGET_DIR)/debug/server"

# Two instances behind nginx on one database (deploy/), with the debug server e2e built.
cluster-check:
	scripts/cluster-check.sh "$(CARGO_TARGET_DIR)/debug/server"

# The previous version and this one serving one database side by side (a rolling upgrade).
upgrade-side-by-side: build-debug
	scripts/upgrade-side-by-side.sh "$(CARGO_TARGET_DIR)/debug/server"

# The container image built and compose.yaml run on a Docker engine (a private one when none
# answers), then the shop it serves checked. Not in `make test`: the image is a release build.
docker-check:
	scripts/docker-check.sh

# All three at once: each has its own PostgreSQL cluster and ports, and mostly waits.
ops-check:
	scripts/pitr-check.sh "$(CARGO_TARGET_DIR)/debug/server" &
	pitr=$$!
	scripts/upgrade-side-by-side.sh "$(CARGO_TARGET_DIR)/debug/server" &
	upgrade=$$!
	scripts/cluster-check.sh "$(CARGO_TARGET_DIR)/debug/server"
	wait $$pitr
	wait $$upgrade

db-start:
	scripts/pg.sh start

db-stop:
	scripts/pg.sh stop
	PG_CLUSTER=test scripts/pg.sh stop

db-reset: db-stop
	rm -rf .data/postgres-run

# Regenerates .sqlx/ (commit it) after changing a query or a migration.
sqlx-prepare:
	command -v cargo-sqlx >/dev/null || cargo install --locked sqlx-cli --version 0.8.6 --no-default-features --features postgres,rustls
	DATABASE_URL=$$(PG_CLUSTER=test scripts/pg.sh recreatedb marketplace_prepare)
	export DATABASE_URL
	scripts/schema-for-macros.sh "$$DATABASE_URL" >/dev/null
	SQLX_OFFLINE=false cargo sqlx prepare --workspace -- -p app -p server --all-targets

bench: build-release
	scripts/bench.sh "$(CARGO_TARGET_DIR)/release/server"
