/**
 * The slice of a pino-style logger the scheduler and the job runner use, so they depend on neither Nest nor pino:
 * a pino logger, Nest's Logger through an adapter, or a test spy all fit.
 */
export interface WorkLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const noopLogger: WorkLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Logs must not carry a whole payload or an unbounded message; the code and the first lines are what an operator needs. */
export function describeError(error: unknown): { code: string; message: string } {
  const raw = error as { code?: unknown; name?: unknown; message?: unknown } | null | undefined;
  const code = typeof raw?.code === 'string' && raw.code ? raw.code : typeof raw?.name === 'string' && raw.name !== 'Error' ? raw.name : 'HANDLER_FAILED';
  const message = typeof raw?.message === 'string' ? raw.message : String(error);
  return { code: code.slice(0, 100), message: message.slice(0, 2000) };
}
