#!/usr/bin/env bash
# Installs what `make run` and `make test` need and is missing — and only that.
#   scripts/setup.sh run   → wasm32 target, cargo-leptos, wasm-bindgen-cli, npm packages (wasm-opt)
#   scripts/setup.sh test  → the same, plus Chromium for the browser tests
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

CARGO_LEPTOS_VERSION=0.3.10
step() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

command -v cargo >/dev/null || { echo "Rust is needed: https://rustup.rs" >&2; exit 1; }
command -v npm >/dev/null || { echo "Node.js and npm are needed (Debian: apt-get install nodejs npm)" >&2; exit 1; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  step "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# cargo-leptos 0.3.11 needs a newer rustc than 1.95; 0.3.10 is the same tool. A debug build of
# it installs in a third of the time of a release build and is fast enough for what it does.
if [ "$(cargo leptos --version 2>/dev/null || true)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
  step "Installing cargo-leptos $CARGO_LEPTOS_VERSION (about 7 minutes, once)"
  cargo install --locked --debug cargo-leptos --version "$CARGO_LEPTOS_VERSION"
fi

# The wasm-bindgen CLI must match the library version in Cargo.lock exactly.
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $wb_version" ]; then
  step "Installing wasm-bindgen-cli $wb_version (about 3 minutes, once)"
  # Not --locked: its lockfile pins a crate version the registry mirror here lacks.
  cargo install wasm-bindgen-cli --version "$wb_version"
fi

# npm packages: Playwright (browser tests) and binaryen's wasm-opt (release builds). Debian's
# binaryen is too old: its output broke hydration.
stamp=end2end/node_modules/.package-lock.stamp
if [ ! -f "$stamp" ] || ! cmp -s end2end/package-lock.json "$stamp"; then
  step "Installing npm packages in end2end/"
  (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
  cp end2end/package-lock.json "$stamp"
fi

if [ "${1:-run}" = test ]; then
  # Debian's Chromium, never a browser download; a real SMTP server for the mail test.
  "$root/scripts/apt-install.sh" chromium python3-aiosmtpd python3-venv
  # Stripe's official Python library signs webhook payloads in the tests, as an independent
  # client of our verification (PyPI, pinned).
  venv="$root/.data/python"
  if ! "$venv/bin/python" -c 'import stripe, sys; sys.exit(stripe.VERSION != "13.2.1")' 2>/dev/null; then
    step "Installing Stripe's Python library for the webhook tests"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "stripe==13.2.1"
  fi
fi
