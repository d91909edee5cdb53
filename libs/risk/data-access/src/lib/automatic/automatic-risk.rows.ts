import type { PoolClient } from 'pg';
import { parseEventData } from '@pm/contracts';
import type { ProjectionEvent } from '@pm/platform/projections';
import { signalKey } from '@pm/risk/domain';

const T = {
  raised: 'pm.risk.AutomaticRiskRaised',
  evidence: 'pm.risk.AutomaticRiskEvidenceRecorded',
  cleared: 'pm.risk.AutomaticRiskSignalCleared',
} as const;

export const AUTOMATIC_RISK_EVENT_TYPES: readonly string[] = Object.values(T);

/** Updates the risk row when it has not taken this stream version yet (the register's guard); true when it did. */
export type GuardedRiskUpdate = (riskId: string, set: string, params: unknown[]) => Promise<boolean>;

/**
 * An automatic risk's rows in the register: the row itself (a threat in the 'identified' status, as any risk starts) with
 * its rule, subject, generation and evidence; evidence and closure proposal as the signal goes on and clears. A closure
 * itself is the RiskStatusChanged that follows, which the register applies as for any risk.
 */
export async function applyAutomaticRiskEvent(event: ProjectionEvent, tx: PoolClient, update: GuardedRiskUpdate): Promise<void> {
  switch (event.type) {
    case T.raised: {
      const d = parseEventData(T.raised, event.schemaVersion, event.data).data;
      await tx.query(
        `INSERT INTO risk_register (tenant_id, risk_id, project_id, kind, title, cause, event, effect, category_id, status, identified_by, identified_at, stream_version,
           origin, rule_id, subject, signal_key, subject_resource, generation, evidence)
         VALUES ($1, $2, $3, 'threat', $4, $5, $6, $7, $8, 'identified', $9, $10, $11, 'automatic', $12, $13, $14, $15, $16, $17) ON CONFLICT DO NOTHING`,
        [
          event.tenantId, d.riskId, d.projectId, d.title, d.cause, d.event, d.effect, d.categoryId, d.raisedBy, d.raisedAt, event.streamVersion,
          d.ruleId, JSON.stringify(d.subject), signalKey(d.ruleId, d.subject), d.subject.resourceId, d.generation, JSON.stringify(d.evidence),
        ],
      );
      return;
    }
    case T.evidence: {
      const d = parseEventData(T.evidence, event.schemaVersion, event.data).data;
      await update(d.riskId, 'evidence = $4, closure_proposed = false', [JSON.stringify(d.evidence)]);
      return;
    }
    case T.cleared: {
      const d = parseEventData(T.cleared, event.schemaVersion, event.data).data;
      await update(d.riskId, 'evidence = $4, closure_proposed = $5', [JSON.stringify(d.evidence), d.outcome === 'closure-proposed']);
      return;
    }
    default:
      return;
  }
}
