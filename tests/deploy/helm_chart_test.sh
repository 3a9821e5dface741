#!/usr/bin/env bash
# The Helm chart: `helm lint --strict` and `helm template` with the default
# and the production-like values, every rendered object validated against the
# Kubernetes and Prometheus-operator models, and values.schema.json shown to
# reject unknown keys and wrong types.
# Usage: helm_chart_test.sh HELM NODE_TOOLS_DIR
set -euo pipefail
helm=$1
tools=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
chart=$root/helm/gzedu
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
operator=(--api-versions monitoring.coreos.com/v1/ServiceMonitor --api-versions monitoring.coreos.com/v1/PrometheusRule)
quiet() { grep -v 'found symbolic link in path' || true; }  # files/alerts.yml links to deploy/

echo "== helm lint --strict (defaults, production values)"
"$helm" lint --strict "$chart" 2>&1 | quiet
"$helm" lint --strict "$chart" -f "$chart/ci/production-values.yaml" 2>&1 | quiet

echo "== helm template + validation"
"$helm" template gzedu "$chart" 2> >(quiet >&2) >"$work/default.yaml"
node "$tools/validate-manifests.mjs" "$work/default.yaml"
"$helm" template gzedu "$chart" "${operator[@]}" 2> >(quiet >&2) >"$work/default-operator.yaml"
node "$tools/validate-manifests.mjs" "$work/default-operator.yaml" --expect-operator
"$helm" template prod "$chart" -f "$chart/ci/production-values.yaml" "${operator[@]}" 2> >(quiet >&2) \
  >"$work/production.yaml"
node "$tools/validate-manifests.mjs" "$work/production.yaml" --expect-operator
# Autoscaled services leave replicas to their HorizontalPodAutoscaler.
grep -q 'kind: HorizontalPodAutoscaler' "$work/production.yaml"

echo "== probes and disruption budgets (issue 15)"
# Every container has a startup probe; liveness asks the "liveness" entry,
# which no dependency turns NOT_SERVING.
test "$(grep -c 'startupProbe:' "$work/default.yaml")" -eq 4
test "$(grep -A3 'livenessProbe:' "$work/default.yaml" | grep -c 'service: liveness')" -eq 4
# By default a budget never blocks a drain, even with one replica.
"$helm" template gzedu "$chart" --set services.registry.replicas=1 2> >(quiet >&2) >"$work/one.yaml"
test "$(grep -c 'maxUnavailable: 1' "$work/one.yaml")" -eq 4
! grep -q 'minAvailable' "$work/one.yaml"
# A values file that sets minAvailable still gets it.
grep -q 'minAvailable: 2' "$work/production.yaml"
"$helm" template gzedu "$chart" --set probes.startup.failureThreshold=120 2> >(quiet >&2) | grep -q 'failureThreshold: 120'

echo "== values.schema.json rejects bad values"
reject() {
  local name=$1 expected=$2
  shift 2
  if "$helm" template gzedu "$chart" "$@" >"$work/out" 2>"$work/err"; then
    echo "FAIL: $name was accepted" >&2
    exit 1
  fi
  if ! grep -q "$expected" "$work/err"; then
    echo "FAIL: $name: expected '$expected' in:" >&2
    cat "$work/err" >&2
    exit 1
  fi
  echo "rejected: $name"
}
reject "an unknown top-level key" "Additional property databse" --set databse.existingSecret=x
reject "an unknown service setting" "Additional property replica " --set services.registry.replica=3
reject "a string replica count" "Expected: integer" --set-string services.ledger.replicas=two
reject "a port out of range" "services.evaluation.grpcPort" --set services.evaluation.grpcPort=70000
reject "a root container" "runAsNonRoot" --set podSecurityContext.runAsNonRoot=false
reject "a writable root filesystem" "readOnlyRootFilesystem" --set securityContext.readOnlyRootFilesystem=false
reject "an unknown log level" "logLevel" --set logLevel=verbose
reject "a startup probe that never fails" "failureThreshold" --set probes.startup.failureThreshold=0
echo "helm chart: ok"
