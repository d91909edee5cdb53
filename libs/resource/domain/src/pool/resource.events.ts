import type { ContractEvent } from '@pm/contracts';

export type ResourceKind = 'person' | 'generic' | 'equipment' | 'material';
/** 1 = aware … 5 = expert (the Dreyfus-style scale most skills matrices use). */
export type ProficiencyLevel = 1 | 2 | 3 | 4 | 5;

/** Data of every event is exactly its public contract `pm.resource.<type>` v1. */
export type PersonRegistered = ContractEvent<'resource', 'PersonRegistered'>;

/** A role placeholder to staff later: demand is planned against it, capacity comes when a person replaces it. */
export type GenericResourceRegistered = ContractEvent<'resource', 'GenericResourceRegistered'>;

export type EquipmentRegistered = ContractEvent<'resource', 'EquipmentRegistered'>;

export type SkillRecorded = ContractEvent<'resource', 'SkillRecorded'>;

/** One row of the resource's rate table; the rate in force on a day is the latest row effective on or before it. */
export type CostRateScheduled = ContractEvent<'resource', 'CostRateScheduled'>;

export type AvailabilitySet = ContractEvent<'resource', 'AvailabilitySet'>;

/** Inclusive dates the person does not work (holiday, training, sickness); capacity drops to zero on them. */
export type LeaveRecorded = ContractEvent<'resource', 'LeaveRecorded'>;

export type ResourceEvent =
  | PersonRegistered
  | GenericResourceRegistered
  | EquipmentRegistered
  | SkillRecorded
  | CostRateScheduled
  | AvailabilitySet
  | LeaveRecorded;

export type ResourceEventType = ResourceEvent['type'];
