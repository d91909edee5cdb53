import { ignoreUnknownEvent, invalid, sameValue, unknownCommand } from '@pm/shared/ddd';
import type { CommandMetadata } from '@pm/shared/ddd';
import type { EscalationChainDefined, EscalationChainEvent } from '../notification.events';
import { idMustBeValid, uuidMustBeValid } from '../notification.rules';

/** A project's escalation chain (stream `escalation-chain:<tenant>:<projectId>`), kept by this service. */

export interface EscalationChainState {
  projectId: string | null;
  chain: readonly string[];
}

export const MAX_ESCALATION_CHAIN = 10;
export const initialEscalationChain = (): EscalationChainState => ({ projectId: null, chain: [] });

export interface DefineEscalationChain {
  readonly type: 'DefineEscalationChain';
  readonly data: { readonly projectId: string; readonly chain: readonly string[] };
  readonly metadata: CommandMetadata;
}
export type EscalationChainCommand = DefineEscalationChain;

/** One to ten people, each once, in the order they are escalated to. */
export function chainMustBeValid(chain: readonly string[]): string[] {
  if (!Array.isArray(chain) || chain.length === 0) throw invalid('ESCALATION_CHAIN_EMPTY', 'An escalation chain names at least one person');
  if (chain.length > MAX_ESCALATION_CHAIN) throw invalid('ESCALATION_CHAIN_TOO_LONG', `At most ${MAX_ESCALATION_CHAIN} people`, { cap: MAX_ESCALATION_CHAIN });
  const people = chain.map((userId) => idMustBeValid('chain', userId, 'userId'));
  if (new Set(people).size !== people.length) throw invalid('ESCALATION_CHAIN_REPEATS', 'Each person appears once in a chain');
  return people;
}

function defineEscalationChain(command: DefineEscalationChain, state: EscalationChainState): EscalationChainDefined[] {
  const projectId = uuidMustBeValid('projectId', command.data.projectId);
  const chain = chainMustBeValid(command.data.chain);
  if (state.projectId !== null && sameValue(state.chain, chain)) return [];
  return [{ type: 'EscalationChainDefined', data: { projectId, chain, definedBy: command.metadata.actor, definedAt: command.metadata.now } }];
}

export function decideEscalationChain(command: EscalationChainCommand, state: EscalationChainState): EscalationChainEvent[] {
  return command.type === 'DefineEscalationChain' ? defineEscalationChain(command, state) : unknownCommand(command as never);
}

export function evolveEscalationChain(state: EscalationChainState, event: EscalationChainEvent): EscalationChainState {
  if (event.type !== 'EscalationChainDefined') return ignoreUnknownEvent(state, event as never);
  state.projectId = event.data.projectId;
  state.chain = event.data.chain;
  return state;
}

export const escalationChainDecider = { decide: decideEscalationChain, evolve: evolveEscalationChain, initialState: initialEscalationChain };
