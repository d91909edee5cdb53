/**
 * @mentions are written `<@userId>` (the UI inserts them; a plain `@name` is text). The parser is one left-to-right
 * scan with indexOf — no regular expression, so no backtracking on hostile input — and a mention's id is 1 to 200
 * characters without whitespace, control characters, `<`, `>` or `@`. It never reads past a bounded window per
 * candidate, keeps each person once in order of first appearance, and stops counting at the cap + 1 so a caller can
 * refuse too many without the parser holding them all.
 */

export const MENTION_OPEN = '<@';
export const MAX_MENTION_ID_LENGTH = 200;
export const MAX_MENTIONS = 20;

function isIdChar(code: number): boolean {
  // Control characters, space and the C1 range, the delimiters, and whitespace that JavaScript knows.
  if (code <= 0x20 || (code >= 0x7f && code <= 0x9f)) return false;
  if (code === 0x3c || code === 0x3e || code === 0x40) return false;
  return !/\s/.test(String.fromCharCode(code));
}

/** The distinct ids mentioned in `text`, in order, at most `limit` (by default one more than allowed). */
export function parseMentions(text: string, limit = MAX_MENTIONS + 1): string[] {
  const found = new Set<string>();
  let from = 0;
  while (found.size < limit) {
    const open = text.indexOf(MENTION_OPEN, from);
    if (open < 0) break;
    const start = open + MENTION_OPEN.length;
    let end = start;
    while (end < text.length && end - start <= MAX_MENTION_ID_LENGTH && isIdChar(text.charCodeAt(end))) end += 1;
    const length = end - start;
    if (text.charCodeAt(end) === 0x3e && length >= 1 && length <= MAX_MENTION_ID_LENGTH) {
      found.add(text.slice(start, end));
      from = end + 1;
    } else {
      // Not a mention: resume right after the `<@`, so a real mention that starts inside the bad one is still found.
      from = start;
    }
  }
  return [...found];
}

/** How a mention is written (for templates and tests); ids that could not be parsed back are refused by the parser's rules. */
export const mentionOf = (userId: string): string => `${MENTION_OPEN}${userId}>`;
