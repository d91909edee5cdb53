import { z } from 'zod';

/**
 * The one pattern of ids a client chooses (task, dependency, gate and calendar ids; imported plans keep their own as
 * `t<UID>`): 1–100 characters, letters, digits and `. _ : -`, starting with a letter or digit. Ids outside it are a
 * 400 naming the field before anything is decided. Ids inside it that are also names of `Object.prototype`
 * (`constructor`, `toString`, `__proto__` has no match: it starts with `_`) are ordinary ids: state is kept in Maps,
 * never in plain objects indexed by them (ADR 0008).
 */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

export const clientIdSchema = z.string().regex(CLIENT_ID_PATTERN, 'letters, digits and . _ : - (at most 100), starting with a letter or digit');
