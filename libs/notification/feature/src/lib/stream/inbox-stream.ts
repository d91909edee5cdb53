import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InboxItem, InboxQueries, TicketHolder } from '@pm/notification/data-access';
import type { InboxWakeups } from './inbox-wakeups';

const PAGE = 100;
const HEARTBEAT_MS = 15_000;

export interface InboxPump {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly holder: TicketHolder;
  readonly afterSeq: number;
  readonly reads: InboxQueries;
  readonly wakeups: InboxWakeups;
  readonly pollMs: number;
}

/** One SSE event per notification; its id is the recipient's gap-free sequence number, which `Last-Event-ID` resumes from. */
export const sseEvent = (item: InboxItem): string => `id: ${item.seq}\nevent: notification\ndata: ${JSON.stringify(item)}\n\n`;

/**
 * Writes what arrived after `afterSeq`, in seq order, then waits for a wake-up (a commit on this replica) or the poll
 * interval (a commit on another) and writes the rest. Seqs are committed in order per recipient (the inbox head row is
 * their lock), so reading `seq > last` never skips one that commits later, and never repeats one already sent. Ends
 * when the client goes or the session the token granted ends; the client reconnects with a fresh credential.
 */
export async function pumpInbox(p: InboxPump): Promise<void> {
  const { response, holder } = p;
  response.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  response.write('retry: 2000\n\n');
  let closed = false;
  p.request.once('close', () => (closed = true));
  const endsAt = holder.sessionEndsAt.getTime();
  let last = p.afterSeq;
  let lastWrite = Date.now();
  while (!closed && Date.now() < endsAt) {
    const items = await p.reads.arrivedAfter(holder.tenantId, holder.userId, last, PAGE);
    if (items.length > 0) {
      response.write(items.map(sseEvent).join(''));
      last = items[items.length - 1].seq;
      lastWrite = Date.now();
      if (items.length === PAGE) continue;
    } else if (Date.now() - lastWrite >= HEARTBEAT_MS) {
      response.write(': keep-alive\n\n');
      lastWrite = Date.now();
    }
    await p.wakeups.next(holder.tenantId, holder.userId, Math.max(1, Math.min(p.pollMs, endsAt - Date.now())));
  }
  response.end();
}
