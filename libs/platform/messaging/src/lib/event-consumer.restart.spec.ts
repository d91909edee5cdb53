import { EventEmitter } from 'node:events';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { EventConsumer } from './event-consumer';

/**
 * kafkajs gives up on a consumer whose crash error is not retriable (`restart: false` on its CRASH event): it
 * disconnects and never consumes again. Which errors those are depends on the broker (a fault-suite run met
 * "Failed to find group coordinator" after a broker restart), so this spec drives the CRASH event of a stand-in for
 * kafkajs's consumer and asserts what EventConsumer does about it.
 */
class StandInConsumer extends EventEmitter {
  readonly events = { CRASH: 'consumer.crash', END_BATCH_PROCESS: 'consumer.end_batch_process' };
  runs = 0;
  disconnected = false;
  connect = async () => undefined;
  subscribe = async () => undefined;
  run = async () => void this.runs++;
  disconnect = async () => void (this.disconnected = true);
  crash(restart: boolean): void {
    this.emit(this.events.CRASH, { payload: { error: new Error('Failed to find group coordinator'), groupId: 'g', restart } });
  }
}

function consumerOn(made: StandInConsumer[]): EventConsumer {
  const producer = { connect: async () => undefined, disconnect: async () => undefined } as unknown as Producer;
  const kafka = {
    consumer: () => {
      const c = new StandInConsumer();
      made.push(c);
      return c;
    },
    admin: () => ({ connect: async () => undefined, disconnect: async () => undefined }),
  } as unknown as Kafka;
  return new EventConsumer({ kafka, groupId: 'g', topics: ['t'], pool: {} as Pool, handler: async () => undefined, dlqTopic: 'dlq', dlqProducer: producer, metrics: false });
}

describe('EventConsumer after a crash kafkajs does not restart from', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('starts a new consumer in the group after 1 s, then backs off', async () => {
    const made: StandInConsumer[] = [];
    const consumer = consumerOn(made);
    await consumer.start();
    expect(made).toHaveLength(1);

    made[0].crash(false);
    await jest.advanceTimersByTimeAsync(999);
    expect(made).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(made).toHaveLength(2);
    expect(made[1].runs).toBe(1);

    made[1].crash(false);
    await jest.advanceTimersByTimeAsync(1999);
    expect(made).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(made).toHaveLength(3);
    await consumer.stop();
  });

  it('leaves a crash kafkajs restarts itself to kafkajs, and a stale consumer crashing to nobody', async () => {
    const made: StandInConsumer[] = [];
    const consumer = consumerOn(made);
    await consumer.start();
    made[0].crash(true);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(made).toHaveLength(1);

    made[0].crash(false);
    await jest.advanceTimersByTimeAsync(1000);
    expect(made).toHaveLength(2);
    made[0].crash(false);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(made).toHaveLength(2);
    await consumer.stop();
  });

  it('does not start again once stopped', async () => {
    const made: StandInConsumer[] = [];
    const consumer = consumerOn(made);
    await consumer.start();
    made[0].crash(false);
    await consumer.stop();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(made).toHaveLength(1);
    expect(made[0].disconnected).toBe(true);
  });
});
