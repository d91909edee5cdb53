export type * from './signal.types';
export { automaticRiskId, signalKey } from './automatic-risk-id';
export { applySignalDecisions, AUTOMATIC_RISK_CATEGORY, evaluateSignals, RISK_SERVICE_ACTOR } from './signal.evaluator';
export { observe } from './signal-rules';
export * from './signal.facts';
export { signalRecordOf } from './signal-record';
