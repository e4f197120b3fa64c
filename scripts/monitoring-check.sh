#!/usr/bin/env bash
# Checks the monitoring configuration in deploy/ with Prometheus's own promtool (from Debian's
# `prometheus` package, installed when missing): the alert rules, the scrape configuration, and
# the alerts' unit tests (deploy/prometheus/alerts.test.yml). The metrics they name are checked
# against what /metrics serves by tests/it/monitoring.rs.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v promtool >/dev/null || scripts/apt-install.sh prometheus
cd deploy/prometheus
promtool check rules alerts.yml
promtool check config --syntax-only prometheus.yml
promtool test rules alerts.test.yml
