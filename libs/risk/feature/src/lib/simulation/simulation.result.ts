import type { ScheduleRiskSummary, SimulationResult } from '@pm/risk/domain';

/** Tasks listed in the result's criticality ranking, whatever the plan's size (the tornado is the engine's top 20). */
export const MAX_RESULT_TASKS = 200;

/** The job's stored result: every distribution the engine gives, the per-task figures ranked and cut to a bounded list. */
export function boundedResult(result: SimulationResult) {
  const ranked = [...result.tasks].sort((a, b) => (b.criticality ?? 0) - (a.criticality ?? 0) || a.id.localeCompare(b.id));
  return {
    iterations: result.iterations,
    seed: result.seed,
    planned: result.planned,
    finish: result.finish,
    cost: result.cost,
    criticality: ranked.slice(0, MAX_RESULT_TASKS).map((t) => ({ taskId: t.id, criticality: t.criticality ?? null, sensitivity: t.sensitivity ?? null })),
    tasksOmitted: Math.max(0, ranked.length - MAX_RESULT_TASKS),
    riskEvents: result.riskEvents.slice(0, MAX_RESULT_TASKS),
    tornado: result.tornado,
    correlationShrinkage: result.correlationShrinkage,
  };
}
export type BoundedSimulationResult = ReturnType<typeof boundedResult>;

const at = (result: SimulationResult, percentile: number): string => {
  const found = result.finish.percentiles.find((p) => p.percentile === percentile);
  return found ? found.date : result.finish.percentiles[result.finish.percentiles.length - 1].date;
};

export function summaryOf(projectId: string, simulationId: string, result: SimulationResult, plan: { statusDate: string | null; tasks: number; targetDate: string | null }): ScheduleRiskSummary {
  return {
    projectId,
    simulationId,
    iterations: result.iterations,
    seed: result.seed,
    statusDate: plan.statusDate,
    tasks: plan.tasks,
    plannedFinish: result.planned.finishDate,
    p50Finish: at(result, 50),
    p80Finish: at(result, 80),
    p90Finish: at(result, 90),
    finish: result.finish.percentiles.map((p) => ({ percentile: p.percentile, date: p.date })),
    cost: result.cost.percentiles.map((p) => ({ percentile: p.percentile, value: p.value })),
    targetDate: plan.targetDate,
    probabilityOfTarget: result.finish.probabilityOfTarget ?? null,
  };
}
