/**
 * The portfolio seeder's plans (bench/portfolio-seed, ADR 0505): deterministic, valid Microsoft Project XML, a
 * Baseline 0 equal to what the scheduling engine computes for the same plan, and progress as of the status date.
 */
import { z } from 'zod';
import { parseMspdi, toScheduleInput } from '@pm/shared/interchange';
import { schedule } from '@pm/shared/scheduling';
import { addDays, fridayOnOrBefore, prng, seededPlan, stableUuid, workingDate, workingIndex } from '../bench/portfolio-seed/seed-plan';
import { planPortfolio } from '../bench/portfolio-seed/seeder';

const constant = (value: number) => () => value;
const day = (iso: string | null) => iso?.slice(0, 10) ?? null;

describe('portfolio seed plans', () => {
  it('counts working days Monday to Friday and finds the Friday of a week', () => {
    expect(workingDate('2026-11-02', 0)).toBe('2026-11-02');
    expect(workingDate('2026-11-02', 4)).toBe('2026-11-06');
    expect(workingDate('2026-11-02', 5)).toBe('2026-11-09');
    expect(workingIndex('2026-11-02', '2026-11-13')).toBe(9);
    expect(fridayOnOrBefore('2026-12-05')).toBe('2026-12-04');
    expect(fridayOnOrBefore('2026-12-04')).toBe('2026-12-04');
    expect(fridayOnOrBefore('2026-12-03')).toBe('2026-11-27');
    expect(addDays('2026-12-04', -14)).toBe('2026-11-20');
  });

  it('names ids by seed: the same name the same valid UUID, another name another', () => {
    const id = stableUuid('1:acme:project:0');
    expect(z.uuid().safeParse(id).success).toBe(true);
    expect(stableUuid('1:acme:project:0')).toBe(id);
    expect(stableUuid('2:acme:project:0')).not.toBe(id);
    const [a, b] = [prng(7), prng(7)];
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });

  it('gives the first tenant half the projects and the others the rest in turn, with the same ids on every run', () => {
    const portfolio = planPortfolio(['a', 'b', 'c'], 10, 1);
    expect(portfolio.map((p) => p.tenant).join('')).toBe('aaaaabcbcb');
    expect(portfolio.filter((p) => p.tenant === 'b').map((p) => p.index)).toEqual([0, 1, 2]);
    expect(planPortfolio(['a', 'b', 'c'], 10, 1)).toEqual(portfolio);
    expect(new Set(portfolio.map((p) => p.projectId)).size).toBe(10);
  });

  it('writes a phase as a chain with a branch and a closing milestone, baselined by a forward pass (worked by hand)', () => {
    // Durations 1 + floor(0 * 5) = 1 day. Phase 1: summary t1; t2..t7 (t6, the fifth, a branch from the phase start);
    // t2 day 0, t3 day 1, t4 day 2, t5 day 3, t6 day 0, t7 (after t5) day 4; milestone t8 after t7 and t6: day 4.
    // Status date Wednesday (index 2), pace 1: done through day 2, so t2, t3, t4 and t6 are finished.
    const plan = seededPlan({ name: 'p', monday: '2026-11-02', statusDate: '2026-11-04', taskCount: 8, pace: 1, random: constant(0) });
    const parsed = parseMspdi(plan.xml);
    expect(parsed.properties.statusDate).toBe('2026-11-04T17:00:00');
    const byUid = new Map(parsed.tasks.map((t) => [t.uid, t]));
    expect(parsed.tasks.map((t) => (t.summary ? 'S' : t.milestone ? 'M' : 'W')).join('')).toBe('SWWWWWWM');
    const baseline = (uid: number) => [day(byUid.get(uid)!.baselines[0].start), day(byUid.get(uid)!.baselines[0].finish)];
    expect(baseline(3)).toEqual(['2026-11-03', '2026-11-03']);
    expect(baseline(6)).toEqual(['2026-11-02', '2026-11-02']);
    expect(baseline(7)).toEqual(['2026-11-06', '2026-11-06']);
    expect(baseline(8)).toEqual(['2026-11-06', '2026-11-06']);
    expect(baseline(1)).toEqual(['2026-11-02', '2026-11-06']);
    expect(byUid.get(8)!.predecessors.map((l) => l.predecessorUid)).toEqual([7, 6]);
    expect([2, 3, 4, 5, 6, 7].map((uid) => byUid.get(uid)!.percentComplete)).toEqual([100, 100, 100, 0, 100, 0]);
    expect(byUid.get(4)!.actualFinish).toBe('2026-11-04T17:00:00');
    expect(byUid.get(3)!.cost).toBe(400);
    expect(plan.inProgress).toEqual([]);
    expect(plan.baselineFinish).toBe('2026-11-06');
  });

  it('records a slower pace as less work done, and tasks part-way as percent complete', () => {
    // Durations 1 + floor(0.99 * 5) = 5: t2 and t6 run days 0-4. Status index 2, pace 1: 3 of 5 days, 60 %.
    const onPace = seededPlan({ name: 'p', monday: '2026-11-02', statusDate: '2026-11-04', taskCount: 8, pace: 1, random: constant(0.99) });
    expect(onPace.inProgress).toEqual([
      { taskId: 't2', percent: 60, duration: 5 },
      { taskId: 't6', percent: 60, duration: 5 },
    ]);
    // Pace 0.5: done through day floor(3 * 0.5) - 1 = 0, 1 of 5 days: 20 %.
    const slow = seededPlan({ name: 'p', monday: '2026-11-02', statusDate: '2026-11-04', taskCount: 8, pace: 0.5, random: constant(0.99) });
    expect(slow.inProgress.map((t) => t.percent)).toEqual([20, 20]);
  });

  it('baselines what the scheduling engine computes for the same plan (a 200-task plan of two workstreams)', () => {
    const plan = seededPlan({ name: 'p', monday: '2026-06-01', statusDate: '2026-06-05', taskCount: 200, pace: 1, random: prng(42) });
    const parsed = parseMspdi(plan.xml);
    expect(parsed.tasks).toHaveLength(200);
    const unprogressed = { ...parsed, properties: { ...parsed.properties, statusDate: null }, tasks: parsed.tasks.map((t) => ({ ...t, actualStart: null, actualFinish: null, percentComplete: 0 })) };
    const result = schedule(toScheduleInput(unprogressed));
    const work = parsed.tasks.filter((t) => !t.summary);
    expect(result.tasks.map((t) => [t.id, t.earlyStart, t.earlyFinish])).toEqual(work.map((t) => [String(t.uid), day(t.baselines[0].start), day(t.baselines[0].finish)]));
    expect(result.projectFinish).toBe(plan.baselineFinish);
    // Phase p follows phase p-2: two workstreams, so the plan is about half as long as its chains end to end.
    expect(plan.links).toBeGreaterThan(190);
  });
});
