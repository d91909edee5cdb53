import './budget.contracts';
import { contractRegistry } from '../registry/contract.registry';
import { costIncurredV1Schema } from './cost.contracts';
import { leaveRecordedV1Schema, personRegisteredV1, personRegisteredV1Schema } from './resource-pool.contracts';
import { resourceAssignedV1, resourceAssignedV1Schema } from './assignment.contracts';

const paths = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) =>
  result.success ? [] : [...new Set(result.error?.issues.map((i) => i.path.join('.')))];

describe('Resource contracts', () => {
  it('register every resource event on pm.resource with version 1', () => {
    const types = contractRegistry.all().filter((c) => c.context === 'resource').map((c) => c.name);
    expect(types).toEqual(expect.arrayContaining(['PersonRegistered', 'ResourceAssigned', 'ResourceOverallocated', 'OverallocationResolved', 'CostIncurred', 'BudgetThresholdExceeded']));
  });

  it.each([
    ['a fractional amount of cents', { amountMinor: 10.5, currency: 'EUR' }],
    ['an amount as a string', { amountMinor: '10', currency: 'EUR' }],
    ['a lower-case currency', { amountMinor: 10, currency: 'eur' }],
  ])('CostIncurred rejects %s (money is exact)', (_label, amount) => {
    expect(paths(costIncurredV1Schema.safeParse({ ...contractRegistry.latest('pm.resource.CostIncurred').example as object, amount }))[0]).toMatch(/^amount/);
  });

  it('rejects leave that ends before it starts', () => {
    const leave = { resourceId: personRegisteredV1.example.resourceId, from: '2025-08-15', to: '2025-08-04', reason: null, recordedAt: '2025-07-14T09:30:00.000Z' };
    expect(paths(leaveRecordedV1Schema.safeParse(leave))).toEqual(['to']);
  });

  it('rejects an availability over 100 % and a calendar without working days', () => {
    expect(paths(personRegisteredV1Schema.safeParse({ ...personRegisteredV1.example, availabilityPercent: 101 }))).toEqual(['availabilityPercent']);
    const calendar = { workingWeekdays: [], hoursPerDay: 8, holidays: [] };
    expect(paths(personRegisteredV1Schema.safeParse({ ...personRegisteredV1.example, calendar }))).toEqual(['calendar.workingWeekdays']);
  });

  it('takes a load as units or work, not both and not neither', () => {
    const withLoad = (load: unknown) => resourceAssignedV1Schema.safeParse({ ...resourceAssignedV1.example, load }).success;
    expect(withLoad({ kind: 'units', percent: 50 })).toBe(true);
    expect(withLoad({ kind: 'work', minutes: 2400 })).toBe(true);
    expect(withLoad({ kind: 'units', percent: 50, minutes: 10 })).toBe(false);
    expect(withLoad({ kind: 'work', minutes: 0 })).toBe(false);
    expect(withLoad({ kind: 'hours', hours: 5 })).toBe(false);
  });
});
