import { COMPLETED, IN_PROGRESS } from '@pm/shared/scheduling';
import type { CompiledSchedule } from '@pm/shared/scheduling';
import { compileCorrelation, MAX_CORRELATED_COMPONENT } from './correlation';
import type { CompiledCorrelation, SlotPair } from './correlation';
import { distributionCode } from './distributions';
import {
  amountOrEstimate,
  distributionKind,
  finiteNumber,
  inputError,
  MAX_CORRELATED_PAIRS,
  MAX_CORRELATION_ENTRIES,
  MAX_MAGNITUDE,
  MAX_RISK_EVENTS,
  MAX_RISK_IMPACTS,
} from './simulation.input';
import { ThreePointSet } from './three-point.set';
import type { DurationCorrelation, RiskEvent } from './simulation.types';

export interface CompiledRiskEvents {
  readonly count: number;
  readonly ids: readonly string[];
  readonly probability: Float64Array;
  readonly cost: ThreePointSet;
  /** Impacts of event e: [impactOffsets[e], impactOffsets[e + 1]). Impacts on completed tasks are dropped (facts). */
  readonly impactOffsets: Int32Array;
  /** The event of each impact. */
  readonly impactEvent: Int32Array;
  readonly impactTask: Int32Array;
  /** 1: the delay adds to the task's remaining work, 0: to its duration. */
  readonly impactInProgress: Uint8Array;
  readonly impactDays: ThreePointSet;
}

export function compileRiskEvents(events: readonly RiskEvent[] | undefined, schedule: CompiledSchedule): CompiledRiskEvents {
  const list = events ?? [];
  if (!Array.isArray(list) || list.length > MAX_RISK_EVENTS) throw inputError('riskEvents', `must be a list of at most ${MAX_RISK_EVENTS}`);
  const { network, plan } = schedule;
  const seen = new Set<string>();
  const probability = new Float64Array(list.length);
  const cost = new ThreePointSet(list.length);
  const impactOffsets = new Int32Array(list.length + 1);
  const impacts: { event: number; task: number; inProgress: number; days: [number, number, number]; kind: number }[] = [];
  list.forEach((event, e) => {
    const path = `riskEvents[${e}]`;
    if (typeof event?.id !== 'string' || event.id.length === 0 || seen.has(event.id)) throw inputError(`${path}.id`, 'must be a unique non-empty string');
    seen.add(event.id);
    probability[e] = finiteNumber(event.probability, `${path}.probability`, 0, 1);
    const kind = distributionCode(distributionKind(event.distribution, `${path}.distribution`, 'triangular'));
    const amount = amountOrEstimate(event.cost ?? 0, `${path}.cost`, -MAX_MAGNITUDE);
    cost.set(e, amount.optimistic, amount.mostLikely, amount.pessimistic, kind);
    const eventImpacts = event.impacts ?? [];
    if (!Array.isArray(eventImpacts) || impacts.length + eventImpacts.length > MAX_RISK_IMPACTS) {
      throw inputError(`${path}.impacts`, `must be a list; at most ${MAX_RISK_IMPACTS} impacts in all`);
    }
    eventImpacts.forEach((impact, i) => {
      const task = network.indexOf.get(impact?.taskId as string);
      if (task === undefined) throw inputError(`${path}.impacts[${i}].taskId`, `"${String(impact?.taskId)}" is not a task of the plan`);
      // Negative days are an opportunity; the resulting duration is floored at zero.
      const days = amountOrEstimate(impact.days, `${path}.impacts[${i}].days`, -MAX_MAGNITUDE);
      if (plan.status[task] === COMPLETED) return;
      impacts.push({ event: e, task, inProgress: plan.status[task] === IN_PROGRESS ? 1 : 0, days: [days.optimistic, days.mostLikely, days.pessimistic], kind });
    });
    impactOffsets[e + 1] = impacts.length;
  });
  const impactDays = new ThreePointSet(impacts.length);
  impacts.forEach(({ days: [a, m, b], kind }, i) => impactDays.set(i, a, m, b, kind));
  return {
    count: list.length,
    ids: list.map((e) => e.id),
    probability,
    cost,
    impactOffsets,
    impactEvent: Int32Array.from(impacts, (i) => i.event),
    impactTask: Int32Array.from(impacts, (i) => i.task),
    impactInProgress: Uint8Array.from(impacts, (i) => i.inProgress),
    impactDays,
  };
}

/**
 * Groups and pairs of tasks with a Spearman coefficient, as slot pairs for correlation.ts. Tasks that do not vary
 * (completed, no spread) have nothing to correlate and are left out; one pair given two different coefficients is
 * a contradiction and is refused.
 */
export function compileCorrelations(
  correlations: readonly DurationCorrelation[] | undefined,
  indexOf: ReadonlyMap<string, number>,
  slotOf: Int32Array,
): CompiledCorrelation | undefined {
  const list = correlations ?? [];
  if (!Array.isArray(list) || list.length > MAX_CORRELATION_ENTRIES) {
    throw inputError('correlations', `must be a list of at most ${MAX_CORRELATION_ENTRIES}`);
  }
  const pairs = new Map<string, SlotPair>();
  const given = new Map<string, number>();
  let visited = 0;
  list.forEach((entry, c) => {
    const path = `correlations[${c}]`;
    const ids = entry?.taskIds;
    if (!Array.isArray(ids) || ids.length < 2 || ids.length > MAX_CORRELATED_COMPONENT) {
      throw inputError(`${path}.taskIds`, `must list 2 to ${MAX_CORRELATED_COMPONENT} tasks`);
    }
    const rho = finiteNumber(entry.coefficient, `${path}.coefficient`, -1, 1);
    const tasks = ids.map((id, i) => {
      const task = indexOf.get(id);
      if (task === undefined) throw inputError(`${path}.taskIds[${i}]`, `"${String(id)}" is not a task of the plan`);
      return task;
    });
    if (new Set(tasks).size !== tasks.length) throw inputError(`${path}.taskIds`, 'lists a task twice');
    for (let i = 0; i < tasks.length; i++) {
      for (let j = i + 1; j < tasks.length; j++) {
        const key = tasks[i] < tasks[j] ? `${tasks[i]}:${tasks[j]}` : `${tasks[j]}:${tasks[i]}`;
        const before = given.get(key);
        if (before !== undefined && before !== rho) throw inputError(path, `gives tasks "${ids[i]}" and "${ids[j]}" a second, different coefficient`);
        given.set(key, rho);
        if (++visited > MAX_CORRELATED_PAIRS) throw inputError('correlations', `relate more than ${MAX_CORRELATED_PAIRS} pairs of tasks`);
        const a = slotOf[tasks[i]];
        const b = slotOf[tasks[j]];
        if (a >= 0 && b >= 0 && rho !== 0) pairs.set(key, { a, b, rho });
      }
    }
  });
  return compileCorrelation(slotOf.reduce((max, slot) => Math.max(max, slot + 1), 0), [...pairs.values()]);
}
