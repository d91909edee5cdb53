/*
 * What a bench created, undone at the end whatever happens: on success, on an error, and on Ctrl-C (SIGINT reaches
 * the whole process group: the bench, scripts/bench.mjs, which waits for it, and the services it started). Each undo
 * step is registered before the thing it undoes is created, so an interrupt in between still undoes it; steps run
 * last-registered first, each on its own (one failing does not skip the rest), and an error thrown by work still in
 * flight while the steps run (a query on a closed client) is logged instead of ending the process half-way.
 */
export class RunScope {
  private readonly steps: Array<{ label: string; run: () => Promise<void> }> = [];
  private cleaning: Promise<void> | undefined;
  private interrupted = false;
  /** Set by the bench once its report is printed; undo steps may keep diagnostics when it is not. */
  succeeded = false;

  constructor(private readonly log: (msg: string) => void) {}

  /** true once SIGINT or SIGTERM arrived: loops of the bench stop starting new work. */
  get aborted(): boolean {
    return this.interrupted;
  }

  defer(label: string, run: () => Promise<void> | void): void {
    this.steps.push({ label, run: async () => run() });
  }

  /** Ends the process with 130 after the undo steps on the first SIGINT/SIGTERM; later signals only say it is busy. */
  handleSignals(): void {
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.interrupted) return this.log(`${signal}: still cleaning up, please wait`);
      this.interrupted = true;
      this.log(`${signal}: interrupted; cleaning up`);
      void this.cleanup().finally(() => process.exit(130));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }

  cleanup(): Promise<void> {
    this.cleaning ??= (async () => {
      const stray = (error: unknown) => this.log(`ignored during cleanup: ${error instanceof Error ? error.message : String(error)}`);
      process.on('unhandledRejection', stray);
      process.on('uncaughtException', stray);
      for (const step of this.steps.splice(0).reverse()) {
        await step.run().catch((error: unknown) => this.log(`cleanup: ${step.label} failed: ${error instanceof Error ? error.message : String(error)}`));
      }
    })();
    return this.cleaning;
  }
}

/** Runs `main` inside a scope: undo steps on every way out, exit code 1 on an error, 130 on an interrupt. */
export function runBench(log: (msg: string) => void, main: (scope: RunScope) => Promise<void>): void {
  const scope = new RunScope(log);
  scope.handleSignals();
  main(scope)
    .catch((error: unknown) => {
      if (scope.aborted) return;
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => scope.cleanup())
    .then(() => process.exit(scope.aborted ? 130 : (process.exitCode ?? 0)));
}
