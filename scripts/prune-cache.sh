#!/usr/bin/env bash
# Keeps the shared build cache (CARGO_TARGET_DIR) from growing without bound. Dependencies are
# what the cache is for; this workspace's own crates are rebuilt by every clone at a new path
# anyway (their artifacts are keyed by it), so their artifacts and incremental sessions that
# no build touched for PRUNE_AFTER_MINUTES (default 6 h) are deleted.
set -euo pipefail
target=${CARGO_TARGET_DIR:?CARGO_TARGET_DIR is not set}
[ -d "$target" ] || exit 0
minutes=${PRUNE_AFTER_MINUTES:-360}
before=$(du -sm "$target" | cut -f1)
find "$target" -path '*/deps/*' -maxdepth 4 -type f -mmin +"$minutes" \
  \( -name 'app-*' -o -name 'server-*' -o -name 'frontend-*' -o -name 'it-*' \
     -o -name 'libapp-*' -o -name 'libserver-*' -o -name 'libfrontend-*' \) -delete
find "$target" -path '*/incremental/*' -mindepth 3 -maxdepth 3 -type d -mmin +"$minutes" \
  -exec rm -rf {} +
after=$(du -sm "$target" | cut -f1)
if [ "$before" != "$after" ]; then
  echo "build cache: $before MB → $after MB (stale workspace artifacts removed)" >&2
fi
