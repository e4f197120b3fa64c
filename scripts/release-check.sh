#!/usr/bin/env bash
# The release binary carries the site inside it: started from another directory with nothing
# beside it, its pages load their CSS, JS and WASM (compressed when asked, cached for a year),
# and they still do after a debug build has replaced `target/site` under it.
#   scripts/release-check.sh            (builds with `make build-release` first)
#   scripts/release-check.sh BINARY     (an already built release binary)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$HOME/.cache/marketplace/target}
if [ $# -eq 0 ]; then
  make --no-print-directory build-release >&2
  set -- "$target/release/server"
fi
work=$(mktemp -d)
cp "$1" "$work/server"
port=${CHECK_PORT:-3400}
base="http://127.0.0.1:$port"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "release check FAILED: $*" >&2; exit 1; }

DATABASE_URL=$(PG_CLUSTER=test scripts/pg.sh recreatedb marketplace_release_check)
# Nothing of the checkout is visible to it: another directory, no LEPTOS_* but the address.
(
  cd "$work"
  export DATABASE_URL APP_ENV=demo DATA_DIR="$work/data" LEPTOS_SITE_ADDR="127.0.0.1:$port" RUN_JOBS=false
  env -u LEPTOS_SITE_ROOT -u LEPTOS_OUTPUT_NAME ./server migrate >/dev/null
  env -u LEPTOS_SITE_ROOT -u LEPTOS_OUTPUT_NAME ./server seed-demo --products 40 >/dev/null
  exec env -u LEPTOS_SITE_ROOT -u LEPTOS_OUTPUT_NAME ./server serve >"$work/server.log" 2>&1
) &
pid=$!
for _ in $(seq 200); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.1; done
curl -sf "$base/readyz" >/dev/null || { cat "$work/server.log" >&2; fail "the server did not start"; }

# The bundle as the home page names it.
assets() { curl -sf "$base/" | grep -oE '/pkg/[^"'"'"' ]+\.(css|js|wasm)' | sort -u; }
mapfile -t before < <(assets)
[ "${#before[@]}" -eq 3 ] || fail "expected a CSS, a JS and a WASM file on the home page, got: ${before[*]}"

# check URL TYPE: 200 with its type, cached for a year, brotli when asked; prints its digest.
check() {
  local headers
  headers=$(curl -s -o "$work/body" -D - -H 'Accept-Encoding: br' "$base$1")
  grep -qi '^HTTP/[0-9.]* 200' <<<"$headers" || fail "$1: $(head -1 <<<"$headers")"
  grep -qi "^content-type: $2" <<<"$headers" || fail "$1 is not $2"
  grep -qi '^cache-control: public, max-age=31536000, immutable' <<<"$headers" || fail "$1 is not cached for a year"
  grep -qi '^content-encoding: br' <<<"$headers" || fail "$1 was not sent compressed"
  sha256sum "$work/body" | cut -d' ' -f1
}
declare -A digest
for url in "${before[@]}"; do
  case $url in
    *.css) type=text/css ;; *.js) type=text/javascript ;; *.wasm) type=application/wasm ;;
  esac
  digest[$url]=$(check "$url" "$type")
done
for file in /manifest.webmanifest /icons/icon.svg /offline.html; do
  curl -sf -o /dev/null "$base$file" || fail "$file is not served"
done
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/pkg/not-a-file.js")
[ "$code" = 404 ] || fail "an unknown /pkg file answered $code"
echo "release binary from $work: ${before[*]} served from inside it" >&2

# A debug build replaces target/site under the running server.
cargo leptos build >&2
mapfile -t after < <(assets)
[ "${after[*]}" = "${before[*]}" ] || fail "the pages changed their files: ${after[*]}"
for url in "${before[@]}"; do
  case $url in
    *.css) type=text/css ;; *.js) type=text/javascript ;; *.wasm) type=application/wasm ;;
  esac
  [ "$(check "$url" "$type")" = "${digest[$url]}" ] || fail "$url changed after the debug build"
done
echo "release check passed: the same files, unchanged, after a debug build replaced target/site"
