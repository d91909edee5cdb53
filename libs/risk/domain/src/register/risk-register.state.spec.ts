import { deciderSpecification, throughSnapshot } from '@pm/shared/ddd/testing';
import { command, history, meta, now } from './register.spec-fixtures';
import type { AddMitigationAction, PlanRiskResponse } from './risk.commands';
import type { RiskStreamEvent } from './risk-register.events';
import { riskAggregate, riskSettingsAggregate } from './risk.aggregates';
import { riskDecider } from './risk.decider';

const spec = deciderSpecification(riskDecider);

/** Decides each command on the state the previous ones left, as a plan of the write path would. */
function decideAll(given: RiskStreamEvent[], commands: Array<Parameters<typeof riskDecider.decide>[0]>): RiskStreamEvent[] {
  let state = given.reduce(riskDecider.evolve, riskDecider.initialState());
  const out: RiskStreamEvent[] = [];
  for (const c of commands) {
    for (const event of riskDecider.decide(c, state)) {
      out.push(event);
      state = riskDecider.evolve(state, event);
    }
  }
  return out;
}

describe('Risk register state', () => {
  it('keeps responses and actions whose ids are prototype keys as data', () => {
    const events = decideAll(history.assessed(), [
      command<PlanRiskResponse>('PlanRiskResponse', { responseId: 'constructor', strategy: 'mitigate', description: 'A' }),
      command<PlanRiskResponse>('PlanRiskResponse', { responseId: '__proto__', strategy: 'avoid', description: 'B' }),
      command<AddMitigationAction>('AddMitigationAction', { responseId: '__proto__', actionId: 'hasOwnProperty', description: 'C', ownerId: 'user:o', dueOn: '2026-03-10' }),
    ]);
    expect(events.map((e) => e.type)).toEqual(['ResponsePlanned', 'RiskStatusChanged', 'ResponsePlanned', 'MitigationActionAdded']);
    const { state } = spec.given([...history.assessed(), ...events]);
    if (state.status === 'not-identified') throw new Error('risk expected');
    expect([...state.risk.responses.keys()]).toEqual(['constructor', '__proto__']);
    expect(state.risk.actions.get('hasOwnProperty')).toMatchObject({ responseId: '__proto__', completed: false });
    expect(Object.getPrototypeOf(state.risk)).toBe(Object.prototype);
  });

  it('survives its snapshot: snapshot + tail folds to what the whole stream folds to', () => {
    const events = [...history.occurred()];
    const policy = riskAggregate.snapshot;
    if (policy === undefined) throw new Error('the risk aggregate keeps snapshots');
    for (let cut = 0; cut <= events.length; cut++) {
      const head = events.slice(0, cut).reduce(riskDecider.evolve, riskDecider.initialState());
      const resumed = events.slice(cut).reduce(riskDecider.evolve, throughSnapshot(head));
      expect(resumed).toEqual(events.reduce(riskDecider.evolve, riskDecider.initialState()));
    }
  });

  it('keeps the tenant settings through a snapshot, categories named like prototype keys included', () => {
    const { decider, snapshot } = riskSettingsAggregate;
    const state = decider.initialState();
    for (const data of [{ categoryId: 'constructor', name: 'C' }, { categoryId: '__proto__', name: 'P', parentId: 'constructor' }]) {
      for (const event of decider.decide({ type: 'DefineRiskCategory', data, metadata: meta }, state)) decider.evolve(state, event);
    }
    for (const event of decider.decide({ type: 'DefineRiskMatrix', data: { thresholds: { medium: 3, high: 8, critical: 15 } }, metadata: { ...meta, now } }, state)) decider.evolve(state, event);
    expect(snapshot).toBeDefined();
    const restored = throughSnapshot(state);
    expect(restored).toEqual(state);
    expect(Object.getPrototypeOf(restored.categories)).toBe(Map.prototype);
  });
});
