#!/usr/bin/env bash
# `promtool check metrics` on the /metrics output of every server binary: the
# four services on their own, and `gzedu serve` after the bundled city is
# imported and evaluated (so the domain gauges carry their district,
# indicator and stage labels).
# Usage: check_metrics_test.sh GZEDU REGISTRY ROTATION LEDGER EVALUATION
set -euo pipefail
gzedu=$1
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Starts a server in the background; sets `grpc` and `metrics` from its
# "listening grpc=... metrics=..." line.
start() {
  local name=$1
  shift
  "$@" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=($!)
  for _ in $(seq 1 200); do
    if grep -q '^listening ' "$work/$name.out"; then
      grpc=$(grep -o 'grpc=[^ ]*' "$work/$name.out" | cut -d= -f2)
      metrics=$(grep -o 'metrics=[^ ]*' "$work/$name.out" | cut -d= -f2)
      return
    fi
    sleep 0.1
  done
  echo "$name did not start:" >&2
  cat "$work/$name.err" >&2
  exit 1
}

check() {
  local name=$1
  curl -sf "http://$metrics/metrics" >"$work/$name.metrics"
  if ! promtool check metrics <"$work/$name.metrics"; then
    echo "FAIL: promtool check metrics on $name" >&2
    exit 1
  fi
  echo "$name: $(grep -vc '^#' "$work/$name.metrics") samples pass promtool check metrics"
}

for binary in "$@"; do
  name=$(basename "$binary")
  start "$name" "$binary" --listen=127.0.0.1:0 --metrics-listen=127.0.0.1:0 "--database=sqlite:$work/$name.db"
  check "$name"
done

# The evaluation service configured with a Redis that does not answer:
# gzedu_redis_connected appears (0) only when Redis is configured.
evaluation=${!#}
start redis-down "$evaluation" --listen=127.0.0.1:0 --metrics-listen=127.0.0.1:0 "--database=sqlite:$work/down.db" \
  --redis=redis://127.0.0.1:9
check "evaluation with Redis down"
grep -q '^gzedu_redis_connected 0' "$work/evaluation with Redis down.metrics"

start serve "$gzedu" serve --listen=127.0.0.1:0 --metrics-listen=127.0.0.1:0 --data-dir "$work/serve"
if ! "$gzedu" import bundle --target "$grpc" "$root/data/guangzhou" >"$work/import.log" 2>&1 \
  || ! "$gzedu" evaluate --target "$grpc" --district all >>"$work/import.log" 2>&1; then
  tail -20 "$work/import.log" >&2
  exit 1
fi
check "gzedu serve"
grep -q '^gzedu_indicator_meets_standard{' "$work/gzedu serve.metrics"
grep -q '^gzedu_indicator_cv_max{' "$work/gzedu serve.metrics"

# Every metric the alert rules and the Grafana dashboard use is one a binary
# exports (a renamed metric would silently blank a panel or an alert).
cat "$work"/*.metrics >"$work/all.metrics"
missing=0
for name in $(grep -ohE '\b(gzedu|grpc_server)_[a-z_]+' "$root/deploy/prometheus/alerts.yml" \
  "$root/deploy/grafana/gzedu-dashboard.json" | sort -u); do
  base=${name%_bucket}
  if ! grep -qE "^# TYPE ($name|$base) " "$work/all.metrics"; then
    echo "FAIL: $name is used by the alerts or the dashboard but no binary exports it" >&2
    missing=1
  fi
done
[ "$missing" -eq 0 ]
echo "every metric the alerts and the dashboard use is exported"
