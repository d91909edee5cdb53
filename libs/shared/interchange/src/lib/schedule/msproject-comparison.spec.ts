import { schedule } from '@pm/shared/scheduling';

import type { MspdiProject } from '../mspdi.model';
import { describeWithTestdata, parseTestdata, taskByUid } from '../testing/testdata.fixtures';
import { toScheduleInput } from './schedule-input.mapper';

interface Comparison {
  readonly uid: number;
  readonly engine: { earlyStart: string; totalFloat: number; freeFloat: number; critical: boolean };
  readonly msProject: { earlyStart: string; start: string; totalFloat: number; freeFloat: number; critical: boolean };
}

/** The engine's answer next to what Microsoft Project stored in the file (Start/EarlyStart, slack). */
function compare(project: MspdiProject): Comparison[] {
  const result = schedule(toScheduleInput(project));
  return result.tasks.map((scheduled) => {
    const task = taskByUid(project, Number(scheduled.id));
    const saved = task.schedule;
    if (!saved?.earlyStart || !task.start || saved.totalSlackDays === null || saved.freeSlackDays === null) {
      throw new Error(`task ${task.uid} has no schedule saved by Microsoft Project`);
    }
    return {
      uid: task.uid,
      engine: {
        earlyStart: scheduled.earlyStart,
        totalFloat: scheduled.totalFloat,
        freeFloat: scheduled.freeFloat,
        critical: scheduled.critical,
      },
      msProject: {
        earlyStart: saved.earlyStart.slice(0, 10),
        start: task.start.slice(0, 10),
        totalFloat: saved.totalSlackDays,
        freeFloat: saved.freeSlackDays,
        critical: saved.critical ?? false,
      },
    };
  });
}

/**
 * Files whose README says Microsoft Project agrees with the textbook precedence-diagramming
 * method (forward and backward pass over FS/SS/FF/SF links with lags): the engine must match
 * them on every task.
 */
const TEXTBOOK_FILES = ['task-links-project2003-mspdi.xml', 'task-links-project2010-mspdi.xml', 'mspdirelations.xml'];
const PROJECT_2019 = 'task-links-project2019-mspdi.xml';
/** The predecessors whose only successor link is SF (UID 11, lag 2d) or SS (UID 13, lag 2d). */
const SF_PREDECESSOR = 11;
const SS_PREDECESSOR = 13;

describeWithTestdata('the CPM engine against the schedules Microsoft Project saved', () => {
  describe.each([...TEXTBOOK_FILES, PROJECT_2019])('%s', (file) => {
    let rows: Comparison[];
    beforeAll(() => {
      rows = compare(parseTestdata(file));
    });

    it('schedules every work task', () => {
      expect(rows.length).toBe(file === 'mspdirelations.xml' ? 5 : 16);
    });

    it('agrees on every early start (EarlyStart and Start)', () => {
      for (const row of rows) {
        expect({ uid: row.uid, earlyStart: row.engine.earlyStart }).toEqual({ uid: row.uid, earlyStart: row.msProject.earlyStart });
        expect({ uid: row.uid, start: row.engine.earlyStart }).toEqual({ uid: row.uid, start: row.msProject.start });
      }
    });

    it('agrees on every free float', () => {
      for (const row of rows) {
        expect({ uid: row.uid, freeFloat: row.engine.freeFloat }).toEqual({ uid: row.uid, freeFloat: row.msProject.freeFloat });
      }
    });

    it('agrees on total float and criticality (Project 2019: except its SS/SF predecessors, see below)', () => {
      const deviations = file === PROJECT_2019 ? [SF_PREDECESSOR, SS_PREDECESSOR] : [];
      for (const row of rows.filter((r) => !deviations.includes(r.uid))) {
        expect({ uid: row.uid, totalFloat: row.engine.totalFloat, critical: row.engine.critical }).toEqual({
          uid: row.uid,
          totalFloat: row.msProject.totalFloat,
          critical: row.msProject.critical,
        });
      }
    });
  });

  /*
   * Convention (README.md): the engine follows the textbook. A start-to-start or start-to-finish
   * link constrains its predecessor's late START, so the predecessor's late finish is bounded by
   * it as well. Microsoft Project 2003 and 2010 compute exactly that; Project 2019 drops such a
   * link from the backward pass when it is the predecessor's only successor.
   */
  describe('where Microsoft Project 2019 departs from the textbook', () => {
    const totalFloat = (file: string, uid: number): { engine: number; msProject: number } => {
      const row = compare(parseTestdata(file)).find((candidate) => candidate.uid === uid);
      if (!row) throw new Error(`no task ${uid} in ${file}`);
      return { engine: row.engine.totalFloat, msProject: row.msProject.totalFloat };
    };

    it('SF, lag 2 days: the textbook and Project 2003/2010 give the predecessor 10 days, Project 2019 gives 11', () => {
      // Latest start of task 11: latest finish of task 12 (day 12) - lag 2 = day 10, i.e. 10 days after day 0.
      expect(totalFloat(PROJECT_2019, SF_PREDECESSOR)).toEqual({ engine: 10, msProject: 11 });
      expect(totalFloat('task-links-project2003-mspdi.xml', SF_PREDECESSOR)).toEqual({ engine: 10, msProject: 10 });
      expect(totalFloat('task-links-project2010-mspdi.xml', SF_PREDECESSOR)).toEqual({ engine: 10, msProject: 10 });
    });

    it('SS, lag 2 days: the textbook and Project 2003/2010 give the predecessor 9 days, Project 2019 gives 11', () => {
      // Latest start of task 13: latest start of task 14 (day 11) - lag 2 = day 9.
      expect(totalFloat(PROJECT_2019, SS_PREDECESSOR)).toEqual({ engine: 9, msProject: 11 });
      expect(totalFloat('task-links-project2003-mspdi.xml', SS_PREDECESSOR)).toEqual({ engine: 9, msProject: 9 });
      expect(totalFloat('task-links-project2010-mspdi.xml', SS_PREDECESSOR)).toEqual({ engine: 9, msProject: 9 });
    });

    it("Project 2019's 11 days is the slack the predecessor would have with the link removed", () => {
      const project = parseTestdata(PROJECT_2019);
      const withoutLinks = {
        ...project,
        tasks: project.tasks.map((task) => ([SF_PREDECESSOR + 1, SS_PREDECESSOR + 1].includes(task.uid) ? { ...task, predecessors: [] } : task)),
      };
      const floats = schedule(toScheduleInput(withoutLinks)).tasks.filter((task) => [String(SF_PREDECESSOR), String(SS_PREDECESSOR)].includes(task.id));
      expect(floats.map((task) => task.totalFloat)).toEqual([11, 11]);
    });

    it('the free floats of those predecessors agree (0 days) in every version', () => {
      const project = parseTestdata(PROJECT_2019);
      const rows = compare(project).filter((row) => [SF_PREDECESSOR, SS_PREDECESSOR].includes(row.uid));
      expect(rows.map((row) => [row.engine.freeFloat, row.msProject.freeFloat])).toEqual([[0, 0], [0, 0]]);
    });
  });
});
