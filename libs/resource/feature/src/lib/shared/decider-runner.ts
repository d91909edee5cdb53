import { Injectable } from '@nestjs/common';
import { PgEventStore, handleCommand, loadState } from '@pm/platform/event-store';
import type { Decider, DomainEvent } from '@pm/platform/event-store';
import { metadataFor } from './request-context';
import type { RequestContext } from './request-context';

/**
 * The write path every handler shares: load the stream, decide, append with the version read (retrying the
 * decision on a concurrent write). All resource events are at version 1 of their public contract.
 */
@Injectable()
export class DeciderRunner {
  constructor(private readonly store: PgEventStore) {}

  async run<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, streamId: string, command: C, ctx: RequestContext): Promise<{ events: E[]; state: S; version: number }> {
    return handleCommand<C, E, S>(this.store, {
      streamId,
      decider,
      command,
      tenantId: ctx.principal.tenantId,
      metadata: () => metadataFor(ctx),
      schemaVersionOf: () => 1,
      retriesOnConflict: 3,
    });
  }

  async load<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, streamId: string, tenantId: string): Promise<{ state: S; version: number }> {
    const { state, version } = await loadState<C, E, S>(this.store, streamId, decider, tenantId);
    return { state, version };
  }
}
