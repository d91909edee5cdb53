import { Controller, Get, HttpCode, Inject, Optional, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import { EmailDeliveries, InboxQueries, NotificationDirectory, StreamTickets } from '@pm/notification/data-access';
import { PG_POOL } from '@pm/platform/event-store';
import type { TicketHolder } from '@pm/notification/data-access';
import { AnyRole, Public, REQUEST_ADMISSION, TokenVerifier, bearerToken, principalOf } from '@pm/platform/auth';
import type { Principal, RequestAdmission, Role } from '@pm/platform/auth';
import { ApiSuccessBody, ProblemException, extendRequestTimeout } from '@pm/platform/http';
import { NOTIFICATION_OPTIONS } from '../shared/notification-options';
import type { NotificationOptions } from '../shared/notification-options';
import { InboxWakeups } from './inbox-wakeups';
import { pumpInbox } from './inbox-stream';

export const TICKET_COOKIE = 'pm_inbox_ticket';

const unauthorised = (detail: string) =>
  new ProblemException({ status: 401, code: 'STREAM_AUTH_REQUIRED', title: 'Authentication required', detail, headers: { 'WWW-Authenticate': 'Bearer realm="pm"' } });

/** The `exp` of a token the verifier accepted (docs/security.md makes it required): the stream ends then. */
function expiryOf(token: string): Date {
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
  return new Date(typeof claims.exp === 'number' ? claims.exp * 1000 : Date.now());
}

function cookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/**
 * Live inbox over Server-Sent Events (ADR 0401, docs/security.md): a browser reads it with `fetch()` and the bearer
 * header, or opens an EventSource with a single-use ticket in an HttpOnly cookie that `POST /inbox/stream-tickets`
 * sets. Never a credential in the URL: a `ticket` query parameter is refused, not read.
 */
@ApiTags('inbox')
@Controller('inbox')
export class InboxStreamController {
  private readonly directory = new NotificationDirectory();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly tickets: StreamTickets,
    private readonly reads: InboxQueries,
    private readonly wakeups: InboxWakeups,
    private readonly verifier: TokenVerifier,
    @Inject(NOTIFICATION_OPTIONS) private readonly options: NotificationOptions,
    @Optional() @Inject(REQUEST_ADMISSION) private readonly admission?: RequestAdmission,
  ) {}

  @Post('stream-tickets')
  @HttpCode(201)
  @AnyRole()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'A single-use ticket (30 s) that opens my inbox stream; also set as an HttpOnly, SameSite=Strict cookie for EventSource' })
  @ApiSuccessBody({ type: 'object', required: ['ticket', 'expiresAt'], properties: { ticket: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } } })
  async issue(@Req() request: IncomingMessage, @Res({ passthrough: true }) response: ServerResponse) {
    const principal = principalOf(request);
    const token = bearerToken(request.headers.authorization) ?? '';
    if (!principal) throw unauthorised('A bearer token is required');
    const now = new Date();
    const holder: TicketHolder = { tenantId: principal.tenantId, userId: principal.sub, roles: principal.roles, sessionEndsAt: expiryOf(token) };
    const { ticket, expiresAt } = await this.tickets.issue(holder, this.options.ticketTtlSeconds, now);
    // Whoever opens their inbox is someone the directory should know, with the roles their token carries.
    await this.directory.rememberToken(this.pool, principal.tenantId, principal.sub, principal.roles);
    await new EmailDeliveries().rememberRecipient(this.pool, principal.tenantId, principal.sub, { email: principal.email ?? null, locale: principal.locale ?? null }, now.toISOString());
    const maxAge = Math.max(1, Math.ceil((expiresAt.getTime() - now.getTime()) / 1000));
    response.setHeader('Set-Cookie', `${TICKET_COOKIE}=${ticket}; Max-Age=${maxAge}; Path=/inbox/stream; HttpOnly; Secure; SameSite=Strict`);
    response.setHeader('Cache-Control', 'no-store');
    return { ticket, expiresAt: expiresAt.toISOString() };
  }

  @Get('stream')
  @Public()
  @ApiExcludeEndpoint()
  @ApiOperation({ summary: 'My notifications as they arrive (text/event-stream), resuming after Last-Event-ID' })
  async stream(@Req() request: IncomingMessage, @Res() response: ServerResponse): Promise<void> {
    const holder = await this.authenticate(request);
    const last = Number(request.headers['last-event-id'] ?? 0);
    const afterSeq = Number.isSafeInteger(last) && last >= 0 ? last : 0;
    const remainingMs = holder.sessionEndsAt.getTime() - Date.now();
    extendRequestTimeout(request, Math.max(remainingMs, 0) + 5_000);
    await pumpInbox({ request, response, holder, afterSeq, reads: this.reads, wakeups: this.wakeups, pollMs: this.options.streamPollMs });
  }

  /** The bearer header (fetch) or the ticket cookie (EventSource); the stream counts against the rate limit as any request. */
  private async authenticate(request: IncomingMessage): Promise<TicketHolder> {
    if (new URL(request.url ?? '/', 'http://x').searchParams.has('ticket')) {
      throw new ProblemException({ status: 400, code: 'TICKET_IN_URL', detail: 'Credentials never go in a URL: send the ticket as the pm_inbox_ticket cookie, or use the Authorization header' });
    }
    const token = bearerToken(request.headers.authorization);
    let holder: TicketHolder | null = null;
    let principal: Principal;
    if (token) {
      try {
        principal = await this.verifier.verify(token);
      } catch {
        throw unauthorised('The bearer token was refused');
      }
      holder = { tenantId: principal.tenantId, userId: principal.sub, roles: principal.roles, sessionEndsAt: expiryOf(token) };
    } else {
      const ticket = cookie(request, TICKET_COOKIE);
      holder = ticket === undefined ? null : await this.tickets.redeem(ticket, new Date());
      if (holder === null) throw unauthorised('Open the stream with a bearer header, or with a fresh ticket from POST /inbox/stream-tickets in the pm_inbox_ticket cookie');
      principal = { tenantId: holder.tenantId, sub: holder.userId, roles: holder.roles as Role[], actor: `user:${holder.userId}` };
    }
    if (holder.roles.length === 0) throw new ProblemException({ status: 403, code: 'AUTH_FORBIDDEN', detail: 'The token carries no role of this platform.' });
    await this.admission?.admit(principal, request);
    return holder;
  }
}
