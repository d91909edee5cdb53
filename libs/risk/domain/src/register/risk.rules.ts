import { conflict, invalid, notFound } from '@pm/shared/ddd';
import type { ResponseStrategy, RiskKind, RiskStatus } from './risk-register.events';
import type { OpenRiskStatus, RegisteredRisk, RiskResponse, RiskState } from './risk.state';

export function riskMustExist(state: RiskState): asserts state is RegisteredRisk {
  if (state.status === 'not-identified') throw notFound('RISK_NOT_FOUND', 'Risk does not exist');
}

/** A closed risk is history, and an occurred one is an issue now: neither is assessed, responded to or reassigned. */
export function riskMustBeOpen(state: RegisteredRisk): asserts state is RegisteredRisk & { status: OpenRiskStatus } {
  if (state.status === 'closed') throw conflict('RISK_CLOSED', 'The risk is closed');
  if (state.status === 'occurred') throw conflict('RISK_OCCURRED', 'The risk has occurred; its issue carries on');
}

/** The life cycle. Every move is recorded as RiskStatusChanged, whatever caused it. */
export const RISK_TRANSITIONS: ReadonlyMap<RiskStatus, readonly RiskStatus[]> = new Map<RiskStatus, readonly RiskStatus[]>([
  ['identified', ['assessed', 'closed', 'occurred']],
  ['assessed', ['responding', 'closed', 'occurred']],
  ['responding', ['monitoring', 'closed', 'occurred']],
  ['monitoring', ['responding', 'closed', 'occurred']],
  ['occurred', ['closed']],
  ['closed', []],
]);

export const mayMoveRisk = (from: RiskStatus, to: RiskStatus): boolean => RISK_TRANSITIONS.get(from)?.includes(to) ?? false;

export function transitionMustBeAllowed(from: RiskStatus, to: RiskStatus): void {
  if (!mayMoveRisk(from, to)) throw conflict('RISK_TRANSITION_NOT_ALLOWED', `A risk cannot go from ${from} to ${to}`, { from, to });
}

export const THREAT_STRATEGIES: readonly ResponseStrategy[] = ['avoid', 'mitigate', 'transfer', 'accept', 'escalate'];
export const OPPORTUNITY_STRATEGIES: readonly ResponseStrategy[] = ['exploit', 'enhance', 'share', 'accept'];

/** PMBOK's response strategies: avoiding an opportunity or exploiting a threat is a category error, not a choice. */
export function strategyMustFitKind(strategy: ResponseStrategy, kind: RiskKind): void {
  const allowed = kind === 'threat' ? THREAT_STRATEGIES : OPPORTUNITY_STRATEGIES;
  if (!allowed.includes(strategy)) {
    throw invalid('RESPONSE_STRATEGY_DOES_NOT_FIT', `${String(strategy)} is not a response to ${kind === 'threat' ? 'a threat' : 'an opportunity'}`, {
      strategy,
      kind,
      allowed,
    });
  }
}

export function responseMustExist(state: RegisteredRisk, responseId: string): RiskResponse {
  const response = state.risk.responses.get(responseId);
  if (response === undefined) throw notFound('RESPONSE_NOT_FOUND', `No response ${responseId} on this risk`, { responseId });
  return response;
}

export const MAX_RESPONSES = 50;
export const MAX_ACTIONS = 500;
export const MAX_SECONDARY_RISKS = 100;
export const MAX_TRIGGERS = 20;
