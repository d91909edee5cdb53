import { HttpException } from '@nestjs/common';
import type { ProblemFieldError } from './problem-details.types';

export interface ProblemInit {
  status: number;
  code: string;
  detail: string;
  title?: string;
  errors?: ProblemFieldError[];
  details?: Record<string, unknown>;
  /** Response headers the problem needs, e.g. `WWW-Authenticate` on a 401. */
  headers?: Record<string, string>;
  /** Defaults to `status >= 500`; off for expected 5xx that are logged elsewhere. */
  logAsError?: boolean;
}

/**
 * An HTTP error that already knows its problem code. Other platform libs (auth) and feature
 * code throw it; the {@link ProblemDetailsFilter} renders it as is. It stays an HttpException
 * so an app without the filter still answers with the right status.
 */
export class ProblemException extends HttpException {
  readonly problem: Readonly<ProblemInit>;

  constructor(init: ProblemInit, options?: { cause?: unknown }) {
    super({ code: init.code, message: init.detail }, init.status, options);
    this.problem = init;
  }
}

export function isProblemException(error: unknown): error is ProblemException {
  return error instanceof ProblemException;
}
