import { Logger } from '@nestjs/common';

/**
 * The slice of a pino-style logger the platform's background workers use (relay, consumers, rebuilds, scheduler,
 * job runner), so their classes depend on neither Nest nor pino: a pino logger, Nest's Logger through
 * {@link nestLogger}, or a test spy all fit.
 */
export interface StructuredLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: StructuredLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Nest's logger behind the slice (in a service, Nest's logger is pino's, through nestjs-pino). */
export function nestLogger(context: string): StructuredLogger {
  const logger = new Logger(context);
  return {
    info: (obj, msg) => logger.log({ ...obj, msg }),
    warn: (obj, msg) => logger.warn({ ...obj, msg }),
    error: (obj, msg) => logger.error({ ...obj, msg }),
  };
}
