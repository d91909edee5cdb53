import { z } from 'zod';

/** A person as a request names them: a token's `sub`, 1–200 characters without whitespace or control characters. */
export const personIdSchema = z
  .string()
  .regex(/^[^\s\p{Cc}]{1,200}$/u, 'A person id (token sub): 1–200 characters without spaces or control characters')
  .describe('A person, by the id of their token (`sub`)');
