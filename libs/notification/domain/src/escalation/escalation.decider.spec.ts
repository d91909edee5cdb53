import { deciderSpecification } from '@pm/shared/ddd/testing';
import type { EscalationEvent } from '../notification.events';
import { as, eventId as escalationId, meta, now, projectId } from '../notification.spec-fixtures';
import { escalationChainDecider, MAX_ESCALATION_CHAIN } from './escalation-chain.decider';
import { escalationDecider } from './escalation.decider';
import type { StartEscalation } from './escalation.decider';

const spec = deciderSpecification(escalationDecider);
const chains = deciderSpecification(escalationChainDecider);
const subject = { kind: 'risk' as const, id: 'risk-1', projectId };
const chain = ['deputy', 'head-of-pmo'];
const at = (minutes: number) => new Date(Date.parse(now) + minutes * 60_000).toISOString();
const service = (minutes: number) => ({ now: at(minutes), actor: 'service:notification-service', tenantId: 'tenant-1' });

const start = (overrides: Partial<StartEscalation['data']> = {}): StartEscalation => ({
  type: 'StartEscalation',
  data: { escalationId, projectId, severity: 'critical', subject, title: 'Risk rated critical', notified: ['pm-1'], chain, ackWithinMinutes: 30, ...overrides },
  metadata: service(0),
});
const started: EscalationEvent = {
  type: 'EscalationStarted',
  data: { escalationId, projectId, severity: 'critical', subject, title: 'Risk rated critical', notified: ['pm-1'], chain, ackDueAt: at(30), startedAt: now },
};
const escalated = (step: number, toUserId: string, minutes: number): EscalationEvent => ({
  type: 'NotificationEscalated',
  data: { escalationId, projectId, step, toUserId, ackDueAt: at(minutes + 30), escalatedAt: at(minutes) },
});
const check = (minutes: number) => ({ type: 'CheckEscalation' as const, data: { escalationId, ackWithinMinutes: 30 }, metadata: service(minutes) });
const ack = (userId: string, minutes = 10) => ({ type: 'AcknowledgeNotification' as const, data: { escalationId, userId }, metadata: as(userId, at(minutes)) });

describe('An escalation chain', () => {
  it('is defined per project, once', () => {
    const defined = { type: 'EscalationChainDefined' as const, data: { projectId, chain, definedBy: meta.actor, definedAt: now } };
    chains.given([]).when({ type: 'DefineEscalationChain', data: { projectId, chain }, metadata: meta }).then([defined]);
    chains.given([defined]).when({ type: 'DefineEscalationChain', data: { projectId, chain: [...chain] }, metadata: meta }).thenNothingHappens();
  });

  it('names one to ten people, each once', () => {
    const define = (people: string[]) => chains.given([]).when({ type: 'DefineEscalationChain', data: { projectId, chain: people }, metadata: meta });
    define([]).thenRejects('ESCALATION_CHAIN_EMPTY');
    define(['a', 'b', 'a']).thenRejects('ESCALATION_CHAIN_REPEATS');
    define(Array.from({ length: MAX_ESCALATION_CHAIN + 1 }, (_, i) => `p${i}`)).thenRejects('ESCALATION_CHAIN_TOO_LONG');
  });
});

describe('An escalation', () => {
  it('starts for a critical notification with the project’s chain and the tenant’s time', () => {
    spec.given([]).when(start()).then([started]);
    spec.given([started]).when(start()).thenNothingHappens();
    spec.given([]).when(start({ severity: 'high' })).thenRejects('ESCALATION_NOT_CRITICAL', 'invalid');
    spec.given([]).when(start({ chain: [] })).thenRejects('ESCALATION_CHAIN_EMPTY');
    spec.given([]).when(start({ ackWithinMinutes: Number.NaN })).thenRejects('ESCALATION_TIMEOUT_INVALID');
    spec.given([started]).when({ ...check(30), data: { escalationId, ackWithinMinutes: 0 } }).thenRejects('ESCALATION_TIMEOUT_INVALID');
  });

  it('goes to the next person when nobody acknowledged in time, and ends after the last', () => {
    spec.given([started]).when(check(30)).then([escalated(1, 'deputy', 30)]);
    spec.given([started, escalated(1, 'deputy', 30)]).when(check(60)).then([escalated(2, 'head-of-pmo', 60)]);
    spec.given([started, escalated(1, 'deputy', 30), escalated(2, 'head-of-pmo', 60)]).when(check(90)).then([
      { type: 'EscalationExhausted', data: { escalationId, projectId, steps: 2, exhaustedAt: at(90) } },
    ]);
  });

  it('does nothing on an early or repeated timer', () => {
    spec.given([started]).when(check(29)).thenNothingHappens();
    spec.given([started, escalated(1, 'deputy', 30)]).when(check(30)).thenNothingHappens();
  });

  it('skips people of the chain who were told already', () => {
    const startedWithDeputy: EscalationEvent = { ...started, data: { ...started.data, notified: ['deputy'] } } as EscalationEvent;
    spec.given([startedWithDeputy]).when(check(30)).then([escalated(2, 'head-of-pmo', 30)]);
  });

  it('stops when someone told acknowledges', () => {
    const acknowledged: EscalationEvent = { type: 'NotificationAcknowledged', data: { escalationId, projectId, acknowledgedBy: 'pm-1', acknowledgedAt: at(10) } };
    spec.given([started]).when(ack('pm-1')).then([acknowledged]);
    spec.given([started, acknowledged]).when(ack('pm-1')).thenNothingHappens();
    spec.given([started, acknowledged]).when(check(30)).thenNothingHappens();
    spec.given([started, escalated(1, 'deputy', 30)]).when(ack('deputy', 40)).then([
      { type: 'NotificationAcknowledged', data: { escalationId, projectId, acknowledgedBy: 'deputy', acknowledgedAt: at(40) } },
    ]);
  });

  it('refuses acknowledgements from people not told, or on behalf of someone else', () => {
    spec.given([started]).when(ack('head-of-pmo')).thenRejects('ESCALATION_NOT_TOLD', 'forbidden');
    spec.given([started]).when({ ...ack('pm-1'), metadata: as('intruder') }).thenRejects('ACKNOWLEDGEMENT_NOT_YOURS', 'forbidden');
    spec.given([]).when(ack('pm-1')).thenRejects('ESCALATION_NOT_FOUND', 'not-found');
  });
});
