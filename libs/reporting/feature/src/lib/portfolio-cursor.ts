import { z } from 'zod';
import { ProblemException } from '@pm/platform/http';
import { PORTFOLIO_SORTS } from '@pm/reporting/domain';
import type { PortfolioCursor, PortfolioSort } from '@pm/reporting/domain';

const cursorSchema = z.strictObject({
  sort: z.enum(PORTFOLIO_SORTS),
  key: z.union([z.string().max(500), z.number().finite(), z.null()]),
  projectId: z.uuid(),
});

/** Opaque to clients: base64url of the last item's sort key and id. */
export function encodeCursor(cursor: PortfolioCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/** A cursor that is not one of ours, or of another sort, is a 400 (problem+json), never a 500. */
export function decodeCursor(raw: string, sort: PortfolioSort): PortfolioCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success || result.data.sort !== sort) {
    throw new ProblemException({ status: 400, code: 'INVALID_CURSOR', detail: 'cursor is not the `next` of a previous page with the same sort' });
  }
  return result.data;
}
