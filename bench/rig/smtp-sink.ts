import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { RunScope } from './run-scope';

/** An SMTP server in the bench's process that accepts every message (as a mail relay would) and counts them. */
export async function startSmtpSink(scope: RunScope): Promise<{ port: number; received: () => number }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  scope.defer('stopping the SMTP sink', () => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.server.address() as AddressInfo).port, received: () => received };
}
