#!/usr/bin/env bash
# Builds the image from deploy/docker/Dockerfile and runs deploy/docker/compose.yaml, then
# checks the shop it serves: the page and its embedded assets, search through Meilisearch, a
# user without privileges, JSON logs, a backup made inside the container, and a restart that
# keeps the data. Not part of `make test`: a cold image build is a full release build.
#   scripts/docker-check.sh            (make docker-check)
#
# Docker: the engine DOCKER_HOST (or the default socket) points at, or else a private one
# started here from Debian's docker.io, with its images kept in ~/.cache/marketplace/docker.
# Compose v2 from Debian's package when `docker compose` is missing.
# DOCKER_CHECK_BUILD=0 checks the `marketplace` image already built instead of building it.
# Base images that cannot be pulled (no registry is reachable from this machine) are built in
# their place under the same names, and only when missing: debian:bookworm-slim by
# debootstrap; rust:1.95-bookworm from it and this machine's Rust toolchain; postgres:15 from
# Debian's PostgreSQL 15 with the official image's variables; getmeili/meilisearch:v1.50
# from MEILISEARCH_BIN or ../shared/tools/meilisearch. An engine that has the real images
# uses them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work=$root/.data/docker-check
engine_root=$HOME/.cache/marketplace/docker
project=marketplace-check
started=$(date +%s)
# free_port, shared with the other loopback checks.
source "$root/scripts/lib/loopback.sh"
step() { printf '\033[1m==> %s\033[0m (%ss)\n' "$*" "$(($(date +%s) - started))" >&2; }
fail() { echo "docker check FAILED: $*" >&2; exit 1; }
# What a private engine left mounted under the directory (its network namespace files).
unmount() { awk -v dir="$work/" 'index($2, dir) == 1 { print $2 }' /proc/mounts | sort -r | xargs -r umount -l; }
# A private engine an interrupted run left behind.
if [ -f "$work/dockerd.pid" ] && kill "$(cat "$work/dockerd.pid")" 2>/dev/null; then
  while kill -0 "$(cat "$work/dockerd.pid")" 2>/dev/null; do sleep 0.2; done
fi
unmount
rm -rf "$work"
mkdir -p "$work"

# --- the engine -------------------------------------------------------------------------
dockerd_pid=""
cleanup() {
  if [ -n "${compose_ready:-}" ]; then
    compose down --volumes --timeout 5 >/dev/null 2>&1 || true
  fi
  if [ -n "$dockerd_pid" ]; then
    kill "$dockerd_pid" 2>/dev/null && wait "$dockerd_pid" 2>/dev/null
    unmount
  fi
  true
}
trap cleanup EXIT
if ! docker info >/dev/null 2>&1; then
  scripts/apt-install.sh docker.io debootstrap
  step "Starting a private Docker engine"
  export DOCKER_HOST=unix://$work/docker.sock
  # No bridge of its own and no firewall rules: builds use the host's network, and compose's
  # network connects the containers to each other.
  /usr/sbin/dockerd --data-root "$engine_root" --exec-root "$work/exec" -H "$DOCKER_HOST" \
    --pidfile "$work/dockerd.pid" --iptables=false --ip6tables=false --bridge=none \
    >"$work/dockerd.log" 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 100); do docker info >/dev/null 2>&1 && break; sleep 0.2; done
  docker info >/dev/null 2>&1 || { tail -20 "$work/dockerd.log" >&2; fail "the Docker engine did not start"; }
fi
# The classic builder: BuildKit would need the buildx plugin, which no reachable registry has.
export DOCKER_BUILDKIT=0

if ! docker compose version >/dev/null 2>&1; then
  # Debian 13's package of Compose v2 (a static program), pinned by its digest.
  deb=docker-compose_2.26.1-4_amd64.deb
  sum=47681197cb2b1ab88206b42a1a92fc75f50d9530a6322d03494a473eed0408ea
  plugins=$HOME/.cache/marketplace/docker-cli/cli-plugins
  if [ ! -x "$plugins/docker-compose" ]; then
    step "Installing Compose v2 from Debian's $deb"
    curl -fsSL -o "$work/$deb" "http://deb.debian.org/debian/pool/main/d/docker-compose/$deb"
    echo "$sum  $work/$deb" | sha256sum -c --quiet - || fail "$deb does not have the expected digest"
    dpkg-deb -x "$work/$deb" "$work/compose-deb"
    mkdir -p "$plugins"
    cp "$work/compose-deb/usr/libexec/docker/cli-plugins/docker-compose" "$plugins/"
  fi
  export DOCKER_CONFIG=$(dirname "$plugins")
fi

# --- base images that cannot be pulled here ----------------------------------------------
have() { docker image inspect "$1" >/dev/null 2>&1; }
standin() { # NAME DIR: builds DIR (its Dockerfile) as NAME, labelled a stand-in
  step "Building a stand-in for $1"
  docker build -q --network host --label "org.opencontainers.image.description=stand-in for $1, built by scripts/docker-check.sh" \
    -t "$1" "$2" >"$work/standin.log" 2>&1 || { tail -20 "$work/standin.log" >&2; fail "the stand-in for $1 did not build"; }
}
if ! have debian:bookworm-slim; then
  step "Building a stand-in for debian:bookworm-slim (debootstrap)"
  debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
    || { tail "$work/debootstrap.log" >&2; fail "debootstrap failed"; }
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  # The certificate authorities this machine adds to Debian's (a proxy between it and the
  # registries, say), which `ca-certificates` takes in when an image installs it.
  mkdir -p "$work/rootfs/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$work/rootfs/usr/local/share/ca-certificates/" 2>/dev/null || true
  tar -C "$work/rootfs" -c . | docker import --change 'CMD ["bash"]' - debian:bookworm-slim >/dev/null
  rm -rf "$work/rootfs"
fi
if ! have rust:1.95-bookworm; then
  dir=$work/rust && mkdir -p "$dir/rustup/toolchains" "$dir/bin"
  # This machine's toolchain (with its wasm32 target), laid out as the official image has it.
  sysroot=$(rustc --print sysroot)
  cp -a "$sysroot" "$dir/rustup/toolchains/$(basename "$sysroot")"
  printf 'version = "12"\ndefault_toolchain = "%s"\n' "$(basename "$sysroot")" >"$dir/rustup/settings.toml"
  for tool in rustup cargo rustc rustdoc; do cp "$(command -v rustup)" "$dir/bin/$tool"; done
  cat >"$dir/Dockerfile" <<'EOF'
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl gcc libc6-dev \
    make git pkg-config binutils && rm -rf /var/lib/apt/lists/*
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
COPY rustup /usr/local/rustup
COPY bin /usr/local/cargo/bin
EOF
  standin rust:1.95-bookworm "$dir"
  rm -rf "$dir"
fi
if ! have postgres:15; then
  dir=$work/postgres && mkdir -p "$dir"
  # The official image's interface: POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB make the
  # cluster on first start in /var/lib/postgresql/data; it listens on every address.
  cat >"$dir/entrypoint.sh" <<'EOF'
#!/bin/sh
set -eu
export PGDATA=/var/lib/postgresql/data
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  printf '%s\n' "$POSTGRES_PASSWORD" >/tmp/password
  initdb -U "$POSTGRES_USER" --pwfile=/tmp/password --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm /tmp/password
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  pg_ctl -w -o "-c listen_addresses=''" start >/dev/null
  createdb -U "$POSTGRES_USER" "${POSTGRES_DB:-$POSTGRES_USER}"
  pg_ctl -w stop >/dev/null
fi
exec postgres -c listen_addresses='*'
EOF
  chmod 755 "$dir/entrypoint.sh"
  cat >"$dir/Dockerfile" <<'EOF'
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-15 \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /var/lib/postgresql/data /var/run/postgresql \
    && chown -R postgres /var/lib/postgresql /var/run/postgresql
COPY entrypoint.sh /usr/local/bin/
ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
USER postgres
EXPOSE 5432
ENTRYPOINT ["entrypoint.sh"]
EOF
  standin postgres:15 "$dir"
fi
if ! have getmeili/meilisearch:v1.50; then
  meili=${MEILISEARCH_BIN:-$root/../shared/tools/meilisearch}
  [ -x "$meili" ] || fail "getmeili/meilisearch:v1.50 is missing and there is no Meilisearch binary to stand in for it"
  dir=$work/meilisearch && mkdir -p "$dir"
  cp "$meili" "$dir/meilisearch"
  cat >"$dir/Dockerfile" <<'EOF'
FROM debian:bookworm-slim
COPY meilisearch /bin/meilisearch
WORKDIR /meili_data
ENV MEILI_HTTP_ADDR=0.0.0.0:7700 MEILI_NO_ANALYTICS=true
EXPOSE 7700
CMD ["/bin/meilisearch"]
EOF
  standin getmeili/meilisearch:v1.50 "$dir"
fi

# --- the image ---------------------------------------------------------------------------
if [ "${DOCKER_CHECK_BUILD:-1}" = 1 ]; then
  step "Building the marketplace image"
  docker build --force-rm --network host -f deploy/docker/Dockerfile -t marketplace . >"$work/build.log" 2>&1 \
    || { tail -30 "$work/build.log" >&2; fail "the image did not build"; }
fi
size=$(docker image inspect marketplace --format '{{.Size}}')
step "Built: $((size / 1000000)) MB"

# --- compose -----------------------------------------------------------------------------
port=$(free_port)
base=http://127.0.0.1:$port
key() { head -c 32 /dev/urandom | base64 | tr -d '/+='; }
cat >"$work/compose.env" <<EOF
POSTGRES_PASSWORD=$(key)
MEILI_MASTER_KEY=$(key)
MARKETPLACE_PORT=$port
MARKETPLACE_ENV_FILE=$work/marketplace.env
EOF
# Production, with Stripe keys of the right shape (no payment is made here).
cat >"$work/marketplace.env" <<EOF
SECRET_KEY=$(head -c 32 /dev/urandom | base64)
PUBLIC_URL=$base
STRIPE_SECRET_KEY=sk_test_docker_check
STRIPE_PUBLISHABLE_KEY=pk_test_docker_check
STRIPE_WEBHOOK_SECRET=whsec_docker_check
EOF
compose() { docker compose -p "$project" -f deploy/docker/compose.yaml --env-file "$work/compose.env" "$@"; }
compose down --volumes --timeout 5 >/dev/null 2>&1 || true
compose_ready=1

step "Starting PostgreSQL and Meilisearch, migrating"
compose up -d --no-build --pull never --wait postgres meilisearch >"$work/compose.log" 2>&1 \
  || { cat "$work/compose.log" >&2; fail "PostgreSQL or Meilisearch did not start"; }
compose run --rm --no-deps migrate >/dev/null
# A catalogue to search: the demo's, with its published-password accounts closed afterwards
# as an operator going live would, then indexed in Meilisearch.
compose run --rm --no-deps -e APP_ENV=demo migrate seed-demo --products 40 >/dev/null
compose run --rm --no-deps migrate delete-demo-accounts >/dev/null
compose run --rm --no-deps migrate reindex >/dev/null

step "Starting the marketplace"
compose up -d --no-build --pull never >>"$work/compose.log" 2>&1 || { cat "$work/compose.log" >&2; fail "compose up failed"; }
container=$(compose ps -q marketplace)
healthy() {
  for _ in $(seq 90); do
    [ "$(docker inspect "$container" --format '{{.State.Health.Status}}')" = healthy ] && return 0
    sleep 1
  done
  compose logs marketplace | tail -20 >&2
  fail "the marketplace did not become healthy"
}
healthy

# --- what it serves ----------------------------------------------------------------------
ready=$(curl -sf "$base/readyz") || fail "/readyz did not answer 200"
python3 - "$ready" <<'EOF' || fail "/readyz: $ready"
import json, sys
r = json.loads(sys.argv[1])
assert r["database"] == "ok", r
assert r["search"]["engine"] == "meilisearch" and r["search"]["status"] == "ok", r
EOF
home=$(curl -sf "$base/") || fail "the home page did not answer 200"
mapfile -t assets < <(grep -oE '/pkg/[^"'"'"' ]+\.(css|js|wasm)' <<<"$home" | sort -u)
[ "${#assets[@]}" -eq 3 ] || fail "expected a CSS, a JS and a WASM file on the home page, got: ${assets[*]}"
for url in "${assets[@]}"; do
  headers=$(curl -s -o /dev/null -D - -H 'Accept-Encoding: br' "$base$url")
  grep -qi '^HTTP/[0-9.]* 200' <<<"$headers" || fail "$url: $(head -1 <<<"$headers")"
  grep -qi '^content-encoding: br' <<<"$headers" || fail "$url was not sent compressed"
done
# A search through Meilisearch: a word of the catalogue's, misspelt, still finds it.
word=$(compose exec -T postgres psql -U marketplace -d marketplace -Atc \
  "select w from products, regexp_split_to_table(lower(title), '[^a-z]+') w
   where status = 'active' and length(w) >= 6 order by w limit 1")
typo=${word:0:2}${word:3:1}${word:2:1}${word:4}
results=$(curl -sf "$base/search?q=$typo") || fail "the search page did not answer 200"
grep -q 'href="/p/' <<<"$results" && grep -qi "$word" <<<"$results" \
  || fail "searching '$typo' found no product with '$word'"
user=$(compose exec -T marketplace id -u)
[ "$user" = 10001 ] || fail "the server runs as user $user"
# One JSON line per request: method, path, request id, status and time.
docker logs "$container" >"$work/server.log" 2>&1
python3 - "$work/server.log" <<'EOF' || { tail -5 "$work/server.log" >&2; fail "the log has no JSON line for the search"; }
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
done = [l for l in lines if l.get("message") == "finished processing request" and l["span"]["path"] == "/search"]
assert done and done[0]["status"] == 200 and len(done[0]["span"]["request_id"]) == 36, done
EOF

step "Backing up inside the container, restarting"
compose exec -T marketplace marketplace backup --to /var/lib/marketplace/backups >"$work/backup.log" 2>&1 \
  || { cat "$work/backup.log" >&2; fail "backup failed"; }
dumps=$(compose exec -T marketplace sh -c 'ls /var/lib/marketplace/backups/*/*.dump 2>/dev/null | wc -l')
[ "$dumps" -ge 1 ] || fail "the backup left no dump"
products=$(curl -sf "$base/search?q=$word" | grep -oic "$word")
compose restart marketplace >/dev/null
healthy
[ "$(curl -sf "$base/search?q=$word" | grep -oic "$word")" = "$products" ] || fail "the restart lost data"

step "docker check passed: image $((size / 1000000)) MB, served by compose on $base"
