import { TimeSlice, runInTimeSlices } from './time-slices';

/** Holds the thread for `ms`, as a long recalculation step does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

function* steps(count: number, msEach: number, trace: string[]): Generator<void, string[], void> {
  for (let i = 0; i < count; i++) {
    busy(msEach);
    trace.push(`step ${i}`);
    if (i < count - 1) yield;
  }
  return trace;
}

describe('runInTimeSlices', () => {
  it('lets queued work run between steps that took longer than a slice, and returns what the steps return', async () => {
    const trace: string[] = [];
    const ticker = setInterval(() => trace.push('other work'), 0);
    try {
      const result = await runInTimeSlices(steps(4, 15, trace), 10);
      expect(result).toBe(trace);
    } finally {
      clearInterval(ticker);
    }
    const first = trace.indexOf('step 0');
    const last = trace.indexOf('step 3');
    // Without the pauses the timer could not fire before the last step: the steps hold the thread 60 ms in one piece.
    expect(trace.slice(first, last)).toContain('other work');
  });

  it('never pauses for steps that together stay under a slice (a small plan costs no turn of the event loop)', async () => {
    let turned = false;
    setImmediate(() => (turned = true));
    const result = await runInTimeSlices(steps(5, 0, []), 10);
    expect(result).toHaveLength(5);
    expect(turned).toBe(false);
  });

  it('passes a refusal thrown by a step to the caller', async () => {
    function* refusing(): Generator<void, string[], void> {
      yield;
      throw new Error('DEPENDENCY_CYCLE');
    }
    await expect(runInTimeSlices(refusing(), 10)).rejects.toThrow('DEPENDENCY_CYCLE');
  });
});

describe('TimeSlice', () => {
  it('lets other work run in an async loop once a slice has passed, and not before', async () => {
    const trace: string[] = [];
    let turned = false;
    setImmediate(() => (turned = true));
    const slice = new TimeSlice(10);
    await slice.pauseIfDue();
    // Under a slice: no turn of the event loop.
    expect(turned).toBe(false);
    const ticker = setInterval(() => trace.push('other work'), 0);
    try {
      for (let i = 0; i < 4; i++) {
        busy(15);
        trace.push(`item ${i}`);
        await slice.pauseIfDue();
      }
    } finally {
      clearInterval(ticker);
    }
    // Without the pauses the loop would hold the thread 60 ms in one piece: awaiting a resolved promise never yields to timers.
    expect(trace.slice(trace.indexOf('item 0'), trace.indexOf('item 3'))).toContain('other work');
  });
});
