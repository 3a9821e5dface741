#!/usr/bin/env bash
# The Prometheus configuration and alert rules: promtool check config, check
# rules, and the rule unit tests (the indicator regression alert fires on a
# series going from 1 to 0, and not before).
set -euo pipefail
dir=$(cd "$(dirname "$0")/../../deploy/prometheus" && pwd)
cd "$dir"
promtool check config prometheus.yml
promtool check rules alerts.yml
promtool test rules alerts_test.yml
