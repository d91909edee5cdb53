/** SQLSTATE classes and socket errors that say "the database is unreachable or overloaded", not "this message is bad". */
const INFRASTRUCTURE_SQLSTATE = /^(08|53|57P0[1-3]|58|40001|40P01)/;
const INFRASTRUCTURE_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

export function isInfrastructureError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  // Errors that declare themselves transient (e.g. a read model being rebuilt) are waited out the same way.
  if ((err as { transient?: unknown }).transient === true) return true;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (INFRASTRUCTURE_SQLSTATE.test(code) || INFRASTRUCTURE_SOCKET.has(code))) return true;
  // pg's own client-side failures carry no code.
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(err.message);
}

export function errorInfo(err: unknown): { name: string; message: string; code?: unknown } {
  return err instanceof Error ? { name: err.name, message: err.message, code: (err as { code?: unknown }).code } : { name: 'Error', message: String(err) };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
