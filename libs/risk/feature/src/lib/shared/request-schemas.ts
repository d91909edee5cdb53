import { z } from 'zod';
import { clientIdSchema } from '@pm/platform/http';

/** Request building blocks, `.strict()` everywhere: a misspelt field is a 400, not silently ignored. */
export const isoDate = z.iso.date().describe('YYYY-MM-DD');
export const requiredText = (max: number) => z.string().trim().min(1, 'must not be blank').max(max);
export const person = requiredText(200).describe("A person: their token's `sub` (or `user:<sub>`)");
export const uuidParam = z.uuid();
export const localIdParam = clientIdSchema;
export const riskRating = z.enum(['low', 'medium', 'high', 'critical']);

/** `limit` and `after` as planning's schedule pages: the next page starts after the last id of the previous one (`page.next`). */
export const MAX_PAGE = 500;
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(100).describe(`Rows per page (1–${MAX_PAGE}, default 100), in id order`),
  after: uuidParam.optional().describe('The last id of the previous page (`page.next` of the previous answer)'),
};
