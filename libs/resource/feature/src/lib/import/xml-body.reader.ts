import type { Readable } from 'node:stream';
import { ProblemException } from '@pm/platform/http';

/** Resource files are a fraction of a full plan, but a portfolio-wide pool export runs to megabytes. */
export const DEFAULT_RESOURCE_IMPORT_LIMIT = 16 * 1024 * 1024;

const XML_TYPE = /^(application|text)\/([\w.+-]+\+)?xml\s*(;|$)/i;

export type RawRequest = Readable & { headers: Record<string, string | string[] | undefined> };

/**
 * Reads the import route's raw body: the global parser only takes JSON, so the stream is unread here and this
 * route's own limit applies (a copy of planning's reader: the two services share no feature code).
 */
export async function readXmlBody(req: RawRequest, limit: number): Promise<string> {
  const type = String(req.headers['content-type'] ?? '');
  if (!XML_TYPE.test(type)) {
    throw new ProblemException({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'Send the Microsoft Project XML file as application/xml' });
  }
  const tooLarge = () => new ProblemException({ status: 413, code: 'PAYLOAD_TOO_LARGE', detail: `The file exceeds ${limit} bytes` });
  if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limit) throw tooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
