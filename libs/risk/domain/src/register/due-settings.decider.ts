import type { ContractEvent } from '@pm/contracts';
import { DomainError, streamIdOf } from '@pm/shared/ddd';
import type { Aggregate, CommandMetadata } from '@pm/shared/ddd';
import { DEFAULT_TIME_ZONE, timeZoneMustBeKnown } from './due-moment';

/**
 * A tenant's due-date settings (stream `risk-due-settings:<tenant>:default`, ADR 0302 "Due moment"): the time zone in
 * which a due day ends. Planning's tenant calendar says which days are worked; it carries no zone. Its own stream, so a
 * change here never contends with the register's settings.
 */

export type DueTimeZoneSet = ContractEvent<'risk', 'DueTimeZoneSet'>;

export const dueSettingsStreamId = (tenantId: string): string => streamIdOf('risk-due-settings', tenantId, 'default');

export interface SetDueTimeZone {
  readonly type: 'SetDueTimeZone';
  readonly data: { readonly timeZone: string };
  readonly metadata: CommandMetadata;
}

export interface DueSettings {
  timeZone: string;
}

export const initialDueSettings = (): DueSettings => ({ timeZone: DEFAULT_TIME_ZONE });

export function decideDueSettings(command: SetDueTimeZone, state: DueSettings): DueTimeZoneSet[] {
  if (command.type !== 'SetDueTimeZone') throw new DomainError('UNKNOWN_COMMAND', 'invalid', `Unknown command type: ${String((command as { type?: unknown }).type)}`);
  const timeZone = timeZoneMustBeKnown(command.data.timeZone);
  if (timeZone === state.timeZone) return [];
  return [{ type: 'DueTimeZoneSet', data: { timeZone, previousTimeZone: state.timeZone, setBy: command.metadata.actor, setAt: command.metadata.now } }];
}

export function evolveDueSettings(state: DueSettings, event: DueTimeZoneSet): DueSettings {
  if (event.type === 'DueTimeZoneSet') state.timeZone = event.data.timeZone;
  return state;
}

export const dueSettingsDecider = { decide: decideDueSettings, evolve: evolveDueSettings, initialState: initialDueSettings };

export const dueSettingsAggregate: Aggregate<SetDueTimeZone, DueTimeZoneSet, DueSettings> = { name: 'risk.due-settings', context: 'risk', decider: dueSettingsDecider };
