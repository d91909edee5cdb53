import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL, WritePath } from '@pm/platform/event-store';
import { systemContext } from '@pm/platform/request-context';
import type { Cause } from '@pm/platform/request-context';
import { loadSignalBook } from '@pm/risk/data-access';
import type { SignalScope } from '@pm/risk/data-access';
import { evaluateSignals, riskAggregate, riskSettingsAggregate, riskSettingsStreamId, riskStreamId } from '@pm/risk/domain';
import type { SignalFact } from '@pm/risk/domain';
import { DomainError } from '@pm/shared/ddd';
import { projectInPlan } from '../shared/inline-projection';
import { RISK_SERVICE } from '../shared/risk-options';

/** The event a reaction answers: its id, correlation and trace context, and its time (the rules' `now`). */
export interface SignalCause extends Cause {
  readonly time: string;
}

/** A fact that can only clear signals: with no record in its scope it decides nothing, whatever the tenant's settings. */
const clearsOnly = (fact: SignalFact): boolean =>
  fact.kind === 'task-no-longer-critical' || fact.kind === 'mitigation-action-settled' || (fact.kind === 'resource-allocation' && fact.criticalTasks.length === 0);

/**
 * Runs the automatic-risk rules over one fact on the one write path (ADR 0303): the tenant's rule settings and the
 * scope's signal book are read in the plan, the decisions are decided on their risk streams and their register rows
 * written in the same transaction. A conflict with another writer re-runs the whole plan on fresh state (the book is
 * read again), so two reactions that raise the same risk (its id is derived from tenant, rule, subject and generation)
 * append it once. The same fact twice decides nothing the second time.
 */
@Injectable()
export class AutomaticRiskSignals {
  private readonly log = new Logger(AutomaticRiskSignals.name);

  constructor(
    private readonly writePath: WritePath,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  /** Returns how many events the reaction appended. */
  async react(tenantId: string, fact: SignalFact, scope: SignalScope, cause: SignalCause): Promise<number> {
    // Most schedule changes are tasks that are not critical: one indexed read, and no plan, when nothing is open there.
    if (clearsOnly(fact) && (await loadSignalBook(this.pool, tenantId, scope)).size === 0) return 0;
    const ctx = systemContext(RISK_SERVICE, tenantId, cause);
    const outcome = await this.writePath.run(ctx, async (tx) => {
      const { state: settings } = await tx.load(riskSettingsAggregate, riskSettingsStreamId(tenantId));
      const book = await loadSignalBook(this.pool, tenantId, scope);
      let appended = 0;
      for (const decision of evaluateSignals(fact, book, settings.automaticRules, { tenantId, now: cause.time })) {
        const stream = riskStreamId(tenantId, decision.command.data.riskId);
        const { version } = await tx.load(riskAggregate, stream);
        try {
          const { events } = await tx.decide(riskAggregate, stream, decision.command);
          projectInPlan(tx, stream, version, events);
          appended += events.length;
        } catch (error) {
          // A person decided on the risk after the book was read (closed it, recorded its occurrence): it no longer
          // takes evidence. The book is right again once that decision's row is in the register.
          if (!(error instanceof DomainError)) throw error;
          this.log.warn({ code: error.code, tenantId, riskId: decision.command.data.riskId, decision: decision.type }, 'automatic risk decision refused');
        }
      }
      return appended;
    });
    return outcome.result;
  }
}
