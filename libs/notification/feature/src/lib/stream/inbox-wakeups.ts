import { Injectable } from '@nestjs/common';

type Waiter = () => void;

/**
 * Wakes the open SSE streams of people whose inbox just changed on this replica; streams on other replicas find the
 * rows on their next poll. A wake-up only says "look again": the rows themselves are read from the database.
 */
@Injectable()
export class InboxWakeups {
  private readonly waiters = new Map<string, Set<Waiter>>();

  private static key(tenantId: string, userId: string): string {
    return JSON.stringify([tenantId, userId]);
  }

  /** Resolves at the next wake-up of this inbox or after `ms`, whichever is first. */
  next(tenantId: string, userId: string, ms: number): Promise<void> {
    const key = InboxWakeups.key(tenantId, userId);
    return new Promise((resolve) => {
      const set = this.waiters.get(key) ?? new Set<Waiter>();
      this.waiters.set(key, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0 && this.waiters.get(key) === set) this.waiters.delete(key);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  wake(tenantId: string, userId: string): void {
    for (const waiter of [...(this.waiters.get(InboxWakeups.key(tenantId, userId)) ?? [])]) waiter();
  }
}
