import { conflict, forbidden, ignoreUnknownEvent, invalid, notFound, unknownCommand } from '@pm/shared/ddd';
import type { CommandMetadata } from '@pm/shared/ddd';
import type { EscalationEvent, EscalationExhausted, EscalationStarted, NotificationAcknowledged, NotificationEscalated, SubjectLink } from '../notification.events';
import { actorIsUser, addMinutes, idMustBeValid, requiredText, uuidMustBeValid } from '../notification.rules';
import { ackWithinMustBeValid } from '../preferences/tenant-settings.decider';
import { chainMustBeValid } from './escalation-chain.decider';

/**
 * One escalation per critical event (stream `escalation:<tenant>:<eventId>`). Its subscribers hear first; when nobody
 * acknowledges within the tenant's time, the next person of the project's chain (as it was when the escalation started)
 * is told and gets the same time, and so on; an acknowledgement by anyone told stops it; past the last person it is
 * exhausted. The timer is the platform's durable scheduler: it sends CheckEscalation at ackDueAt, and an early or
 * repeated check decides nothing.
 */

export type EscalationState =
  | { readonly status: 'none' }
  | {
      status: 'waiting' | 'acknowledged' | 'exhausted';
      readonly escalationId: string;
      readonly projectId: string;
      readonly chain: readonly string[];
      readonly told: Set<string>;
      step: number;
      ackDueAt: string;
    };

export const initialEscalationState = (): EscalationState => ({ status: 'none' });
export const MAX_FIRST_NOTIFIED = 200;

type Of<TType extends string, TData> = { readonly type: TType; readonly data: { readonly escalationId: string } & TData; readonly metadata: CommandMetadata };
export type StartEscalation = Of<
  'StartEscalation',
  {
    readonly projectId: string;
    readonly severity: string;
    readonly subject: SubjectLink;
    readonly title: string;
    readonly notified: readonly string[];
    /** The project's chain now (the chain aggregate's state) and the tenant's time (its settings), loaded in the same plan. */
    readonly chain: readonly string[];
    readonly ackWithinMinutes: number;
  }
>;
export type CheckEscalation = Of<'CheckEscalation', { readonly ackWithinMinutes: number }>;
export type AcknowledgeNotification = Of<'AcknowledgeNotification', { readonly userId: string }>;
export type EscalationCommand = StartEscalation | CheckEscalation | AcknowledgeNotification;

type Started = Exclude<EscalationState, { status: 'none' }>;

function mustHaveStarted(state: EscalationState, escalationId: string): Started {
  if (state.status === 'none') throw notFound('ESCALATION_NOT_FOUND', 'No escalation for this event', { escalationId: String(escalationId).slice(0, 64) });
  return state;
}

function startEscalation(command: StartEscalation, state: EscalationState): EscalationStarted[] {
  const { data, metadata } = command;
  if (state.status !== 'none') return [];
  if (data.severity !== 'critical') throw invalid('ESCALATION_NOT_CRITICAL', 'Only critical notifications escalate');
  const chain = chainMustBeValid(data.chain);
  if (!Array.isArray(data.notified) || data.notified.length === 0 || data.notified.length > MAX_FIRST_NOTIFIED) {
    throw invalid('ESCALATION_NOTIFIED_INVALID', `One to ${MAX_FIRST_NOTIFIED} people hear first`);
  }
  const notified = [...new Set(data.notified.map((userId) => idMustBeValid('notified', userId, 'userId')))];
  return [
    {
      type: 'EscalationStarted',
      data: {
        escalationId: uuidMustBeValid('escalationId', data.escalationId),
        projectId: uuidMustBeValid('projectId', data.projectId),
        severity: 'critical',
        subject: data.subject,
        title: requiredText('title', data.title, 'title'),
        notified,
        chain,
        ackDueAt: addMinutes(metadata.now, ackWithinMustBeValid(data.ackWithinMinutes)),
        startedAt: metadata.now,
      },
    },
  ];
}

function checkEscalation(command: CheckEscalation, state: EscalationState): Array<NotificationEscalated | EscalationExhausted> {
  const started = mustHaveStarted(state, command.data.escalationId);
  const { now } = command.metadata;
  if (started.status !== 'waiting' || Date.parse(now) < Date.parse(started.ackDueAt)) return [];
  const { escalationId, projectId } = started;
  // Someone already told (a subscriber who is also in the chain) is skipped: telling them again changes nothing.
  const next = started.chain.find((userId) => !started.told.has(userId));
  if (next === undefined) return [{ type: 'EscalationExhausted', data: { escalationId, projectId, steps: started.step, exhaustedAt: now } }];
  return [
    {
      type: 'NotificationEscalated',
      data: { escalationId, projectId, step: started.chain.indexOf(next) + 1, toUserId: next, ackDueAt: addMinutes(now, ackWithinMustBeValid(command.data.ackWithinMinutes)), escalatedAt: now },
    },
  ];
}

function acknowledgeNotification(command: AcknowledgeNotification, state: EscalationState): NotificationAcknowledged[] {
  const started = mustHaveStarted(state, command.data.escalationId);
  const { userId } = command.data;
  if (!actorIsUser(command.metadata.actor, userId)) throw forbidden('ACKNOWLEDGEMENT_NOT_YOURS', 'A person acknowledges for themselves only');
  if (!started.told.has(userId)) throw forbidden('ESCALATION_NOT_TOLD', 'Only someone who was told can acknowledge');
  if (started.status === 'acknowledged') return [];
  if (started.status !== 'waiting' && started.status !== 'exhausted') throw conflict('ESCALATION_STATE', 'The escalation cannot be acknowledged now');
  return [{ type: 'NotificationAcknowledged', data: { escalationId: started.escalationId, projectId: started.projectId, acknowledgedBy: userId, acknowledgedAt: command.metadata.now } }];
}

export function decideEscalation(command: EscalationCommand, state: EscalationState): EscalationEvent[] {
  switch (command.type) {
    case 'StartEscalation':
      return startEscalation(command, state);
    case 'CheckEscalation':
      return checkEscalation(command, state);
    case 'AcknowledgeNotification':
      return acknowledgeNotification(command, state);
    default:
      return unknownCommand(command);
  }
}

export function evolveEscalation(state: EscalationState, event: EscalationEvent): EscalationState {
  if (event.type === 'EscalationStarted') {
    const { escalationId, projectId, chain, notified, ackDueAt } = event.data;
    return { status: 'waiting', escalationId, projectId, chain, told: new Set(notified), step: 0, ackDueAt };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'NotificationEscalated':
      state.told.add(event.data.toUserId);
      state.step = event.data.step;
      state.ackDueAt = event.data.ackDueAt;
      return state;
    case 'NotificationAcknowledged':
      state.status = 'acknowledged';
      return state;
    case 'EscalationExhausted':
      state.status = 'exhausted';
      return state;
    default:
      return ignoreUnknownEvent(state, event);
  }
}

export const escalationDecider = { decide: decideEscalation, evolve: evolveEscalation, initialState: initialEscalationState };
