/** Where "now" comes from: the system clock in services, a manual one in tests (which move time instead of sleeping). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to: tests advance it and then ask the code under test to act. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | number | string = Date.now()) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }

  set(at: Date | number | string): Date {
    this.current = new Date(at).getTime();
    return this.now();
  }
}
