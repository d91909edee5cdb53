import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SERVICE_NAMES, TOPICS, dlqTopic } from '@pm/contracts';
import { parseAllDocuments } from 'yaml';
import { ROOT, evalInfra } from './infra-module';
import type { ServiceInfo } from './infra-module';

// Manifests are free-form YAML; each check reads the fields it needs.
type Manifest = Record<string, any>;

const K8S = path.join(ROOT, 'deploy/k8s');
const TARGETS = ['base', 'overlays/dev', 'overlays/prod'];
const SERVICES = evalInfra<ServiceInfo[]>('infra.SERVICES');
const STRIMZI_KINDS = ['Kafka', 'KafkaNodePool', 'KafkaTopic'];

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(e.name) ? [full] : [];
  });
}

function parseFile(file: string): Manifest[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map((doc) => {
    if (doc.errors.length) throw new Error(`${path.relative(ROOT, file)}: ${doc.errors[0].message}`);
    return doc.toJS() as Manifest;
  }).filter((d) => d !== null);
}

/** Files a kustomization refers to (resources, patches, components, generator inputs), absolute. */
function kustomizationRefs(dir: string): string[] {
  const k = parseFile(path.join(dir, 'kustomization.yaml'))[0];
  const generators = [...(k.configMapGenerator ?? []), ...(k.secretGenerator ?? [])];
  return [
    ...(k.resources ?? []),
    ...(k.components ?? []),
    ...(k.patches ?? []).flatMap((p: Manifest) => (p.path ? [p.path] : [])),
    ...generators.flatMap((g: Manifest) => [...(g.files ?? []), ...(g.envs ?? [])].map((f: string) => f.split('=').at(-1)!)),
  ].map((ref: string) => path.resolve(dir, ref));
}

// kubectl (which embeds kustomize) renders the overlays as a cluster would receive them. Where it is
// missing (a machine without it), only base's raw files are checked, overlays only by their references.
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

const renders = new Map<string, Manifest[] | null>();
function render(target: string): Manifest[] | null {
  if (!renders.has(target)) renders.set(target, renderUncached(target));
  return renders.get(target)!;
}

function renderUncached(target: string): Manifest[] | null {
  const dir = path.join(K8S, target);
  if (hasKubectl) {
    const run = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', timeout: 60_000 });
    if (run.status !== 0) throw new Error(`kubectl kustomize ${target} failed:\n${run.stderr}`);
    return parseAllDocuments(run.stdout).map((d) => d.toJS() as Manifest);
  }
  if (target !== 'base') return null;
  return kustomizationRefs(dir).flatMap((f) => parseFile(f));
}

function validateWithKubernetesModels(docs: Manifest[]): Array<{ kind: string; name: string; validated: boolean; error: string | null }> {
  const run = spawnSync(process.execPath, [path.join(__dirname, 'k8s-validate.mjs')], { cwd: ROOT, input: JSON.stringify(docs), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

const ofKind = (docs: Manifest[], kind: string) => docs.filter((d) => d.kind === kind);
const named = (docs: Manifest[], kind: string, name: string) => ofKind(docs, kind).find((d) => d.metadata.name === name);
const countBy = (xs: string[]) => xs.reduce<Record<string, number>>((acc, x) => ({ ...acc, [x]: (acc[x] ?? 0) + 1 }), {});

// The table of allowed network flows is data for k8s-network-policies.spec.ts, not a manifest.
const NOT_MANIFESTS = new Set([path.join(K8S, 'allowed-flows.yaml')]);

describe('deploy/k8s files', () => {
  const files = yamlFiles(K8S).filter((f) => !NOT_MANIFESTS.has(f));

  it('parse as YAML (multi-document), each document with apiVersion and kind', () => {
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      for (const doc of parseFile(file)) {
        expect([path.relative(K8S, file), typeof doc.apiVersion, typeof doc.kind]).toEqual([path.relative(K8S, file), 'string', 'string']);
      }
    }
  });

  it('kustomizations reference files that exist, and every manifest is referenced by one', () => {
    const kustomizations = files.filter((f) => path.basename(f) === 'kustomization.yaml').map(path.dirname);
    expect(kustomizations.map((d) => path.relative(K8S, d)).sort()).toEqual(TARGETS);
    const referenced = new Set<string>();
    for (const dir of kustomizations) {
      for (const ref of kustomizationRefs(dir)) {
        const exists = fs.existsSync(ref) && (fs.statSync(ref).isFile() || fs.existsSync(path.join(ref, 'kustomization.yaml')));
        expect([path.relative(K8S, ref), exists]).toEqual([path.relative(K8S, ref), true]);
        referenced.add(ref);
      }
    }
    const orphans = files.filter((f) => path.basename(f) !== 'kustomization.yaml' && !referenced.has(f));
    expect(orphans.map((f) => path.relative(K8S, f))).toEqual([]);
  });

  it(`renders with kubectl kustomize where available (${hasKubectl ? 'available here' : 'NOT available here: overlays are not rendered'})`, () => {
    for (const target of TARGETS) {
      const docs = render(target);
      if (hasKubectl || target === 'base') expect([target, (docs ?? []).length > 0]).toEqual([target, true]);
    }
  });
});

describe.each(TARGETS.filter((t) => hasKubectl || t === 'base'))('deploy/k8s/%s', (target) => {
  const docs = render(target)!;
  const deployments = ofKind(docs, 'Deployment');

  it('core resources validate with kubernetes-models; only Strimzi kinds are left unvalidated', () => {
    const results = validateWithKubernetesModels(docs);
    expect(results.filter((r) => r.error)).toEqual([]);
    const validated = countBy(results.filter((r) => r.validated).map((r) => r.kind));
    const n = SERVICES.length;
    // The services, and the gateway (no HPA: it holds no consumer group; ADR 0603) with the Ingress to it.
    expect(validated).toMatchObject({ Namespace: 1, Deployment: n + 1, Service: n + 1, ConfigMap: n + 1, HorizontalPodAutoscaler: n, PodDisruptionBudget: n + 1, Ingress: 1 });
    expect([...new Set(results.filter((r) => !r.validated).map((r) => r.kind))].sort()).toEqual([...STRIMZI_KINDS].sort());
  });

  it.each(SERVICES.map((s) => [s.name, s] as const))('%s: probes, security context, resources, secrets and selectors', (_name, svc) => {
    const deployment = named(docs, 'Deployment', svc.name)!;
    const pod = deployment.spec.template;
    const [container] = pod.spec.containers;
    expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': svc.name });
    expect(pod.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
    expect(container.command).toEqual(['node', '-r', '@swc-node/register', `apps/${svc.name}/src/main.ts`]);
    expect(container.image).toMatch(/^[\w./-]+:(?!latest$)[\w.-]+$/);
    // Metrics on a port of their own, which the NetworkPolicies open to Prometheus only.
    expect(container.ports).toEqual([{ name: 'http', containerPort: svc.port }, { name: 'metrics', containerPort: 9464 }]);
    expect(pod.metadata.annotations).toMatchObject({ 'prometheus.io/port': '9464', 'prometheus.io/path': '/metrics' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(pod.spec.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(container.resources.limits).sort()).toEqual(['cpu', 'memory']);

    const secretRefs = Object.fromEntries(container.env.map((e: Manifest) => [e.name, e.valueFrom?.secretKeyRef]));
    expect(secretRefs.PG_URL).toMatchObject({ name: expect.stringMatching(new RegExp(`^${svc.name}-db`)), key: 'url' });
    expect(secretRefs.AUTH_JWT_SECRET).toMatchObject({ name: expect.stringMatching(/^pm-auth/), key: 'jwt-secret' });
    expect(secretRefs.AUTH_JWKS_URL).toMatchObject({ name: expect.stringMatching(/^pm-auth/), key: 'jwks-url' });
    // Where the Secrets are generated (dev), the references must reach them, hash suffix included.
    const secrets = ofKind(docs, 'Secret');
    if (secrets.length) {
      for (const ref of Object.values(secretRefs).filter(Boolean) as Manifest[]) {
        expect(named(docs, 'Secret', ref.name)?.data?.[ref.key] ?? (ref.optional ? 'optional' : undefined)).toBeDefined();
      }
    }

    const configMapName = container.envFrom[0].configMapRef.name;
    expect(named(docs, 'ConfigMap', configMapName)?.data).toMatchObject({ PORT: String(svc.port), METRICS_PORT: '9464', KAFKA_BROKERS: expect.stringMatching(/^pm-kafka-kafka-bootstrap/), KAFKA_SESSION_TIMEOUT_MS: '10000' });
    expect(named(docs, 'Service', svc.name)?.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(named(docs, 'PodDisruptionBudget', svc.name)?.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    const hpa = named(docs, 'HorizontalPodAutoscaler', svc.name)!;
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: svc.name });
    expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
  });

  it('caps every HPA at the partition count of the event topics', () => {
    const partitions = Math.min(...ofKind(docs, 'KafkaTopic').map((t) => t.spec.partitions));
    expect(partitions).toBe(6);
    for (const hpa of ofKind(docs, 'HorizontalPodAutoscaler')) {
      expect([hpa.metadata.name, hpa.spec.maxReplicas <= partitions]).toEqual([hpa.metadata.name, true]);
    }
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...SERVICES.map((s) => s.name), 'gateway'].sort());
  });

  it('runs the gateway behind the Ingress at `/`, with its session key and OIDC client secret from a Secret', () => {
    const deployment = named(docs, 'Deployment', 'gateway')!;
    const [container] = deployment.spec.template.spec.containers;
    expect(container.command).toEqual(['node', '-r', '@swc-node/register', 'apps/gateway/src/main.ts']);
    expect(deployment.spec.template.metadata.labels['app.kubernetes.io/component']).not.toBe('service');
    const secretRefs = Object.fromEntries(container.env.map((e: Manifest) => [e.name, e.valueFrom?.secretKeyRef]));
    expect(secretRefs.GATEWAY_SESSION_KEY).toMatchObject({ name: expect.stringMatching(/^pm-gateway/), key: 'session-key' });
    expect(secretRefs.OIDC_CLIENT_SECRET).toMatchObject({ name: expect.stringMatching(/^pm-gateway/), key: 'oidc-client-secret' });
    const config = named(docs, 'ConfigMap', container.envFrom[0].configMapRef.name)!.data;
    expect(config).toMatchObject({ NODE_ENV: 'production', OIDC_ISSUER: expect.stringMatching(/^https:/), OIDC_REDIRECT_URI: expect.stringMatching(/^https:.*\/auth\/callback$/) });
    expect(config.AUTH_AUDIENCE).toBe(config.OIDC_RESOURCE);
    expect(config.PM_DEV_SIGN_IN).toBeUndefined();
    const [rule] = named(docs, 'Ingress', 'gateway')!.spec.rules;
    expect(rule.http.paths).toEqual([{ path: '/', pathType: 'Prefix', backend: { service: { name: 'gateway', port: { name: 'http' } } } }]);
  });

  it('runs a 3-broker KRaft Kafka 4.1.1 through Strimzi node pools', () => {
    const [kafka] = ofKind(docs, 'Kafka');
    const pools = ofKind(docs, 'KafkaNodePool');
    expect(kafka.apiVersion).toBe('kafka.strimzi.io/v1beta2');
    expect(kafka.metadata.annotations).toMatchObject({ 'strimzi.io/node-pools': 'enabled', 'strimzi.io/kraft': 'enabled' });
    expect(kafka.spec.kafka.version).toBe('4.1.1');
    expect(kafka.spec.zookeeper).toBeUndefined();
    expect(kafka.spec.kafka.config).toMatchObject({ 'min.insync.replicas': 2, 'default.replication.factor': 3 });
    expect(pools.map((p) => [p.apiVersion, p.metadata.labels['strimzi.io/cluster'], p.spec.replicas, [...p.spec.roles].sort()]))
      .toEqual([['kafka.strimzi.io/v1beta2', kafka.metadata.name, 3, ['broker', 'controller']]]);
  });

  it('declares exactly the contract topics, with partitions, replicas, retention and min ISR', () => {
    const [kafka] = ofKind(docs, 'Kafka');
    const brokers = ofKind(docs, 'KafkaNodePool').filter((p) => p.spec.roles.includes('broker')).reduce((n, p) => n + p.spec.replicas, 0);
    const topics = ofKind(docs, 'KafkaTopic');
    const eventTopics: string[] = Object.values(TOPICS);
    const dlqs = SERVICE_NAMES.map((s) => dlqTopic(s));
    expect(topics.map((t) => t.spec.topicName).sort()).toEqual([...eventTopics, ...dlqs].sort());
    for (const t of topics) {
      const retention = eventTopics.includes(t.spec.topicName) ? -1 : 14 * 24 * 60 * 60 * 1000;
      expect([t.spec.topicName, t.apiVersion, t.metadata.labels['strimzi.io/cluster'], t.spec.partitions, t.spec.replicas, t.spec.config])
        .toEqual([t.spec.topicName, 'kafka.strimzi.io/v1beta2', kafka.metadata.name, 6, 3, { 'retention.ms': retention, 'min.insync.replicas': 2 }]);
      expect(t.spec.replicas).toBeLessThanOrEqual(brokers);
    }
  });
});

describe('overlays', () => {
  const rendered = Object.fromEntries(TARGETS.map((t) => [t, hasKubectl ? render(t) : null]));

  it('scale prod above dev, and give dev its own namespace with generated secrets', () => {
    if (!hasKubectl) {
      // Without kubectl the overlays cannot be rendered; their references are still checked above.
      expect(rendered['overlays/dev']).toBeNull();
      return;
    }
    const dev = rendered['overlays/dev']!;
    const prod = rendered['overlays/prod']!;
    const hpaMin = (docs: Manifest[]) => ofKind(docs, 'HorizontalPodAutoscaler').map((h) => h.spec.minReplicas);
    expect(hpaMin(dev)).toEqual(SERVICES.map(() => 1));
    expect(hpaMin(prod)).toEqual(SERVICES.map(() => 3));
    expect(ofKind(prod, 'PodDisruptionBudget').every((p) => p.spec.minAvailable < 3)).toBe(true);
    expect(new Set(dev.filter((d) => d.kind !== 'Namespace').map((d) => d.metadata.namespace))).toEqual(new Set(['pm-dev']));
    expect(ofKind(dev, 'Secret').map((s) => s.metadata.name.replace(/-[a-z0-9]{10}$/, '')).sort())
      .toEqual(['pm-auth', 'pm-gateway', 'notification-service-webhooks', ...SERVICES.map((s) => `${s.name}-db`)].sort());
    expect(ofKind(prod, 'Secret')).toEqual([]);
  });
});
