import type { CalendarSpec } from '@pm/shared/scheduling';
import type { Money } from '../shared/money';
import type { ProficiencyLevel } from './resource.events';

export interface CostRate {
  readonly effectiveFrom: string;
  readonly standardRate: Money;
  readonly overtimeRate: Money;
}

export interface Leave {
  readonly from: string;
  readonly to: string;
}

interface Common {
  readonly resourceId: string;
  readonly name: string;
}

export interface Person extends Common {
  readonly kind: 'person';
  readonly userId: string | null;
  readonly role: string;
  readonly department: string;
  readonly calendar: CalendarSpec | null;
  readonly availabilityPercent: number;
  /** Skill name (lower case, as the client typed it) → level: a Map, so a skill called `__proto__` is just data. */
  readonly skills: ReadonlyMap<string, ProficiencyLevel>;
  /** Sorted by effectiveFrom, one row per date. */
  readonly rates: readonly CostRate[];
  readonly leave: readonly Leave[];
}

export interface GenericResource extends Common {
  readonly kind: 'generic';
  readonly role: string;
  readonly department: string | null;
  readonly skills: ReadonlyMap<string, ProficiencyLevel>;
  readonly rates: readonly CostRate[];
}

export interface Equipment extends Common {
  readonly kind: 'equipment' | 'material';
  readonly unit: string | null;
  readonly costPerUse: Money | null;
  readonly costPerUnit: Money | null;
}

export type RegisteredResource = Person | GenericResource | Equipment;

export type ResourceState = { readonly status: 'unregistered' } | { readonly status: 'registered'; readonly resource: RegisteredResource };

export const initialResourceState = (): ResourceState => ({ status: 'unregistered' });
