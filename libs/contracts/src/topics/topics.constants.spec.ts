import { SERVICE_NAMES, TOPICS, dlqTopic, isBoundedContext } from './topics.constants';

// Kafka's own rule for topic names.
const KAFKA_TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

describe('Topics', () => {
  it('names the dead-letter topic after the consuming service', () => {
    expect(dlqTopic('reporting-service')).toBe('pm.reporting-service.dlq');
  });

  it.each(SERVICE_NAMES)('gives %s a legal, distinct dead-letter topic', (service) => {
    const topic = dlqTopic(service);
    expect(topic).toMatch(KAFKA_TOPIC_NAME);
    expect(Object.values(TOPICS)).not.toContain(topic);
  });

  it.each(['', 'Reporting', 'reporting.service', 'reporting service', '-reporting'])('rejects the service name "%s"', (service) => {
    expect(() => dlqTopic(service)).toThrow(RangeError);
  });

  it('knows the contexts that own a topic and nothing else', () => {
    expect(isBoundedContext('planning')).toBe(true);
    expect(isBoundedContext('reporting')).toBe(false);
    expect(isBoundedContext('toString')).toBe(false);
  });
});
