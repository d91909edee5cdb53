/**
 * The service's relay in a worker thread of its own (ADR 0023): its own PostgreSQL connections, Kafka producer and
 * heap, so that encoding thousands of messages never runs on the loop that serves the service's requests.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PgEventStore, createPgPool } from '@pm/platform/event-store';
import type { StructuredLogger } from '@pm/platform/observability';
import { EventRelay } from './event-relay';
import { createIdempotentProducer, createKafka } from './kafka-client';
import type { RelayRequest, RelayWorkerData, RelayWorkerMessage } from './relay-worker.protocol';

const port = parentPort;
if (!port) throw new Error('relay.worker runs as a worker thread');
const data = workerData as RelayWorkerData;
const post = (message: RelayWorkerMessage) => port.postMessage(message);

/** A log line as plain data (an Error does not survive every structured clone as it was). */
const plain = (obj: object): object => {
  try {
    return JSON.parse(JSON.stringify(obj, (_key, value: unknown) => (value instanceof Error ? { name: value.name, message: value.message } : value))) as object;
  } catch {
    return { unserialisable: String(obj) };
  }
};
const logger: StructuredLogger = {
  info: (obj, msg) => post({ kind: 'log', level: 'info', obj: plain(obj), msg }),
  warn: (obj, msg) => post({ kind: 'log', level: 'warn', obj: plain(obj), msg }),
  error: (obj, msg) => post({ kind: 'log', level: 'error', obj: plain(obj), msg }),
};

// Two connections suffice (the leader's session and reads), one more for the append listener.
const pool = createPgPool(data.pgUrl, { max: 4 });
const store = new PgEventStore(pool, { notifyAppends: false });
const relay = new EventRelay({
  name: data.name,
  context: data.context,
  topic: data.topic,
  pool,
  store,
  producer: createIdempotentProducer(createKafka(data.serviceName, { logger })),
  logger,
  onPublished: (count) => post({ kind: 'published', count }),
  onRequest: (events) => post({ kind: 'request', events }),
});

async function answer(op: RelayRequest['op']): Promise<unknown> {
  switch (op) {
    case 'start':
      return relay.start();
    case 'stop':
      await relay.stop();
      return pool.end();
    case 'drain':
      return relay.drain();
    case 'checkpoint':
      return relay.checkpoint();
    case 'lag':
      return store.countAfter(await relay.checkpoint());
  }
}

port.on('message', (request: RelayRequest) => {
  answer(request.op).then(
    (value) => post({ kind: 'answer', id: request.id, value }),
    (error: unknown) => post({ kind: 'answer', id: request.id, error: error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) } }),
  );
});
