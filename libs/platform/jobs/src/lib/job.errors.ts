/**
 * Errors of the job store. They are structural DomainErrorLike values (code + kind), so the problem filter of
 * @pm/platform/http maps the 409/404/422 ones by itself; `toJobProblem` adds the 429 of a full queue.
 */
export class JobAlreadyActive extends Error {
  readonly code = 'JOB_ALREADY_ACTIVE';
  readonly kind = 'conflict' as const;
  constructor(
    readonly tenantId: string,
    readonly jobKind: string,
    readonly concurrencyKey: string,
    readonly activeJobId: string | null,
  ) {
    super(`A ${jobKind} job for ${concurrencyKey} is already queued or running`);
    this.name = 'JobAlreadyActive';
  }
  get details(): Record<string, unknown> {
    return { kind: this.jobKind, concurrencyKey: this.concurrencyKey, activeJobId: this.activeJobId };
  }
}

export class JobQueueFull extends Error {
  readonly code = 'JOB_QUEUE_FULL';
  readonly kind = 'limit' as const;
  constructor(
    readonly tenantId: string,
    readonly limit: number,
    readonly retryAfterSeconds = 30,
  ) {
    super(`The tenant already has ${limit} queued jobs; try again later`);
    this.name = 'JobQueueFull';
  }
  get details(): Record<string, unknown> {
    return { maxQueued: this.limit };
  }
}

export class JobNotFound extends Error {
  readonly code = 'JOB_NOT_FOUND';
  readonly kind = 'not-found' as const;
  constructor(readonly jobId: string) {
    super(`No job ${jobId}`);
    this.name = 'JobNotFound';
  }
}

export class JobAlreadyFinished extends Error {
  readonly code = 'JOB_ALREADY_FINISHED';
  readonly kind = 'conflict' as const;
  constructor(
    readonly jobId: string,
    readonly state: string,
  ) {
    super(`Job ${jobId} has already ${state}`);
    this.name = 'JobAlreadyFinished';
  }
  get details(): Record<string, unknown> {
    return { state: this.state };
  }
}

export class InvalidJobRequest extends Error {
  readonly code = 'INVALID_JOB_REQUEST';
  readonly kind = 'invalid' as const;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidJobRequest';
  }
}

/** This run no longer owns the job (its lease expired and another runner took it, or it was finished). */
export class JobLeaseLost extends Error {
  readonly code = 'JOB_LEASE_LOST';
  constructor(readonly jobId: string) {
    super(`This runner no longer holds the lease of job ${jobId}`);
    this.name = 'JobLeaseLost';
  }
}

/**
 * What a handler throws to fail its job with a code and message meant for the user (shown on GET). Any other
 * error fails the job as JOB_FAILED with a generic message; its details go to the log only.
 * `retryable`: run the job again later (with backoff) while attempts remain.
 */
export class JobFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'JobFailure';
  }
}
