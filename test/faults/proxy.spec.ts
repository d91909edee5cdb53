import net from 'node:net';
import { FaultProxy } from './proxy';

/** An echo server on a free port. */
async function echoServer(): Promise<net.Server> {
  const server = net.createServer((s) => s.on('data', (d) => s.write(d)).on('error', () => undefined));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return server;
}
const portOf = (s: net.Server) => (s.address() as net.AddressInfo).port;

async function freePort(): Promise<number> {
  const s = await echoServer();
  const port = portOf(s);
  await new Promise((r) => s.close(r));
  return port;
}

/** Connects, sends `text`, and resolves with what came back within `ms`, or how the connection ended. */
function roundTrip(port: number, text: string, ms = 1500): Promise<{ echoed: string; ended: 'open' | 'reset' | 'refused'; elapsedMs: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    let echoed = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    const done = (ended: 'open' | 'reset' | 'refused') => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ echoed, ended, elapsedMs: Date.now() - started });
    };
    const timer = setTimeout(() => done('open'), ms);
    socket.on('data', (d) => {
      echoed += d.toString();
      if (echoed === text) done('open');
    });
    socket.on('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED' ? 'refused' : 'reset'));
    socket.on('close', () => done(echoed ? 'open' : 'reset'));
  });
}

describe('FaultProxy (the fault suite network faults)', () => {
  let target: net.Server;
  let proxy: FaultProxy;

  beforeEach(async () => {
    target = await echoServer();
    proxy = new FaultProxy('echo', await freePort(), portOf(target));
    await proxy.start();
  });
  afterEach(async () => {
    await proxy.stop();
    await new Promise((r) => target.close(r));
  });

  it('passes bytes both ways', async () => {
    expect(await roundTrip(proxy.port, 'hello')).toMatchObject({ echoed: 'hello', ended: 'open' });
  });

  it('a slow link holds every chunk each way', async () => {
    proxy.set({ kind: 'slow', delayMs: 200 });
    const r = await roundTrip(proxy.port, 'slow');
    expect(r.echoed).toBe('slow');
    expect(r.elapsedMs).toBeGreaterThanOrEqual(390);
  });

  it('a dropped link swallows bytes without a reset, and resets those connections when it comes back', async () => {
    proxy.set({ kind: 'drop' });
    const socket = net.connect(proxy.port, '127.0.0.1');
    const events: string[] = [];
    socket.on('data', () => events.push('data'));
    socket.on('error', () => events.push('error'));
    socket.on('close', () => events.push('close'));
    await new Promise<void>((r) => socket.once('connect', () => r()));
    socket.write('lost');
    await new Promise((r) => setTimeout(r, 300));
    expect(events).toEqual([]);
    proxy.set({ kind: 'pass' });
    await new Promise((r) => setTimeout(r, 300));
    expect(events).toContain('close');
    expect(events).not.toContain('data');
    expect(await roundTrip(proxy.port, 'again')).toMatchObject({ echoed: 'again', ended: 'open' });
  });

  it('a cut link resets open connections and refuses new ones until it passes again', async () => {
    const open = net.connect(proxy.port, '127.0.0.1');
    const closed = new Promise<void>((r) => open.on('close', () => r()));
    open.on('error', () => undefined);
    await new Promise<void>((r) => open.once('connect', () => r()));
    await new Promise((r) => setTimeout(r, 50));
    proxy.set({ kind: 'cut' });
    await closed;
    expect((await roundTrip(proxy.port, 'x')).echoed).toBe('');
    proxy.set({ kind: 'pass' });
    expect(await roundTrip(proxy.port, 'back')).toMatchObject({ echoed: 'back', ended: 'open' });
  });
});
