import { schedule } from '@pm/shared/scheduling';
const r = schedule({
  projectStart: '2024-01-01',
  calendar: { workingWeekdays: [1,2,3,4,5], hoursPerDay: 8, holidays: [] },
  tasks: [{ id: 'A', duration: 2 }, { id: 'B', duration: 4 }, { id: 'C', duration: 0 }, { id: 'D', duration: 1 }],
  links: [{ from: 'A', to: 'B', type: 'FS', lag: 0 }, { from: 'B', to: 'C', type: 'FS', lag: 0 }, { from: 'A', to: 'D', type: 'FS', lag: 0 }],
});
console.log(JSON.stringify(r, null, 1));
