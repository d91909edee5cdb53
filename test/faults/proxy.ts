/**
 * Network faults without Docker: a TCP proxy (node:net) between the services and the broker or the database. The
 * broker advertises the proxy's port (KAFKA_ADVERTISED_PORT), so a client that learns the broker from metadata comes
 * back through the proxy; the services' PG_URL names the proxy's port. Modes:
 * - `pass`: bytes flow both ways as they come;
 * - `slow`: every chunk, both ways, is held `delayMs` before it goes on (a slow or congested link);
 * - `drop`: connections are accepted and kept, bytes are swallowed (a link that loses everything, no RST: clients
 *   learn only from their own timeouts);
 * - `cut`: every open connection is reset and new ones are refused until the mode changes (a cable pulled).
 */
import net from 'node:net';

export type LinkMode = { kind: 'pass' } | { kind: 'slow'; delayMs: number } | { kind: 'drop' } | { kind: 'cut' };

export class FaultProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  /** Connections that lost bytes while the link dropped them. */
  private readonly dropped = new Set<net.Socket>();
  private mode: LinkMode = { kind: 'pass' };
  /** Connections accepted, and reset by a cut, over the run. */
  accepted = 0;
  resets = 0;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly targetPort: number,
  ) {}

  start(): Promise<void> {
    const server = net.createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  set(mode: LinkMode): void {
    const was = this.mode;
    this.mode = mode;
    if (mode.kind === 'cut') this.reset([...this.sockets]);
    // A connection that lost bytes cannot go on (the protocol's framing is gone): as TCP would after its retransmission
    // timeout, it ends when the link comes back.
    else if (was.kind === 'drop' && mode.kind !== 'drop') this.reset([...this.dropped]);
    if (mode.kind !== 'drop') this.dropped.clear();
  }

  private reset(sockets: net.Socket[]): void {
    for (const s of sockets) {
      s.resetAndDestroy();
      this.sockets.delete(s);
    }
    this.resets += sockets.length;
  }

  get current(): LinkMode {
    return this.mode;
  }

  private accept(client: net.Socket): void {
    if (this.mode.kind === 'cut') return void client.resetAndDestroy();
    this.accepted++;
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('error', () => undefined);
      s.once('close', () => {
        this.sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    this.pipe(client, upstream);
    this.pipe(upstream, client);
  }

  /** Forwards in order: a chunk held for a slow link holds the ones behind it (TCP keeps order). */
  private pipe(from: net.Socket, to: net.Socket): void {
    let tail = Promise.resolve();
    const forward = (chunk: Buffer) => {
      if (to.writable) to.write(chunk);
    };
    from.on('data', (chunk: Buffer) => {
      const mode = this.mode;
      if (mode.kind === 'drop') {
        this.dropped.add(from);
        return;
      }
      const delayMs = mode.kind === 'slow' ? mode.delayMs : 0;
      tail = tail.then(() => (delayMs ? new Promise<void>((r) => setTimeout(() => r(forward(chunk)), delayMs)) : forward(chunk)));
    });
  }

  stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = null;
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}
