import fc from 'fast-check';
import type { Aggregate, DomainEvent } from '@pm/shared/ddd';
import { throughSnapshot } from '@pm/shared/ddd/testing';
import type { OverallocatedPeriod } from './allocation/overallocation';
import type { BudgetCommand } from './budget/budget.commands';
import type { ResourceCommand } from './pool/resource.commands';
import type { ProficiencyLevel } from './pool/resource.events';
import {
  allocationAggregate,
  assignmentAggregate,
  budgetAggregate,
  levellingProposalAggregate,
  resourceAggregate,
  tenantSettingsAggregate,
  timesheetAggregate,
} from './resource.aggregates';
import { toResourceId } from './shared/ids';
import { money } from './shared/money';
import { at } from './testing/decider-specification';

/** Folds the commands that the decider accepts (a rejection is part of a random story, not a failure). */
function fold<C, E extends DomainEvent, S>(aggregate: Aggregate<C, E, S>, commands: readonly C[]): S {
  const { decider } = aggregate;
  let state = decider.initialState();
  for (const command of commands) {
    let events: E[] = [];
    try {
      events = decider.decide(command, state);
    } catch {
      continue;
    }
    state = events.reduce(decider.evolve, state);
  }
  return state;
}

function restored<C, E extends DomainEvent, S>(aggregate: Aggregate<C, E, S>, state: S): S {
  const policy = aggregate.snapshot;
  if (!policy) throw new Error(`${aggregate.name} has no snapshot policy`);
  return throughSnapshot(state);
}

const now = '2026-03-02T09:00:00.000Z';
const manager = { userId: 'rm-1', actor: 'user:rm-1', roles: ['resource-manager' as const] };
const id = toResourceId('7c9e6679-7425-40de-944b-e07fc1f90ae7');
const skillName = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '$map', '$set', 'java'), fc.string({ minLength: 1, maxLength: 12 }));
const level = fc.constantFrom<ProficiencyLevel>(1, 2, 3, 4, 5);
const isoDay = fc.integer({ min: 0, max: 700 }).map((d) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));

describe('Resource aggregates', () => {
  it('all belong to the resource context, each under its own name', () => {
    const all = [resourceAggregate, assignmentAggregate, allocationAggregate, timesheetAggregate, budgetAggregate, tenantSettingsAggregate, levellingProposalAggregate];
    expect(all.every((a) => a.context === 'resource')).toBe(true);
    expect(new Set(all.map((a) => a.name)).size).toBe(all.length);
  });

  it('load the long streams (resource, allocation, budget) from snapshots', () => {
    for (const aggregate of [resourceAggregate, allocationAggregate, budgetAggregate]) expect(aggregate.snapshot).toMatchObject({ every: 100, schemaVersion: 1 });
  });

  describe('a snapshot, through jsonb and back, is the state it was taken of', () => {
    it('resource: skills of any name, rates, leave, availability (property)', () => {
      const command = fc.oneof(
        fc.record({ skill: skillName, level }).map(({ skill, level: l }): ResourceCommand => ({ type: 'RecordSkill', data: { resourceId: id, skill, level: l }, metadata: at(now) })),
        fc.record({ from: isoDay, amount: fc.nat(100_000) }).map(({ from, amount }): ResourceCommand => ({ type: 'ScheduleCostRate', data: { resourceId: id, effectiveFrom: from, standardRate: money(amount, 'EUR'), caller: manager }, metadata: at(now) })),
        fc.tuple(isoDay, isoDay).map(([a, b]): ResourceCommand => ({ type: 'RecordLeave', data: { resourceId: id, from: a < b ? a : b, to: a < b ? b : a }, metadata: at(now) })),
        fc.integer({ min: 0, max: 100 }).map((percent): ResourceCommand => ({ type: 'SetAvailability', data: { resourceId: id, availabilityPercent: percent }, metadata: at(now) })),
      );
      const register: ResourceCommand = { type: 'RegisterPerson', data: { resourceId: id, name: 'Ada', role: 'Developer', department: 'IT', calendar: { workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 8, holidays: [] } }, metadata: at(now) };
      fc.assert(
        fc.property(fc.array(command, { maxLength: 30 }), (commands) => {
          const state = fold(resourceAggregate, [register, ...commands]);
          const back = restored(resourceAggregate, state);
          expect(back).toEqual(state);
          // The restored state decides as the original does: a skill already recorded is a no-op on both.
          for (const command of commands) {
            const decide = (s: typeof state) => {
              try {
                return resourceAggregate.decider.decide(command, s);
              } catch (error) {
                return (error as { code?: string }).code;
              }
            };
            expect(decide(back)).toEqual(decide(state));
          }
        }),
        { numRuns: 200 },
      );
    });

    it('resource: a skill called __proto__ stays a skill and pollutes nothing', () => {
      const state = fold(resourceAggregate, [
        { type: 'RegisterGenericResource', data: { resourceId: id, name: 'Dev (TBD)', role: 'Developer' }, metadata: at(now) },
        { type: 'RecordSkill', data: { resourceId: id, skill: '__proto__', level: 5 }, metadata: at(now) },
      ]);
      const back = restored(resourceAggregate, state);
      expect(back.status === 'registered' && back.resource.kind === 'generic' && [...back.resource.skills]).toEqual([['__proto__', 5]]);
      expect(back.status === 'registered' && Object.getPrototypeOf(back.resource)).toBe(Object.prototype);
      expect(Object.keys(Object.prototype)).toEqual([]);
    });

    it('budget: costs counted once, currency, forecast and threshold (property)', () => {
      const eur = (minor: number) => money(minor, 'EUR');
      const projectId = 'b7f1c2d4-0000-4000-8000-000000000001';
      const command = fc.oneof(
        fc.record({ costId: fc.constantFrom('a', 'b', '__proto__', 'constructor'), amount: fc.nat(1_000_000) }).map(
          ({ costId, amount }): BudgetCommand => ({ type: 'RecordActualCost', data: { projectId, costId, category: 'labour', amount: eur(amount) }, metadata: at(now) }),
        ),
        fc.nat(2_000_000).map((etc): BudgetCommand => ({ type: 'ReviseForecast', data: { projectId, estimateToComplete: eur(etc) }, metadata: at(now) })),
        fc.record({ labour: fc.nat(2_000_000), threshold: fc.integer({ min: 1, max: 1000 }) }).map(
          ({ labour, threshold }): BudgetCommand => ({
            type: 'SetProjectBudget',
            data: { projectId, categories: { labour: eur(labour), equipment: eur(0), materials: eur(0), other: eur(0) }, contingency: eur(0), managementReserve: eur(0), thresholdPercent: threshold },
            metadata: at(now),
          }),
        ),
      );
      fc.assert(
        fc.property(fc.array(command, { maxLength: 30 }), (commands) => {
          const state = fold(budgetAggregate, commands);
          expect(restored(budgetAggregate, state)).toEqual(state);
        }),
        { numRuns: 200 },
      );
    });

    it('allocation: the published periods, in order', () => {
      const period = (from: string, to: string, taskIds: string[]): OverallocatedPeriod => ({ from, to, minutesOver: 60, taskIds });
      const state = fold(allocationAggregate, [
        { type: 'EvaluateAllocation', data: { resourceId: id, periods: [period('2026-03-02', '2026-03-06', ['__proto__', 'build']), period('2026-04-01', '2026-04-01', ['x'])], window: { from: '2026-03-01', to: '2026-04-30' } }, metadata: at(now) },
      ]);
      expect(state.periods).toHaveLength(2);
      expect(restored(allocationAggregate, state)).toEqual(state);
    });

    it('tenant settings: the calendar and the threshold', () => {
      const pmo = { userId: 'pmo', actor: 'user:pmo', roles: ['pmo-admin' as const] };
      const state = fold(tenantSettingsAggregate, [
        { type: 'SetTenantCalendar', data: { calendar: { workingWeekdays: [1, 2, 3, 4], hoursPerDay: 9, holidays: ['2026-12-25'], exceptions: [{ date: '2026-03-07', working: true, hours: 4 }] }, caller: pmo }, metadata: at(now) },
        { type: 'SetBudgetThreshold', data: { thresholdPercent: 90, caller: pmo }, metadata: at(now) },
      ]);
      expect(state.thresholdPercent).toBe(90);
      expect(restored(tenantSettingsAggregate, state)).toEqual(state);
    });
  });
});
