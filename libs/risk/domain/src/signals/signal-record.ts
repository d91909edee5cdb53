import type { RiskState } from '../register/risk.state';
import { signalKey } from './automatic-risk-id';
import type { SignalRecord } from './signal.types';

/**
 * The signal book's record of an automatic risk, read from the risk's own state, so the service can rebuild its book
 * from the risk streams and keep it right after any decision on the risk, a person's included. A risk closed or
 * occurred (an issue now) no longer takes evidence: for the rules it is closed, and a returning signal raises the next
 * generation. Null for a risk a person identified.
 */
export function signalRecordOf(state: RiskState): { readonly key: string; readonly record: SignalRecord } | null {
  if (state.status === 'not-identified' || state.risk.automatic === null) return null;
  const { ruleId, subject, generation, evidence, closureProposed } = state.risk.automatic;
  const finished = state.status === 'closed' || state.status === 'occurred';
  const status = finished ? 'closed' : closureProposed ? 'closure-proposed' : 'open';
  return { key: signalKey(ruleId, subject), record: { ruleId, subject, riskId: state.risk.identification.riskId, generation, status, evidence } };
}
