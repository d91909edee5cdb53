import { schedule } from './schedule';
import type { CalendarSpec } from './calendar';
import type { ScheduleLinkInput, ScheduleResult } from './schedule.types';

/** Textbooks count abstract periods: a calendar where every day is a working day keeps their numbers. */
const everyDay: CalendarSpec = { workingWeekdays: [0, 1, 2, 3, 4, 5, 6], hoursPerDay: 8, holidays: [] };
const fs = (from: string, to: string, lag = 0): ScheduleLinkInput => ({ from, to, type: 'FS', lag });

type Row = [es: number, ef: number, ls: number, lf: number, tf: number, ff: number];

function rows(result: ScheduleResult): Record<string, Row> {
  return Object.fromEntries(
    result.tasks.map((t) => [
      t.id,
      [t.earlyStartOffset, t.earlyFinishOffset, t.lateStartOffset, t.lateFinishOffset, t.totalFloat, t.freeFloat],
    ]),
  );
}

describe('schedule() on textbook networks', () => {
  describe('Reliable Construction Co. (Hillier & Lieberman, Introduction to Operations Research, ch. "Project Management with PERT/CPM")', () => {
    // Durations in weeks and immediate predecessors as published; the book finds a 44-week project, the critical
    // path A-B-C-E-F-J-L-N and slacks D 4, G 4, H 4, I 2, K 1, M 4 (zero elsewhere). Free float is not in the
    // book: it follows from its definition, min(ES of successors) - EF, or project finish - EF for M and N.
    const durations: Record<string, number> = { A: 2, B: 4, C: 10, D: 6, E: 4, F: 5, G: 7, H: 9, I: 7, J: 8, K: 4, L: 5, M: 2, N: 6 };
    const predecessors: Record<string, string[]> = {
      B: ['A'], C: ['B'], D: ['C'], E: ['C'], F: ['E'], G: ['D'], H: ['E', 'G'], I: ['C'], J: ['F', 'I'], K: ['J'], L: ['J'], M: ['H'], N: ['K', 'L'],
    };
    const result = schedule({
      projectStart: '2025-01-01',
      calendar: everyDay,
      tasks: Object.entries(durations).map(([id, duration]) => ({ id, duration })),
      links: Object.entries(predecessors).flatMap(([to, froms]) => froms.map((from) => fs(from, to))),
    });

    it('finds every ES, EF, LS, LF, total and free float', () => {
      expect(rows(result)).toEqual({
        A: [0, 2, 0, 2, 0, 0],
        B: [2, 6, 2, 6, 0, 0],
        C: [6, 16, 6, 16, 0, 0],
        D: [16, 22, 20, 26, 4, 0],
        E: [16, 20, 16, 20, 0, 0],
        F: [20, 25, 20, 25, 0, 0],
        G: [22, 29, 26, 33, 4, 0],
        H: [29, 38, 33, 42, 4, 0],
        I: [16, 23, 18, 25, 2, 2],
        J: [25, 33, 25, 33, 0, 0],
        K: [33, 37, 34, 38, 1, 1],
        L: [33, 38, 33, 38, 0, 0],
        M: [38, 40, 42, 44, 4, 4],
        N: [38, 44, 38, 44, 0, 0],
      });
    });

    it('finishes in 44 weeks along A-B-C-E-F-J-L-N', () => {
      expect(result.projectFinishOffset).toBe(44);
      expect(result.projectFinish).toBe('2025-02-13');
      expect(result.criticalPaths).toEqual([['A', 'B', 'C', 'E', 'F', 'J', 'L', 'N']]);
      expect(result.tasks.filter((t) => t.critical).map((t) => t.id)).toEqual(['A', 'B', 'C', 'E', 'F', 'J', 'L', 'N']);
    });
  });

  describe('Taylor, Introduction to Management Science, ch. 8 (Project Management), solved network problem', () => {
    // Published as an activity-on-arrow network (activity i-j runs from event i to event j): 1-2 7, 1-3 10,
    // 2-4 6, 3-4 5, 3-5 4, 4-5 3, 5-6 2; answer: ES/EF/LS/LF/slack 1-2 0 7 2 9 2, 1-3 0 10 0 10 0,
    // 2-4 7 13 9 15 2, 3-4 10 15 10 15 0, 3-5 10 14 14 18 4, 4-5 15 18 15 18 0, 5-6 18 20 18 20 0,
    // critical path 1-3-4-5-6. On nodes, an activity's predecessors are the activities ending at its tail event.
    const arrows: Record<string, number> = { '1-2': 7, '1-3': 10, '2-4': 6, '3-4': 5, '3-5': 4, '4-5': 3, '5-6': 2 };
    const ids = Object.keys(arrows);
    const links = ids.flatMap((to) => ids.filter((from) => from.split('-')[1] === to.split('-')[0]).map((from) => fs(from, to)));
    const result = schedule({
      projectStart: '2025-01-01',
      calendar: everyDay,
      tasks: ids.map((id) => ({ id, duration: arrows[id] })),
      links,
    });

    it('matches the published table (free float by definition)', () => {
      expect(rows(result)).toEqual({
        '1-2': [0, 7, 2, 9, 2, 0],
        '1-3': [0, 10, 0, 10, 0, 0],
        '2-4': [7, 13, 9, 15, 2, 2],
        '3-4': [10, 15, 10, 15, 0, 0],
        '3-5': [10, 14, 14, 18, 4, 4],
        '4-5': [15, 18, 15, 18, 0, 0],
        '5-6': [18, 20, 18, 20, 0, 0],
      });
      expect(result.criticalPaths).toEqual([['1-3', '3-4', '4-5', '5-6']]);
    });
  });

  describe('precedence diagram with SS, FF and SF links, lags, a lead and a milestone, on a calendar with holidays', () => {
    // Worked by hand with the precedence-diagramming formulas (e.g. Hendrickson, Project Management for
    // Construction, §10.7 "Calculations for Scheduling with Leads, Lags and Windows"):
    //   forward  FS: ES(j) >= EF(i)+lag   SS: ES(j) >= ES(i)+lag   FF: EF(j) >= EF(i)+lag   SF: EF(j) >= ES(i)+lag
    //   backward the mirror images on LS/LF; free float = the smallest slack of a task's successor links.
    // A 0-4; B: SS+2 from A -> 2-8; C: FS-1 (lead) from A -> 3-8; D: max(FF+1 from B -> EF 9, SF+4 from C -> EF 7)
    // -> 6-9; F: SS from A -> 0-2; E (milestone): max(FS from C 8, FS from D 9, FF+3 from F 5) -> 9.
    // Backward: E 9; D LF 9; F LF = 9-3 = 6; C LF = min(9, LS from SF: 9-4=5 -> LF 10) = 9; B LF = 9-1 = 8;
    // A LF = min(SS: 2-2+4 = 4, FS: 4+1 = 5, SS: 4-0+4 = 8) = 4.
    const calendar: CalendarSpec = { workingWeekdays: [1, 2, 3, 4, 5], hoursPerDay: 8, holidays: ['2024-12-25', '2024-12-26', '2025-01-01'] };
    const result = schedule({
      projectStart: '2024-12-20',
      calendar,
      tasks: [
        { id: 'A', duration: 4 },
        { id: 'B', duration: 6 },
        { id: 'C', duration: 5 },
        { id: 'D', duration: 3 },
        { id: 'E', duration: 0 },
        { id: 'F', duration: 2 },
      ],
      links: [
        { from: 'A', to: 'B', type: 'SS', lag: 2 },
        { from: 'A', to: 'C', type: 'FS', lag: -1 },
        { from: 'B', to: 'D', type: 'FF', lag: 1 },
        { from: 'C', to: 'D', type: 'SF', lag: 4 },
        fs('C', 'E'),
        fs('D', 'E'),
        { from: 'A', to: 'F', type: 'SS', lag: 0 },
        { from: 'F', to: 'E', type: 'FF', lag: 3 },
      ],
    });

    it('computes every offset and float', () => {
      expect(rows(result)).toEqual({
        A: [0, 4, 0, 4, 0, 0],
        B: [2, 8, 2, 8, 0, 0],
        C: [3, 8, 4, 9, 1, 1],
        D: [6, 9, 6, 9, 0, 0],
        E: [9, 9, 9, 9, 0, 0],
        F: [0, 2, 4, 6, 4, 4],
      });
      expect(result.criticalPaths).toEqual([['A', 'B', 'D', 'E']]);
    });

    it('puts real dates on it, skipping the weekends, Christmas and New Year', () => {
      // Working days: 0 Fri 20 Dec, 1 Mon 23, 2 Tue 24, 3 Fri 27, 4 Mon 30, 5 Tue 31, 6 Thu 2 Jan, 7 Fri 3, 8 Mon 6, 9 Tue 7.
      const dates = Object.fromEntries(result.tasks.map((t) => [t.id, [t.earlyStart, t.earlyFinish, t.lateStart, t.lateFinish]]));
      expect(dates).toEqual({
        A: ['2024-12-20', '2024-12-27', '2024-12-20', '2024-12-27'],
        B: ['2024-12-24', '2025-01-03', '2024-12-24', '2025-01-03'],
        C: ['2024-12-27', '2025-01-03', '2024-12-30', '2025-01-06'],
        D: ['2025-01-02', '2025-01-06', '2025-01-02', '2025-01-06'],
        // A milestone is shown on the day whose end it marks: the day D finishes.
        E: ['2025-01-06', '2025-01-06', '2025-01-06', '2025-01-06'],
        F: ['2024-12-20', '2024-12-23', '2024-12-30', '2024-12-31'],
      });
      expect(result.projectFinish).toBe('2025-01-06');
    });
  });
});
