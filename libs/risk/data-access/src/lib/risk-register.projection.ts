import type { PoolClient } from 'pg';
import { parseEventData } from '@pm/contracts';
import type { Projection, ProjectionEvent } from '@pm/platform/projections';
import { AUTOMATIC_RISK_EVENT_TYPES, applyAutomaticRiskEvent } from './automatic/automatic-risk.rows';

const T = {
  identified: 'pm.risk.RiskIdentified',
  assessed: 'pm.risk.RiskAssessed',
  status: 'pm.risk.RiskStatusChanged',
  owner: 'pm.risk.RiskOwnerAssigned',
  review: 'pm.risk.RiskReviewScheduled',
  reviewOverdue: 'pm.risk.RiskReviewOverdue',
  occurred: 'pm.risk.RiskOccurred',
  response: 'pm.risk.ResponsePlanned',
  action: 'pm.risk.MitigationActionAdded',
  actionCompleted: 'pm.risk.MitigationActionCompleted',
  actionOverdue: 'pm.risk.MitigationActionOverdue',
  secondary: 'pm.risk.SecondaryRiskLinked',
  scheduleImpact: 'pm.risk.RiskScheduleImpactDefined',
  issueRaised: 'pm.risk.IssueRaised',
  issueResolved: 'pm.risk.IssueResolved',
  issueLinked: 'pm.risk.IssueLinkedToChangeRequest',
} as const;

/** Events that create their row (INSERT … ON CONFLICT DO NOTHING): a no-op once the row exists. */
const CREATING: ReadonlySet<string> = new Set([T.identified, T.issueRaised, 'pm.risk.AutomaticRiskRaised']);

interface RowKey {
  readonly table: 'r' | 'i';
  readonly tenantId: string;
  readonly id: string;
}

/** The register or issue-log row an event writes (issue events carry `issueId`, every other one `riskId`). */
function rowKeyOf(event: ProjectionEvent): RowKey | null {
  const data = event.data as { riskId?: unknown; issueId?: unknown } | null;
  const issue = event.type.startsWith('pm.risk.Issue');
  const id = issue ? data?.issueId : data?.riskId;
  return typeof id === 'string' && UUID.test(id) ? { table: issue ? 'i' : 'r', tenantId: event.tenantId, id: id.toLowerCase() } : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const columnsOf = (keys: readonly RowKey[]): [string[], string[]] => [keys.map((k) => k.tenantId), keys.map((k) => k.id)];

type Dimensions = Record<string, { probability: number; impact: number; score: number } | null>;

/** The cell an assessment sits in: its worst dimension (highest score, then highest probability). */
export function cellOf(dimensions: Dimensions): { probability: number; impact: number } | null {
  let worst: { probability: number; impact: number; score: number } | null = null;
  for (const d of Object.values(dimensions)) {
    if (d && (!worst || d.score > worst.score || (d.score === worst.score && d.probability > worst.probability))) worst = d;
  }
  return worst ? { probability: worst.probability, impact: worst.impact } : null;
}

/**
 * The register and the issue log, from the service's own store. The runner applies each event once (its checkpoint
 * commits with the rows); the stream-version guard on the risk or issue row makes a replay of an event change nothing
 * all the same, and a child row (response, action, link) is written only when its risk row took the event.
 */
export class RiskRegisterProjection implements Projection {
  readonly name = 'risk-register';
  readonly handles: readonly string[] = [...Object.values(T), ...AUTOMATIC_RISK_EVENT_TYPES];

  async reset(tx: PoolClient): Promise<void> {
    await tx.query('TRUNCATE risk_register, risk_responses, risk_actions, risk_secondary_links, issue_log');
  }

  async apply(event: ProjectionEvent, tx: PoolClient): Promise<void> {
    if (event.type === T.identified) {
      const d = parseEventData(T.identified, event.schemaVersion, event.data).data;
      await tx.query(
        `INSERT INTO risk_register (tenant_id, risk_id, project_id, kind, title, cause, event, effect, category_id, owner_id, proximity, triggers, status,
           identified_by, identified_at, stream_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'identified', $13, $14, $15) ON CONFLICT DO NOTHING`,
        [event.tenantId, d.riskId, d.projectId, d.kind, d.title, d.cause, d.event, d.effect, d.categoryId, d.ownerId, d.proximity, JSON.stringify(d.triggers), d.identifiedBy, d.identifiedAt, event.streamVersion],
      );
      return;
    }
    if (event.type.startsWith('pm.risk.Issue')) return this.applyIssue(event, tx);
    if (AUTOMATIC_RISK_EVENT_TYPES.includes(event.type)) {
      return applyAutomaticRiskEvent(event, tx, (riskId, set, params) => this.update(tx, 'risk_register', 'risk_id', event.tenantId, riskId, event.streamVersion, set, params));
    }
    return this.applyRisk(event, tx);
  }

  /**
   * The events of a batch that can still change a row: one read of the rows' stream versions instead of one guarded
   * statement per event. An event is left out only when its guard would refuse it for certain: a creating event whose
   * row exists (ON CONFLICT DO NOTHING), any other whose row has taken this stream version or a later one. A row that
   * does not exist yet may be created earlier in the same batch, so its events stay in. Commands write their rows in
   * their own transaction, so the store-fed runner usually finds every event of a batch applied.
   */
  async unapplied(events: readonly ProjectionEvent[], tx: PoolClient): Promise<ProjectionEvent[]> {
    const keyed = events.map((event) => ({ event, key: rowKeyOf(event) }));
    const wanted = keyed.flatMap(({ key }) => (key ? [key] : []));
    if (wanted.length === 0) return [...events];
    const res = await tx.query<{ k: string; v: number }>(
      `SELECT 'r' || tenant_id || '/' || risk_id AS k, stream_version AS v FROM risk_register r
         JOIN unnest($1::text[], $2::uuid[]) AS w(t, id) ON r.tenant_id = w.t AND r.risk_id = w.id
       UNION ALL
       SELECT 'i' || tenant_id || '/' || issue_id AS k, stream_version AS v FROM issue_log i
         JOIN unnest($3::text[], $4::uuid[]) AS w(t, id) ON i.tenant_id = w.t AND i.issue_id = w.id`,
      [
        ...columnsOf(wanted.filter((k) => k.table === 'r')),
        ...columnsOf(wanted.filter((k) => k.table === 'i')),
      ],
    );
    const versions = new Map(res.rows.map((r) => [r.k, Number(r.v)]));
    return keyed.filter(({ event, key }) => {
      const version = key ? versions.get(`${key.table}${key.tenantId}/${key.id}`) : undefined;
      if (version === undefined) return true;
      return !CREATING.has(event.type) && version < event.streamVersion;
    }).map(({ event }) => event);
  }

  private async applyRisk(event: ProjectionEvent, tx: PoolClient): Promise<void> {
    const { tenantId: tenant } = event;
    const risk = (riskId: string, set: string, params: unknown[]) => this.update(tx, 'risk_register', 'risk_id', tenant, riskId, event.streamVersion, set, params);
    switch (event.type) {
      case T.assessed: {
        const d = parseEventData(T.assessed, event.schemaVersion, event.data).data;
        const cell = cellOf((d.residual ?? d.inherent).dimensions);
        const money = 'cost_impact_minor = $12, cost_currency = $13, expected_cost_minor = $14';
        await risk(d.riskId, `inherent = $4, residual = $5, inherent_score = $6, residual_score = $7, rating = $8, matrix_revision = $9, cell_probability = $10, cell_impact = $11, ${money}`, [
          JSON.stringify(d.inherent), d.residual ? JSON.stringify(d.residual) : null, d.inherent.score, d.residual?.score ?? null, d.rating, d.matrixRevision, cell?.probability ?? null, cell?.impact ?? null,
          d.costImpact?.amountMinor ?? null, d.costImpact?.currency ?? null, d.expectedCost?.amountMinor ?? null,
        ]);
        return;
      }
      case T.status: {
        const d = parseEventData(T.status, event.schemaVersion, event.data).data;
        await risk(d.riskId, 'status = $4', [d.to]);
        return;
      }
      case T.owner: {
        const d = parseEventData(T.owner, event.schemaVersion, event.data).data;
        await risk(d.riskId, 'owner_id = $4', [d.ownerId]);
        return;
      }
      case T.review: {
        const d = parseEventData(T.review, event.schemaVersion, event.data).data;
        await risk(d.riskId, 'review_on = $4, review_overdue = false', [d.reviewOn]);
        return;
      }
      case T.reviewOverdue: {
        const d = parseEventData(T.reviewOverdue, event.schemaVersion, event.data).data;
        await risk(d.riskId, 'review_overdue = (review_on = $4::date)', [d.reviewOn]);
        return;
      }
      case T.scheduleImpact: {
        const d = parseEventData(T.scheduleImpact, event.schemaVersion, event.data).data;
        await risk(d.riskId, 'schedule_impact = $4', [JSON.stringify(d.tasks)]);
        return;
      }
      case T.occurred: {
        const d = parseEventData(T.occurred, event.schemaVersion, event.data).data;
        await risk(d.riskId, 'occurred_on = $4', [d.occurredOn]);
        return;
      }
      default:
        return this.applyResponse(event, tx);
    }
  }

  private async applyResponse(event: ProjectionEvent, tx: PoolClient): Promise<void> {
    const { tenantId: tenant } = event;
    const taken = (riskId: string) => this.update(tx, 'risk_register', 'risk_id', tenant, riskId, event.streamVersion, 'risk_id = risk_id', []);
    switch (event.type) {
      case T.response: {
        const d = parseEventData(T.response, event.schemaVersion, event.data).data;
        if (!(await taken(d.riskId))) return;
        await tx.query(
          'INSERT INTO risk_responses (tenant_id, risk_id, response_id, strategy, description, planned_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING',
          [tenant, d.riskId, d.responseId, d.strategy, d.description, d.plannedAt],
        );
        return;
      }
      case T.action: {
        const d = parseEventData(T.action, event.schemaVersion, event.data).data;
        if (!(await taken(d.riskId))) return;
        await tx.query(
          `INSERT INTO risk_actions (tenant_id, risk_id, action_id, response_id, description, owner_id, due_on, cost) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
          [tenant, d.riskId, d.actionId, d.responseId, d.description, d.ownerId, d.dueOn, d.cost ? JSON.stringify(d.cost) : null],
        );
        return;
      }
      case T.actionCompleted: {
        const d = parseEventData(T.actionCompleted, event.schemaVersion, event.data).data;
        if (await taken(d.riskId)) await tx.query('UPDATE risk_actions SET completed = true WHERE tenant_id = $1 AND risk_id = $2 AND action_id = $3', [tenant, d.riskId, d.actionId]);
        return;
      }
      case T.actionOverdue: {
        const d = parseEventData(T.actionOverdue, event.schemaVersion, event.data).data;
        if (await taken(d.riskId)) await tx.query('UPDATE risk_actions SET overdue = true WHERE tenant_id = $1 AND risk_id = $2 AND action_id = $3', [tenant, d.riskId, d.actionId]);
        return;
      }
      case T.secondary: {
        const d = parseEventData(T.secondary, event.schemaVersion, event.data).data;
        if (!(await taken(d.riskId))) return;
        await tx.query('INSERT INTO risk_secondary_links (tenant_id, risk_id, secondary_risk_id, response_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [
          tenant, d.riskId, d.secondaryRiskId, d.responseId,
        ]);
        return;
      }
      default:
        return;
    }
  }

  private async applyIssue(event: ProjectionEvent, tx: PoolClient): Promise<void> {
    const { tenantId: tenant, streamVersion: v } = event;
    switch (event.type) {
      case T.issueRaised: {
        const d = parseEventData(T.issueRaised, event.schemaVersion, event.data).data;
        await tx.query(
          `INSERT INTO issue_log (tenant_id, issue_id, project_id, title, description, severity, owner_id, due_on, source_risk_id, status, raised_by, raised_at, stream_version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10, $11, $12) ON CONFLICT DO NOTHING`,
          [tenant, d.issueId, d.projectId, d.title, d.description, d.severity, d.ownerId, d.dueOn, d.source.type === 'risk' ? d.source.riskId : null, d.raisedBy, d.raisedAt, v],
        );
        return;
      }
      case T.issueResolved: {
        const d = parseEventData(T.issueResolved, event.schemaVersion, event.data).data;
        await this.update(tx, 'issue_log', 'issue_id', tenant, d.issueId, v, "status = 'resolved', resolution = $4", [d.resolution]);
        return;
      }
      case T.issueLinked: {
        const d = parseEventData(T.issueLinked, event.schemaVersion, event.data).data;
        await this.update(tx, 'issue_log', 'issue_id', tenant, d.issueId, v, 'change_request_ids = array_append(change_request_ids, $4::uuid)', [d.changeRequestId]);
        return;
      }
      default:
        return;
    }
  }

  private async update(tx: PoolClient, table: 'risk_register' | 'issue_log', key: 'risk_id' | 'issue_id', tenant: string, id: string, v: number, set: string, params: unknown[]): Promise<boolean> {
    const res = await tx.query(`UPDATE ${table} SET ${set}, stream_version = $3 WHERE tenant_id = $1 AND ${key} = $2 AND stream_version < $3`, [tenant, id, v, ...params]);
    return (res.rowCount ?? 0) > 0;
  }
}
