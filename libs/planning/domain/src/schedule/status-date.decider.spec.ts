import { deciderSpecification } from '../testing/decider-specification';
import { scheduleDecider } from './schedule.decider';
import type { ScheduleEvent } from './schedule.events';
import { meta, projectId, scheduleOpened } from './schedule.spec-fixtures';

const spec = deciderSpecification(scheduleDecider);
const setStatusDate = (statusDate: string) => ({ type: 'SetScheduleStatusDate' as const, data: { projectId, statusDate }, metadata: meta });
const statusDateSet = (statusDate: string): ScheduleEvent => ({ type: 'ScheduleStatusDateSet', data: { projectId, statusDate } });

describe('Schedule', () => {
  describe('when the project status date is recorded', () => {
    it('adopts it as the date the schedule reforecasts from', () => {
      spec.given([scheduleOpened]).when(setStatusDate('2025-03-12')).then([statusDateSet('2025-03-12')]);
      expect(spec.given([scheduleOpened, statusDateSet('2025-03-12')]).state).toMatchObject({ statusDate: '2025-03-12' });
    });

    it('moves it back as well as forward (a PMO may re-run an earlier status)', () => {
      spec.given([scheduleOpened, statusDateSet('2025-03-12')]).when(setStatusDate('2025-03-05')).then([statusDateSet('2025-03-05')]);
    });

    it('does nothing when it is the same date', () => {
      spec.given([scheduleOpened, statusDateSet('2025-03-12')]).when(setStatusDate('2025-03-12')).thenNothingHappens();
    });

    it('rejects an invalid date and a schedule that is not open', () => {
      spec.given([scheduleOpened]).when(setStatusDate('2025-02-30')).thenRejects('INVALID_DATE', 'invalid');
      spec.given([]).when(setStatusDate('2025-03-12')).thenRejects('SCHEDULE_NOT_OPEN', 'not-found');
    });
  });
});
