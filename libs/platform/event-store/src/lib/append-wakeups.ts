import { Client } from 'pg';
import type { Pool } from 'pg';

/** The channel on which a service's database announces that events were committed (no payload). */
export const APPENDED_CHANNEL = 'pm_es_appended';

/**
 * Announces committed appends with a NOTIFY sent after the commit, in a transaction of its own, never inside
 * the appending one: a NOTIFY in a committing transaction takes a database-wide lock at commit, held across
 * the commit's WAL flush, which serialises every appending writer (ADR 0002, 0006).
 *
 * Debounced: at most one NOTIFY is in flight per process, and the next one waits `minIntervalMs` after it. A
 * commit that happens meanwhile sets `pending`, and another NOTIFY follows, so every commit is followed by a
 * NOTIFY that started after it, while a process sends at most ~1000/minIntervalMs notifications a second however
 * fast it appends. An isolated append is announced at once. A failed NOTIFY is dropped: listeners poll as well.
 */
export class AppendNotifier {
  private pending = new Set<string>();
  private inFlight?: Promise<void>;

  constructor(
    private readonly pool: Pick<Pool, 'query'>,
    private readonly minIntervalMs = 10,
    private readonly channel = APPENDED_CHANNEL,
  ) {}

  /**
   * Call after a transaction that appended events has committed. Never waits, never throws. Payloads noted while a
   * NOTIFY is in flight go together in the next statement, each once (the event store's is always empty).
   */
  notify(payload = ''): void {
    this.pending.add(payload);
    this.inFlight ??= this.flush();
  }

  /** Resolves when no NOTIFY is in flight or due (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.size > 0) {
        const payloads = [...this.pending];
        this.pending = new Set();
        await this.pool
          .query({ name: 'es_notify_payloads', text: 'SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', values: [this.channel, payloads] })
          .catch(() => undefined);
        if (this.minIntervalMs > 0) await new Promise((resolve) => setTimeout(resolve, this.minIntervalMs));
      }
    } finally {
      this.inFlight = undefined;
    }
  }
}

export interface AppendListenerOptions {
  /** Its connection settings are used for one dedicated connection, outside the pool. */
  readonly pool: Pool;
  /**
   * Called on every notification (with its payload), and after each (re)connection without one: notifications sent
   * while not listening are lost.
   */
  readonly onAppended: (payload?: string) => void;
  /** The channel to LISTEN on (default: the event store's appends). */
  readonly channel?: string;
  readonly onError?: (error: Error) => void;
  readonly reconnectMs?: number;
}

/**
 * LISTENs for committed appends on a dedicated connection and reconnects when it is lost. It only wakes its
 * owner early; the owner keeps polling as the fallback, since notifications are lost while nobody listens.
 */
export class AppendListener {
  private client?: Client;
  private stopped = true;
  private timer?: NodeJS.Timeout;
  private connected = false;

  constructor(private readonly options: AppendListenerOptions) {}

  private get channel(): string {
    return this.options.channel ?? APPENDED_CHANNEL;
  }

  /** True while a LISTEN is in place. */
  get listening(): boolean {
    return this.connected;
  }

  /** Server process id of the listening session (tests kill it to prove the fallback). */
  get backendPid(): number | undefined {
    return (this.client as unknown as { processID?: number } | undefined)?.processID;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    this.connected = false;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ ...this.options.pool.options, keepAlive: true });
    this.client = client;
    let lost = false;
    const onLost = (err?: Error) => {
      if (lost) return;
      lost = true;
      void client.end().catch(() => undefined);
      // A connection stop() already let go of (or a stale one) is simply closed.
      if (this.client !== client) return;
      this.client = undefined;
      this.connected = false;
      if (err) this.options.onError?.(err);
      this.scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (n) => {
      if (n.channel === this.channel) this.options.onAppended(n.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (err) {
      onLost(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (lost) return;
    if (this.stopped || this.client !== client) {
      await client.end().catch(() => undefined);
      return;
    }
    this.connected = true;
    this.options.onAppended();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), this.options.reconnectMs ?? 1000);
  }
}

/** Starts a listener that calls `onAppended` on every announced append (the relay and the store projections). */
export function startAppendListener(pool: Pool, onAppended: () => void, onError?: (error: Error) => void): AppendListener {
  const listener = new AppendListener({ pool, onAppended, onError });
  listener.start();
  return listener;
}
