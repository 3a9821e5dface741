// Consistency checks on deploy/compose.yaml that need no Docker engine: it
// parses; it has PostgreSQL, Redis, the four services, Prometheus and
// Grafana; every bind-mounted file exists; every service's database URL is
// PostgreSQL; and Prometheus scrapes exactly the services' metrics ports.
// Usage: node check-compose.mjs DEPLOY_DIR
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";

const dir = process.argv[2];
const compose = parse(readFileSync(join(dir, "compose.yaml"), "utf8"), { merge: true });
const prometheus = parse(readFileSync(join(dir, "prometheus/prometheus.yml"), "utf8"));
const problems = [];
const services = compose.services ?? {};
const gzedu = ["school-registry", "teacher-rotation", "funding-ledger", "indicator-evaluation"];
for (const name of ["postgres", "redis", "prometheus", "grafana", ...gzedu]) {
  if (!services[name]) problems.push(`no service ${name}`);
}
for (const [name, service] of Object.entries(services)) {
  for (const volume of service.volumes ?? []) {
    const source = String(volume).split(":")[0];
    if (source.startsWith(".") && !existsSync(resolve(dir, source))) problems.push(`${name}: ${source} does not exist`);
  }
}
const targets = new Set(prometheus.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets)));
for (const name of gzedu) {
  const service = services[name];
  if (!service) continue;
  if (!String(service.environment?.GZEDU_DATABASE ?? "").startsWith("postgresql://")) {
    problems.push(`${name}: GZEDU_DATABASE is not a postgresql:// URL`);
  }
  if (service.read_only !== true) problems.push(`${name}: root filesystem not read-only`);
  if (!service.environment?.GZEDU_AUTH_KEY_FILE) problems.push(`${name}: no GZEDU_AUTH_KEY_FILE: it would not start`);
  if (!service.command.includes("--insecure") && !service.command.some((a) => a.startsWith("--tls-cert="))) {
    problems.push(`${name}: listens on 0.0.0.0 without TLS or --insecure: it would refuse to start`);
  }
  const metrics = service.command.find((a) => a.startsWith("--metrics-listen="));
  const port = metrics?.split(":").pop();
  if (!targets.has(`${name}:${port}`)) problems.push(`${name}: Prometheus does not scrape ${name}:${port}`);
  targets.delete(`${name}:${port}`);
}
for (const extra of targets) problems.push(`Prometheus scrapes ${extra}, which is no service`);
if (problems.length > 0) {
  console.error(problems.map((p) => `  ${p}`).join("\n"));
  process.exit(1);
}
console.log(`${join(dir, "compose.yaml")}: ${Object.keys(services).length} services, consistent with prometheus.yml`);
