import type { Readable } from 'node:stream';
import { ProblemException } from './problem.exception';

/** A request whose body is still unread: the global parser only takes JSON, so an XML upload reaches the route untouched. */
export type RawBodyRequest = Readable & { headers: Record<string, string | string[] | undefined> };

const XML_TYPE = /^(application|text)\/([\w.+-]+\+)?xml\s*(;|$)/i;

/**
 * Reads the raw XML body of an upload route, with that route's own `limit` in bytes: a declared Content-Length
 * over it is refused before reading, a body that grows past it is refused as soon as it does (413).
 * Anything but an XML media type is a 415.
 */
export async function readXmlBody(req: RawBodyRequest, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of xmlBodyStream(req, limit)) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The raw XML body of an upload route as it arrives, chunk by chunk, for routes that must not hold a large file in
 * memory: the same checks as {@link readXmlBody} (415 before reading, 413 on the declared or the streamed size).
 */
export async function* xmlBodyStream(req: RawBodyRequest, limit: number): AsyncGenerator<Buffer> {
  const type = String(req.headers['content-type'] ?? '');
  if (!XML_TYPE.test(type)) {
    throw new ProblemException({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'Send the file as application/xml' });
  }
  const tooLarge = () => new ProblemException({ status: 413, code: 'PAYLOAD_TOO_LARGE', detail: `The file exceeds ${limit} bytes` });
  if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge();
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limit) throw tooLarge();
    yield buffer;
  }
}

/** How a document parser refuses a file: a stable code, and where in the document when it knows. Structural: this lib imports no parser. */
export interface DocumentRefusal {
  readonly code: string;
  readonly message: string;
  readonly path: string | null;
}

/** The parser an upload route reads its file with. */
export interface XmlUploadFormat<T> {
  readonly parse: (xml: string) => T;
  /** The parser's refusals; anything else it throws is a fault of ours and stays a 500. */
  readonly isRefusal: (error: unknown) => error is DocumentRefusal;
  /** The refusal code for "not XML at all": a bad request (400). Other refusals are 422: well-formed, but not a file the format allows. */
  readonly notXmlCode: string;
}

/** Reads an XML upload (see {@link readXmlBody}) and parses it; the parser's refusal is answered as the client's problem. */
export async function readXmlUpload<T>(req: RawBodyRequest, limit: number, format: XmlUploadFormat<T>): Promise<T> {
  const xml = await readXmlBody(req, limit);
  try {
    return format.parse(xml);
  } catch (error) {
    if (!format.isRefusal(error)) throw error;
    throw new ProblemException({
      status: error.code === format.notXmlCode ? 400 : 422,
      code: error.code,
      detail: error.message,
      details: error.path ? { path: error.path } : {},
    });
  }
}
