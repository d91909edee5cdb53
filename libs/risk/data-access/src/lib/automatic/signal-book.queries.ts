import type { Pool, PoolClient } from 'pg';
import type { AutomaticRiskEvidence, AutomaticRiskRuleId, AutomaticRiskSubject, SignalBook, SignalRecord } from '@pm/risk/domain';

/** The records a fact is judged against: a project's automatic risks, or every automatic risk on one resource. */
export type SignalScope = { readonly projectId: string } | { readonly resourceId: string };

interface BookRow {
  signal_key: string;
  rule_id: AutomaticRiskRuleId;
  subject: AutomaticRiskSubject;
  risk_id: string;
  generation: number;
  status: string;
  closure_proposed: boolean;
  evidence: AutomaticRiskEvidence;
}

/**
 * The signal book of a scope, read from the register's automatic rows (the latest generation per rule and subject).
 * The same record `signalRecordOf` reads from the risk's state: a risk a person closed, or that occurred, is closed for
 * the rules, so a returning signal raises the next generation.
 */
export async function loadSignalBook(db: Pool | PoolClient, tenantId: string, scope: SignalScope): Promise<SignalBook> {
  const [column, value] = 'projectId' in scope ? ['project_id', scope.projectId] : ['subject_resource', scope.resourceId];
  const res = await db.query<BookRow>(
    `SELECT DISTINCT ON (signal_key) signal_key, rule_id, subject, risk_id, generation, status, closure_proposed, evidence
     FROM risk_register WHERE tenant_id = $1 AND ${column} = $2 AND origin = 'automatic'
     ORDER BY signal_key, generation DESC`,
    [tenantId, value],
  );
  const book = new Map<string, SignalRecord>();
  for (const r of res.rows) {
    const finished = r.status === 'closed' || r.status === 'occurred';
    const status = finished ? 'closed' : r.closure_proposed ? 'closure-proposed' : 'open';
    book.set(r.signal_key, { ruleId: r.rule_id, subject: r.subject, riskId: r.risk_id, generation: r.generation, status, evidence: r.evidence });
  }
  return book;
}
