/** The logger slice the scheduler and the job runner take (see @pm/platform/observability), so they depend on neither Nest nor pino. */
export type { StructuredLogger as WorkLogger } from '@pm/platform/observability';

/** Logs must not carry a whole payload or an unbounded message; the code and the first lines are what an operator needs. */
export function describeError(error: unknown): { code: string; message: string } {
  const raw = error as { code?: unknown; name?: unknown; message?: unknown } | null | undefined;
  const code = typeof raw?.code === 'string' && raw.code ? raw.code : typeof raw?.name === 'string' && raw.name !== 'Error' ? raw.name : 'HANDLER_FAILED';
  const message = typeof raw?.message === 'string' ? raw.message : String(error);
  return { code: code.slice(0, 100), message: message.slice(0, 2000) };
}
