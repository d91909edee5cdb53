import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { ROOT } from './infra-module';

// Manifests are free-form YAML; each check reads the fields it needs.
type Manifest = Record<string, any>;
type Labels = Record<string, string>;

interface Endpoint {
  name: string;
  /** Pods only: the namespace they run in, its labels and their own; IP endpoints have an address instead. */
  namespace?: string;
  labels?: Labels;
  ip?: string;
  /** Container ports (number → name), for named ports in policies and the table. */
  ports: Map<number, string | undefined>;
  inPlatformNamespace: boolean;
}

interface FlowsTable {
  endpoints: Record<string, { namespace?: string; labels?: Labels; ip?: string; ports?: number[]; overlays?: string[] }>;
  flows: Array<{ from: string; to: string; ports: Array<string | number>; overlays?: string[] }>;
}

const K8S = path.join(ROOT, 'deploy/k8s');
const TABLE = parse(fs.readFileSync(path.join(K8S, 'allowed-flows.yaml'), 'utf8')) as FlowsTable;
const TARGETS = [
  { target: 'base', overlay: 'base', namespace: 'pm' },
  { target: 'overlays/dev', overlay: 'dev', namespace: 'pm-dev' },
  { target: 'overlays/prod', overlay: 'prod', namespace: 'pm' },
];
const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

function render(target: string): Manifest[] {
  const run = spawnSync('kubectl', ['kustomize', path.join(K8S, target)], { encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`kubectl kustomize ${target} failed:\n${run.stderr}`);
  return parseAllDocuments(run.stdout).map((d) => d.toJS() as Manifest).filter(Boolean);
}

// Probes that no flow names: a stray pod in the namespace, a pod elsewhere, an internet address. A rule too wide
// (no peers, a whole namespace, 0.0.0.0/0, no ports) lets one of them in or out, and the comparison shows it.
const STRAY_POD = 'stray-pod';
const PROBE_PORTS = ['1/TCP', '1/UDP', '22/TCP', '80/TCP', '8080/TCP'];

function endpointsOf(docs: Manifest[], overlay: string, namespace: string): Endpoint[] {
  const inNamespace = (name: string, labels: Labels, ports: Map<number, string | undefined>): Endpoint => ({ name, namespace, labels, ports, inPlatformNamespace: true });
  const deployments = docs.filter((d) => d.kind === 'Deployment').map((d) => {
    const ports = new Map<number, string | undefined>();
    for (const c of d.spec.template.spec.containers) for (const p of c.ports ?? []) ports.set(p.containerPort, p.name);
    return inNamespace(d.metadata.name, d.spec.template.metadata.labels, ports);
  });
  const declared = Object.entries(TABLE.endpoints)
    .filter(([, e]) => !e.overlays || e.overlays.includes(overlay))
    .map(([name, e]): Endpoint => {
      const ports = new Map<number, string | undefined>((e.ports ?? []).map((p) => [p, undefined]));
      if (e.ip) return { name, ip: e.ip, ports, inPlatformNamespace: false };
      if (!e.namespace) return inNamespace(name, e.labels ?? {}, ports);
      return { name, namespace: e.namespace, labels: e.labels ?? {}, ports, inPlatformNamespace: false };
    });
  return [
    ...deployments,
    ...declared,
    inNamespace(STRAY_POD, { app: 'stray' }, new Map()),
    { name: 'pod-in-another-namespace', namespace: 'elsewhere', labels: { app: 'stray' }, ports: new Map(), inPlatformNamespace: false },
    // The table may declare the internet itself (webhook receivers); then its flows say who reaches it.
    ...(TABLE.endpoints.internet ? [] : [{ name: 'internet', ip: '203.0.113.77', ports: new Map(), inPlatformNamespace: false }]),
  ];
}

const nsLabels = (namespace: string): Labels => ({ 'kubernetes.io/metadata.name': namespace });

function selects(selector: Manifest | undefined, labels: Labels): boolean {
  if (!selector) return true;
  const matchLabels: Labels = selector.matchLabels ?? {};
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  return (selector.matchExpressions ?? []).every((e: Manifest) => {
    const has = Object.hasOwn(labels, e.key);
    if (e.operator === 'Exists') return has;
    if (e.operator === 'DoesNotExist') return !has;
    if (e.operator === 'In') return has && e.values.includes(labels[e.key]);
    if (e.operator === 'NotIn') return !has || !e.values.includes(labels[e.key]);
    throw new Error(`unknown operator ${e.operator}`);
  });
}

const ipToInt = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits ?? 32));
  return Math.floor(ipToInt(ip) / size) === Math.floor(ipToInt(base) / size);
}

// Pods get an address in a cluster range, so an ipBlock as wide as 0.0.0.0/0 or 10.0.0.0/8 reaches them too.
const podIp = (endpoints: Endpoint[], e: Endpoint) => `10.244.0.${endpoints.indexOf(e) + 1}`;

function peerMatches(peer: Manifest, policyNamespace: string, other: Endpoint, endpoints: Endpoint[]): boolean {
  if (peer.ipBlock) {
    const ip = other.ip ?? podIp(endpoints, other);
    return inCidr(ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c: string) => inCidr(ip, c));
  }
  if (other.ip) return false;
  const namespaceOk = peer.namespaceSelector ? selects(peer.namespaceSelector, nsLabels(other.namespace!)) : other.namespace === policyNamespace;
  return namespaceOk && selects(peer.podSelector, other.labels!);
}

function portMatches(rulePorts: Manifest[] | undefined, port: string, receiver: Endpoint): boolean {
  if (!rulePorts?.length) return true;
  const [number, protocol] = port.split('/');
  return rulePorts.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') return receiver.ports.get(Number(number)) === p.port;
    return p.endPort ? Number(number) >= p.port && Number(number) <= p.endPort : Number(number) === p.port;
  });
}

/** Whether `pod`'s policies let traffic through in `direction` with `peer` on `port` (no policy of that type: open). */
function policyAllows(policies: Manifest[], direction: 'Ingress' | 'Egress', pod: Endpoint, peer: Endpoint, port: string, endpoints: Endpoint[]): boolean {
  const applying = policies.filter((p) => p.metadata.namespace === pod.namespace && selects(p.spec.podSelector, pod.labels!) && (p.spec.policyTypes ?? ['Ingress']).includes(direction));
  if (applying.length === 0) return true;
  const receiver = direction === 'Ingress' ? pod : peer;
  return applying.some((p) =>
    ((direction === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []).some((rule: Manifest) => {
      const peers: Manifest[] | undefined = direction === 'Ingress' ? rule.from : rule.to;
      const peerOk = !peers?.length || peers.some((x) => peerMatches(x, p.metadata.namespace, peer, endpoints));
      return peerOk && portMatches(rule.ports, port, receiver);
    }),
  );
}

function resolvePort(port: string | number, receiver: Endpoint): string {
  if (typeof port === 'number') return `${port}/TCP`;
  if (/^\d+\/(TCP|UDP)$/.test(port)) return port;
  const found = [...receiver.ports].find(([, name]) => name === port);
  if (!found) throw new Error(`${receiver.name} has no port named ${port}`);
  return `${found[0]}/TCP`;
}

function expand(name: string, endpoints: Endpoint[]): Endpoint[] {
  if (name === 'any-pod') return endpoints.filter((e) => e.inPlatformNamespace);
  if (name === 'services') return endpoints.filter((e) => e.inPlatformNamespace && e.labels?.['app.kubernetes.io/component'] === 'service');
  const found = endpoints.filter((e) => e.name === name);
  if (found.length === 0) throw new Error(`allowed-flows.yaml names an unknown endpoint ${name}`);
  return found;
}

const flowKey = (from: Endpoint, to: Endpoint, port: string) => `${from.name} -> ${to.name} ${port}`;

describe.each(TARGETS)('NetworkPolicies of deploy/k8s/$target', ({ target, overlay, namespace }) => {
  const docs = hasKubectl ? render(target) : [];
  const policies = docs.filter((d) => d.kind === 'NetworkPolicy');
  const endpoints = hasKubectl ? endpointsOf(docs, overlay, namespace) : [];

  const expected = () =>
    new Set(
      TABLE.flows
        .filter((f) => !f.overlays || f.overlays.includes(overlay))
        .flatMap((f) => expand(f.from, endpoints).flatMap((from) => expand(f.to, endpoints).flatMap((to) => f.ports.map((p) => flowKey(from, to, resolvePort(p, to)))))),
    );

  (hasKubectl ? it : it.skip)('denies everything by default in the namespace, for ingress and egress', () => {
    const deny = policies.find((p) => p.metadata.name === 'default-deny');
    expect(deny?.metadata.namespace).toBe(namespace);
    expect(deny?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(new Set(policies.map((p) => p.metadata.namespace))).toEqual(new Set([namespace]));
  });

  (hasKubectl ? it : it.skip)('allows every flow of allowed-flows.yaml, and nothing else', () => {
    const ports = new Set([
      ...PROBE_PORTS,
      ...TABLE.flows.flatMap((f) => f.ports.filter((p) => typeof p === 'number' || /\//.test(p)).map((p) => (typeof p === 'number' ? `${p}/TCP` : p))),
      ...endpoints.flatMap((e) => [...e.ports.keys()].map((p) => `${p}/TCP`)),
    ]);
    const allowed = new Set<string>();
    for (const from of endpoints) {
      for (const to of endpoints) {
        if (!from.inPlatformNamespace && !to.inPlatformNamespace) continue;
        for (const port of ports) {
          const out = !from.inPlatformNamespace || policyAllows(policies, 'Egress', from, to, port, endpoints);
          const inbound = !to.inPlatformNamespace || policyAllows(policies, 'Ingress', to, from, port, endpoints);
          if (out && inbound) allowed.add(flowKey(from, to, port));
        }
      }
    }
    const wanted = expected();
    expect([...wanted].filter((f) => !allowed.has(f)).sort()).toEqual([]);
    expect([...allowed].filter((f) => !wanted.has(f)).sort()).toEqual([]);
  });

  (hasKubectl ? it : it.skip)('gives each service its own database and no other', () => {
    for (const svc of endpoints.filter((e) => e.labels?.['app.kubernetes.io/component'] === 'service')) {
      const dbs = endpoints.filter((e) => e.name.endsWith('-db'));
      const reachable = dbs.filter((db) => policyAllows(policies, 'Egress', svc, db, '5432/TCP', endpoints)).map((db) => db.name);
      expect([svc.name, reachable]).toEqual([svc.name, [svc.name.replace('-service', '-db')]]);
    }
  });
});
