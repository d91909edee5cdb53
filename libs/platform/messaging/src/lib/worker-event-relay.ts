import type { Worker } from 'node:worker_threads';
import type { BoundedContext } from '@pm/contracts';
import type { Checkpoint } from '@pm/platform/event-store';
import { silentLogger } from '@pm/platform/observability';
import { startWorker } from '@pm/platform/workers';
import type { MessagingLogger } from './messaging.types';
import type { RelayOperation, RelayRequest, RelayWorkerData, RelayWorkerMessage } from './relay-worker.protocol';

export interface WorkerEventRelayOptions {
  readonly name: string;
  readonly serviceName: string;
  readonly context: BoundedContext;
  readonly topic: string;
  readonly pgUrl: string;
  readonly logger?: MessagingLogger;
  readonly onPublished?: (count: number) => void;
  readonly onRequest?: (events: number) => void;
  /** Pause before a worker that died is started again (default 1 s). */
  readonly restartDelayMs?: number;
}

/** The relay's operations a service uses, wherever the relay runs. */
export interface RelayHandle {
  start(): Promise<void>;
  stop(): Promise<void>;
  drain(): Promise<number>;
  checkpoint(): Promise<Checkpoint>;
}

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The service's EventRelay run in a worker thread (relay.worker.ts, ADR 0023): the same relay, guarantees and
 * leadership, with its own connections, producer and heap, driven by messages. A worker that dies (a crash, an
 * out-of-memory) is started again after a pause; its sessions ended with it, so its leadership lock is free and the
 * new one resumes from the stored checkpoint (at-least-once, as after a crash of the service).
 */
export class WorkerEventRelay implements RelayHandle {
  private worker?: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private stopping = false;
  private restartTimer?: NodeJS.Timeout;
  private readonly log: MessagingLogger;

  constructor(private readonly options: WorkerEventRelayOptions) {
    this.log = options.logger ?? silentLogger;
  }

  async start(): Promise<void> {
    if (this.worker) return;
    this.stopping = false;
    this.spawn();
    await this.call('start');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    try {
      await this.call('stop');
    } finally {
      this.worker = undefined;
      await worker.terminate();
    }
  }

  drain(): Promise<number> {
    return this.call('drain') as Promise<number>;
  }

  checkpoint(): Promise<Checkpoint> {
    return this.call('checkpoint') as Promise<Checkpoint>;
  }

  /** Events stored after the relay's checkpoint. */
  lag(): Promise<number> {
    return this.call('lag') as Promise<number>;
  }

  private spawn(): void {
    const { name, serviceName, context, topic, pgUrl } = this.options;
    const workerData: RelayWorkerData = { name, serviceName, context, topic, pgUrl };
    const worker = startWorker(__filename, 'relay.worker', { workerData });
    this.worker = worker;
    worker.on('message', (message: RelayWorkerMessage) => this.receive(message));
    worker.on('error', (error) => this.log.error({ relay: name, err: { name: error.name, message: error.message } }, 'relay worker failed'));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const [id, pending] of this.pending) {
        this.pending.delete(id);
        pending.reject(new Error(`relay worker exited (${code})`));
      }
      if (this.stopping) return;
      this.log.error({ relay: name, code }, 'relay worker exited; starting it again');
      this.restartTimer = setTimeout(() => {
        if (this.stopping || this.worker) return;
        this.spawn();
        this.call('start').catch((error: Error) => this.log.error({ relay: name, err: { name: error.name, message: error.message } }, 'relay worker did not start'));
      }, this.options.restartDelayMs ?? 1000);
      this.restartTimer.unref();
    });
  }

  private receive(message: RelayWorkerMessage): void {
    switch (message.kind) {
      case 'answer': {
        const pending = this.pending.get(message.id);
        if (!pending) return;
        this.pending.delete(message.id);
        if (message.error) pending.reject(Object.assign(new Error(message.error.message), { name: message.error.name }));
        else pending.resolve(message.value);
        return;
      }
      case 'log':
        this.log[message.level](message.obj, message.msg);
        return;
      case 'published':
        this.options.onPublished?.(message.count);
        return;
      case 'request':
        this.options.onRequest?.(message.events);
        return;
    }
  }

  private call(op: RelayOperation): Promise<unknown> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error(`relay ${this.options.name} is not running`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, op } satisfies RelayRequest);
    });
  }
}
