// Validates every object in a rendered Helm manifest (a multi-document YAML
// file) against the Kubernetes and Prometheus-operator models, and checks
// what the chart promises beyond types: probes, security context, ports.
// Usage: node validate-manifests.mjs RENDERED.yaml [--expect-operator]
// Exits 1 naming each problem.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import * as core from "kubernetes-models/v1";
import * as apps from "kubernetes-models/apps/v1";
import * as batch from "kubernetes-models/batch/v1";
import * as policy from "kubernetes-models/policy/v1";
import * as autoscaling from "kubernetes-models/autoscaling/v2";
import * as monitoring from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";

const models = {
  "v1/ConfigMap": core.ConfigMap,
  "v1/Service": core.Service,
  "apps/v1/Deployment": apps.Deployment,
  "batch/v1/Job": batch.Job,
  "policy/v1/PodDisruptionBudget": policy.PodDisruptionBudget,
  "autoscaling/v2/HorizontalPodAutoscaler": autoscaling.HorizontalPodAutoscaler,
  "monitoring.coreos.com/v1/ServiceMonitor": monitoring.ServiceMonitor,
  "monitoring.coreos.com/v1/PrometheusRule": monitoring.PrometheusRule,
};

const [file, ...flags] = process.argv.slice(2);
const problems = [];
const kinds = {};
for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
  if (doc.errors.length > 0) {
    problems.push(`YAML: ${doc.errors[0].message}`);
    continue;
  }
  const object = doc.toJS();
  if (object === null) continue;
  const key = `${object.apiVersion}/${object.kind}`;
  const where = `${key} ${object.metadata?.name}`;
  kinds[object.kind] = (kinds[object.kind] ?? 0) + 1;
  const Model = models[key];
  if (!Model) {
    problems.push(`${where}: no model for this kind (unexpected object)`);
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push(`${where}: ${error.message}`);
  }
  if (object.kind === "Deployment") checkDeployment(object, where);
  if (object.kind === "Service") {
    const grpc = object.spec.ports.find((p) => p.name === "grpc");
    if (grpc?.appProtocol !== "grpc") problems.push(`${where}: gRPC port without appProtocol: grpc`);
    if (!object.spec.ports.some((p) => p.name === "metrics")) problems.push(`${where}: no metrics port`);
  }
}

function checkDeployment(d, where) {
  const pod = d.spec.template.spec;
  if (pod.securityContext?.runAsNonRoot !== true) problems.push(`${where}: pod may run as root`);
  for (const c of pod.containers) {
    if (c.securityContext?.readOnlyRootFilesystem !== true) problems.push(`${where}: writable root filesystem`);
    if (!c.livenessProbe?.grpc) problems.push(`${where}: no gRPC liveness probe`);
    if (!c.readinessProbe?.grpc?.service?.startsWith("gzedu.")) {
      problems.push(`${where}: readiness probe not on the service's own health name`);
    }
    if (!c.resources?.requests || !c.resources?.limits) problems.push(`${where}: no resource requests and limits`);
    if (!c.env?.some((e) => e.name === "GZEDU_DATABASE" && e.valueFrom?.secretKeyRef)) {
      problems.push(`${where}: database URL not from a Secret`);
    }
    // A server on 0.0.0.0 refuses plaintext unless told --insecure.
    const args = c.args ?? [];
    const tls = args.some((a) => a.startsWith("--tls-cert="));
    if (!tls && !args.includes("--insecure")) problems.push(`${where}: neither TLS nor --insecure: it would not start`);
    if (!args.some((a) => a.startsWith("--auth-key-file="))) {
      problems.push(`${where}: no --auth-key-file: off loopback it would not start (and must not)`);
    }
    const health = args.find((a) => a.startsWith("--health-listen="));
    if (tls && !health) problems.push(`${where}: TLS without a plaintext health port: the probes cannot connect`);
    if (health) {
      const port = Number(health.split(":").pop());
      for (const probe of [c.livenessProbe, c.readinessProbe]) {
        if (probe?.grpc?.port !== port) problems.push(`${where}: a probe is not on the health port ${port}`);
      }
    }
  }
}

const expected = { Deployment: 4, Service: 4, PodDisruptionBudget: 4, ConfigMap: 1, Job: 1 };
if (flags.includes("--expect-operator")) Object.assign(expected, { ServiceMonitor: 1, PrometheusRule: 1 });
for (const [kind, count] of Object.entries(expected)) {
  if ((kinds[kind] ?? 0) !== count) problems.push(`expected ${count} ${kind}, rendered ${kinds[kind] ?? 0}`);
}
if (!flags.includes("--expect-operator") && (kinds.ServiceMonitor || kinds.PrometheusRule)) {
  problems.push("operator objects rendered although the API is not available");
}

if (problems.length > 0) {
  console.error(problems.map((p) => `  ${p}`).join("\n"));
  process.exit(1);
}
console.log(`${file}: ${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(", ")}: valid`);
