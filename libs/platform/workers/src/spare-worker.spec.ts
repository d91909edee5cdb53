import { Worker } from 'node:worker_threads';
import { SpareWorker } from './spare-worker';

/** A worker that answers 'ping' with its thread id, or exits at once when told to. */
const CODE = `
const { parentPort, threadId, workerData } = require('node:worker_threads');
if (workerData === 'exit-at-once') process.exit(3);
parentPort.on('message', (m) => parentPort.postMessage(m === 'ping' ? threadId : 'unknown'));`;

const ask = (worker: Worker) => new Promise<number>((resolve) => worker.once('message', resolve).postMessage('ping'));
const exited = (worker: Worker) => new Promise<number>((resolve) => worker.once('exit', resolve));

describe('SpareWorker', () => {
  const started: Worker[] = [];
  const start = (data?: string) => () => {
    const worker = new Worker(CODE, { eval: true, workerData: data });
    started.push(worker);
    return worker;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((w) => w.terminate()));
  });

  it('hands over the worker it started ahead, and starts the next only after that one exits', async () => {
    const spares = new SpareWorker(start(), undefined, 0);
    spares.warm();
    expect(started).toHaveLength(1);
    const first = spares.take();
    expect(first).toBe(started[0]);
    expect(started).toHaveLength(1);
    expect(typeof (await ask(first))).toBe('number');
    const gone = exited(first);
    await first.terminate();
    await gone;
    await new Promise((r) => setTimeout(r, 5));
    expect(started).toHaveLength(2);
    const second = spares.take();
    expect(second).toBe(started[1]);
    expect(await ask(second)).not.toBe(first.threadId);
    await spares.close();
  });

  it('waits the restart delay after a job before loading the next spare', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    try {
      const spares = new SpareWorker(start(), undefined, 10_000);
      spares.warm();
      const first = spares.take();
      first.emit('exit', 0);
      // The delay is armed once the exit is seen (a promise's turn later).
      await new Promise((resolve) => setImmediate(resolve));
      jest.advanceTimersByTime(9_999);
      expect(started).toHaveLength(1);
      jest.advanceTimersByTime(1);
      expect(started).toHaveLength(2);
      await spares.close();
    } finally {
      jest.useRealTimers();
    }
  });

  it('waits for the job the worker was taken for, when given, as well as for the worker to exit', async () => {
    const spares = new SpareWorker(start(), undefined, 0);
    spares.warm();
    let jobEnded!: () => void;
    const first = spares.take(new Promise<void>((resolve) => (jobEnded = resolve)));
    const gone = exited(first);
    await first.terminate();
    await gone;
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toHaveLength(1);
    jobEnded();
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toHaveLength(2);
    await spares.close();
  });

  it('starts a worker when two jobs ask at once and there is one spare', async () => {
    const spares = new SpareWorker(start());
    spares.warm();
    const a = spares.take();
    const b = spares.take();
    expect(a).not.toBe(b);
    expect(started).toHaveLength(2);
    await spares.close();
  });

  it('drops a spare that exits while idle, reports it, and starts afresh on the next take', async () => {
    const failures: string[] = [];
    const spares = new SpareWorker(start('exit-at-once'), (e) => failures.push(e.message));
    spares.warm();
    for (let i = 0; i < 200 && failures.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(failures).toEqual(['the spare worker exited (3) before it was used']);
    const worker = spares.take();
    expect(worker).toBe(started[1]);
    await spares.close();
  });

  it('starts nothing after close, and terminates the spare', async () => {
    const spares = new SpareWorker(start());
    spares.warm();
    const spare = started[0];
    const gone = exited(spare);
    await spares.close();
    await gone;
    spares.warm();
    expect(started).toHaveLength(1);
  });
});
