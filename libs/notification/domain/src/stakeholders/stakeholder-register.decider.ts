import { conflict, ignoreUnknownEvent, invalid, notFound, sameValue, unknownCommand } from '@pm/shared/ddd';
import type { CommandMetadata } from '@pm/shared/ddd';
import type { CommunicationCancelled, CommunicationPlanned, CommunicationSent, StakeholderRegisterEvent, StakeholderRegistered, StakeholderRemoved, StakeholderRevised } from '../notification.events';
import { capMustNotBeReached, idMustBeValid, optionalText, requiredText, uuidMustBeValid } from '../notification.rules';
import { communicationMustBeValid } from './communication-plan';
import type { Communication, CommunicationInput } from './communication-plan';

/**
 * A project's stakeholder register and communication plan (stream `stakeholder-register:<tenant>:<projectId>`, ADR
 * 0404). Both are small (capped) and change together — a plan names stakeholders of the register — so they share a
 * stream. Each run of a planned report is recorded once per due time: the scheduler fires at least once.
 */

export type Level = StakeholderRegistered['data']['interest'];
export type Stakeholder = Omit<StakeholderRegistered['data'], 'registeredBy' | 'registeredAt'>;
export type StakeholderInput = Omit<Stakeholder, 'projectId'>;

export interface StakeholderRegisterState {
  projectId: string | null;
  readonly stakeholders: Map<string, Stakeholder>;
  readonly removed: Set<string>;
  readonly communications: Map<string, Communication>;
  readonly cancelled: Set<string>;
  /** Per communication, the due time of its last recorded run. */
  readonly lastRun: Map<string, string>;
}

export const initialStakeholderRegister = (): StakeholderRegisterState => ({
  projectId: null,
  stakeholders: new Map(),
  removed: new Set(),
  communications: new Map(),
  cancelled: new Set(),
  lastRun: new Map(),
});

export const MAX_STAKEHOLDERS = 200;
export const MAX_COMMUNICATIONS = 20;
export const MAX_RECIPIENTS_PER_RUN = 500;
const LEVELS: ReadonlySet<string> = new Set(['low', 'medium', 'high']);
const CHANNELS: ReadonlySet<string> = new Set(['in-app', 'email']);

type Of<TType extends string, TData> = { readonly type: TType; readonly data: { readonly projectId: string } & TData; readonly metadata: CommandMetadata };
export type RegisterStakeholder = Of<'RegisterStakeholder', StakeholderInput>;
export type ReviseStakeholder = Of<'ReviseStakeholder', StakeholderInput>;
export type RemoveStakeholder = Of<'RemoveStakeholder', { readonly stakeholderId: string }>;
export type PlanCommunication = Of<'PlanCommunication', CommunicationInput>;
export type CancelCommunication = Of<'CancelCommunication', { readonly communicationId: string }>;
export type RecordCommunicationSent = Of<
  'RecordCommunicationSent',
  { readonly communicationId: string; readonly dueAt: string; readonly recipients: readonly string[]; readonly unreachable: readonly string[]; readonly changes: number }
>;
export type StakeholderRegisterCommand = RegisterStakeholder | ReviseStakeholder | RemoveStakeholder | PlanCommunication | CancelCommunication | RecordCommunicationSent;

const levelMustBeValid = (field: string, value: string): Level => {
  if (!LEVELS.has(value)) throw invalid('STAKEHOLDER_LEVEL_INVALID', `${field} is low, medium or high`, { field });
  return value as Level;
};

/** An entry as the contract takes it: trimmed texts, known levels and channel, ids as data. */
export function stakeholderMustBeValid(projectId: string, input: StakeholderInput): Stakeholder {
  if (!CHANNELS.has(input.preferredChannel)) throw invalid('STAKEHOLDER_CHANNEL_INVALID', 'preferredChannel is in-app or email');
  return {
    projectId: uuidMustBeValid('projectId', projectId),
    stakeholderId: idMustBeValid('stakeholderId', input.stakeholderId),
    name: requiredText('name', input.name, 'title'),
    role: optionalText('role', input.role, 'title'),
    organisation: optionalText('organisation', input.organisation, 'title'),
    interest: levelMustBeValid('interest', input.interest),
    influence: levelMustBeValid('influence', input.influence),
    preferredChannel: input.preferredChannel,
    userId: input.userId === null || input.userId === undefined ? null : idMustBeValid('userId', input.userId, 'userId'),
  };
}

function registerStakeholder(command: RegisterStakeholder, state: StakeholderRegisterState): StakeholderRegistered[] {
  const entry = stakeholderMustBeValid(command.data.projectId, command.data);
  const existing = state.stakeholders.get(entry.stakeholderId);
  if (existing !== undefined) {
    if (sameValue(existing, entry)) return [];
    throw conflict('STAKEHOLDER_ID_TAKEN', 'A stakeholder with this id is in the register', { stakeholderId: entry.stakeholderId });
  }
  capMustNotBeReached('STAKEHOLDER_LIMIT', 'stakeholders per project', state.stakeholders.size, MAX_STAKEHOLDERS);
  return [{ type: 'StakeholderRegistered', data: { ...entry, registeredBy: command.metadata.actor, registeredAt: command.metadata.now } }];
}

function mustBeRegistered(state: StakeholderRegisterState, stakeholderId: string): Stakeholder {
  const existing = state.stakeholders.get(stakeholderId);
  if (existing === undefined) throw notFound('STAKEHOLDER_NOT_FOUND', 'No such stakeholder in this project', { stakeholderId: String(stakeholderId).slice(0, 100) });
  return existing;
}

function reviseStakeholder(command: ReviseStakeholder, state: StakeholderRegisterState): StakeholderRevised[] {
  const entry = stakeholderMustBeValid(command.data.projectId, command.data);
  if (sameValue(mustBeRegistered(state, entry.stakeholderId), entry)) return [];
  return [{ type: 'StakeholderRevised', data: { ...entry, revisedBy: command.metadata.actor, revisedAt: command.metadata.now } }];
}

function removeStakeholder(command: RemoveStakeholder, state: StakeholderRegisterState): StakeholderRemoved[] {
  const { stakeholderId } = command.data;
  if (state.removed.has(stakeholderId) && !state.stakeholders.has(stakeholderId)) return [];
  mustBeRegistered(state, stakeholderId);
  return [{ type: 'StakeholderRemoved', data: { projectId: uuidMustBeValid('projectId', command.data.projectId), stakeholderId, removedBy: command.metadata.actor, removedAt: command.metadata.now } }];
}

function planCommunication(command: PlanCommunication, state: StakeholderRegisterState): CommunicationPlanned[] {
  const plan = communicationMustBeValid(command.data);
  for (const stakeholderId of plan.audience.stakeholders) mustBeRegistered(state, stakeholderId);
  const existing = state.communications.get(plan.communicationId);
  if (existing !== undefined && sameValue(existing, plan)) return [];
  if (existing === undefined) capMustNotBeReached('COMMUNICATION_LIMIT', 'planned communications per project', state.communications.size, MAX_COMMUNICATIONS);
  const projectId = uuidMustBeValid('projectId', command.data.projectId);
  return [{ type: 'CommunicationPlanned', data: { projectId, ...plan, plannedBy: command.metadata.actor, plannedAt: command.metadata.now } }];
}

function cancelCommunication(command: CancelCommunication, state: StakeholderRegisterState): CommunicationCancelled[] {
  const { communicationId } = command.data;
  if (!state.communications.has(communicationId)) {
    if (state.cancelled.has(communicationId)) return [];
    throw notFound('COMMUNICATION_NOT_FOUND', 'No such planned communication', { communicationId: String(communicationId).slice(0, 100) });
  }
  const projectId = uuidMustBeValid('projectId', command.data.projectId);
  return [{ type: 'CommunicationCancelled', data: { projectId, communicationId, cancelledBy: command.metadata.actor, cancelledAt: command.metadata.now } }];
}

/** A run of a cancelled plan, or a second firing for the same due time, records nothing. */
function recordCommunicationSent(command: RecordCommunicationSent, state: StakeholderRegisterState): CommunicationSent[] {
  const { communicationId, dueAt, recipients, unreachable, changes } = command.data;
  if (!state.communications.has(communicationId) || state.lastRun.get(communicationId) === dueAt) return [];
  if (recipients.length > MAX_RECIPIENTS_PER_RUN) throw invalid('COMMUNICATION_TOO_MANY_RECIPIENTS', `At most ${MAX_RECIPIENTS_PER_RUN} recipients per run`);
  const projectId = uuidMustBeValid('projectId', command.data.projectId);
  return [{ type: 'CommunicationSent', data: { projectId, communicationId, dueAt, recipients: [...new Set(recipients)], unreachable: [...unreachable], changes, sentAt: command.metadata.now } }];
}

export function decideStakeholderRegister(command: StakeholderRegisterCommand, state: StakeholderRegisterState): StakeholderRegisterEvent[] {
  switch (command.type) {
    case 'RegisterStakeholder':
      return registerStakeholder(command, state);
    case 'ReviseStakeholder':
      return reviseStakeholder(command, state);
    case 'RemoveStakeholder':
      return removeStakeholder(command, state);
    case 'PlanCommunication':
      return planCommunication(command, state);
    case 'CancelCommunication':
      return cancelCommunication(command, state);
    case 'RecordCommunicationSent':
      return recordCommunicationSent(command, state);
    default:
      return unknownCommand(command);
  }
}

export function evolveStakeholderRegister(state: StakeholderRegisterState, event: StakeholderRegisterEvent): StakeholderRegisterState {
  state.projectId = event.data.projectId;
  switch (event.type) {
    case 'StakeholderRegistered':
    case 'StakeholderRevised': {
      const { projectId, stakeholderId, name, role, organisation, interest, influence, preferredChannel, userId } = event.data;
      state.stakeholders.set(stakeholderId, { projectId, stakeholderId, name, role, organisation, interest, influence, preferredChannel, userId });
      state.removed.delete(stakeholderId);
      return state;
    }
    case 'StakeholderRemoved':
      state.stakeholders.delete(event.data.stakeholderId);
      state.removed.add(event.data.stakeholderId);
      return state;
    case 'CommunicationPlanned': {
      const { communicationId, report, audience, cadence } = event.data;
      state.communications.set(communicationId, { communicationId, report, audience, cadence });
      state.cancelled.delete(communicationId);
      return state;
    }
    case 'CommunicationCancelled':
      state.communications.delete(event.data.communicationId);
      state.cancelled.add(event.data.communicationId);
      return state;
    case 'CommunicationSent':
      state.lastRun.set(event.data.communicationId, event.data.dueAt);
      return state;
    default:
      return ignoreUnknownEvent(state, event);
  }
}

export const stakeholderRegisterDecider = { decide: decideStakeholderRegister, evolve: evolveStakeholderRegister, initialState: initialStakeholderRegister };
