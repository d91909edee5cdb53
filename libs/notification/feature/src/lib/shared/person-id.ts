import { z } from 'zod';

const OPAQUE_ID = /^[^\s\p{Cc}]{1,200}$/u;

/** An id another context or the identity provider chose: 1–200 characters without whitespace or control characters. */
export const opaqueIdSchema = z.string().regex(OPAQUE_ID, '1–200 characters without spaces or control characters');

/** A person as a request names them: a token's `sub`. */
export const personIdSchema = opaqueIdSchema.describe('A person, by the id of their token (`sub`)');
