import { SERVICE_NAMES, TOPICS, dlqTopic } from '@pm/contracts';
import { evalInfra } from './infra-module';
import type { ServiceInfo } from './infra-module';

interface TopicSpec { topic: string; partitions: number; config: Record<string, string> }

// scripts/lib/infra.mjs cannot import TypeScript, so it keeps its own copy of the names.
const infra = evalInfra<{ services: ServiceInfo[]; allServices: ServiceInfo[]; eventTopics: Record<string, string>; specs: TopicSpec[]; prefixed: string[] }>(`({
  services: infra.SERVICES,
  allServices: infra.ALL_SERVICES,
  eventTopics: infra.EVENT_TOPICS,
  specs: infra.topicSpecs(),
  prefixed: infra.topicSpecs({ prefix: 'x.' }).map((s) => s.topic),
})`);

describe('scripts/lib/infra.mjs agrees with @pm/contracts', () => {
  it('has the same event topics as TOPICS', () => {
    expect(infra.eventTopics).toEqual(TOPICS);
  });

  it('has a service for every contract service name, and a dead-letter topic named by dlqTopic for each', () => {
    expect(infra.allServices.map((s) => s.name)).toEqual([...SERVICE_NAMES]);
    const dlqs = infra.specs.filter((s) => s.topic.endsWith('.dlq')).map((s) => s.topic);
    expect(dlqs).toEqual(SERVICE_NAMES.map((s) => dlqTopic(s)));
  });

  it('gives event topics unlimited retention and dead letters 14 days, all with 6 partitions', () => {
    for (const spec of infra.specs) {
      const retention = Object.values(TOPICS).includes(spec.topic as never) ? '-1' : String(14 * 24 * 3600 * 1000);
      expect(spec).toEqual({ topic: spec.topic, partitions: 6, config: { 'retention.ms': retention } });
    }
    expect(infra.specs).toHaveLength(Object.keys(TOPICS).length + SERVICE_NAMES.length);
  });

  it('prefixes every topic name when asked', () => {
    expect(infra.prefixed).toEqual(infra.specs.map((s) => `x.${s.topic}`));
  });
});

describe('SERVICES', () => {
  it('lists the five services of the design with their ports and databases, and as SERVICES those whose app exists', () => {
    expect(infra.services.map((s) => s.name)).toEqual(['planning-service', 'resource-service', 'risk-service', 'notification-service', 'reporting-service']);
    expect(infra.allServices.map(({ name, port, database }) => [name, port, database])).toEqual([
      ['planning-service', 3001, 'pm_planning'],
      ['resource-service', 3002, 'pm_resource'],
      ['risk-service', 3003, 'pm_risk'],
      ['notification-service', 3004, 'pm_notification'],
      ['reporting-service', 3005, 'pm_reporting'],
    ]);
  });
});

describe('databaseUrl', () => {
  const urls = evalInfra<string[]>(`[
    infra.databaseUrl('postgres://postgres@127.0.0.1:5432', 'pm_planning'),
    infra.databaseUrl('postgres://postgres:s%40cret@127.0.0.1:54329/postgres?sslmode=disable', 'pm_risk'),
    infra.serverUrlOf('postgres://postgres:pw@db.example:5432/postgres'),
  ]`);

  it('replaces the database and keeps credentials, host and query', () => {
    expect(urls[0]).toBe('postgres://postgres@127.0.0.1:5432/pm_planning');
    expect(urls[1]).toBe('postgres://postgres:s%40cret@127.0.0.1:54329/pm_risk?sslmode=disable');
  });

  it('serverUrlOf drops the database', () => {
    expect(urls[2]).toBe('postgres://postgres:pw@db.example:5432');
  });
});
