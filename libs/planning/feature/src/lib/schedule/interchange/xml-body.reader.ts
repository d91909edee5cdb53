import type { Readable } from 'node:stream';
import { ProblemException } from '@pm/platform/http';

/** MSPDI files of the largest plans run to tens of megabytes; only the import route accepts that much. */
export const DEFAULT_MSPDI_BODY_LIMIT = 32 * 1024 * 1024;

const XML_TYPE = /^(application|text)\/([\w.+-]+\+)?xml\s*(;|$)/i;

/**
 * Reads the raw XML body of the import route. The global parser only takes JSON, so the stream is
 * still unread here, and the limit applies to this route alone.
 */
export async function readXmlBody(req: Readable & { headers: Record<string, string | string[] | undefined> }, limit: number): Promise<string> {
  const type = String(req.headers['content-type'] ?? '');
  if (!XML_TYPE.test(type)) {
    throw new ProblemException({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'Send the Microsoft Project XML file as application/xml' });
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  const tooLarge = () => new ProblemException({ status: 413, code: 'PAYLOAD_TOO_LARGE', detail: `The file exceeds ${limit} bytes` });
  if (declared > limit) throw tooLarge();
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
