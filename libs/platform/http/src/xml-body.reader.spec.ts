import { Readable } from 'node:stream';
import { ProblemException } from './problem.exception';
import { readXmlBody, readXmlUpload } from './xml-body.reader';
import type { DocumentRefusal, RawBodyRequest, XmlUploadFormat } from './xml-body.reader';

function request(body: string | string[], headers: Record<string, string> = { 'content-type': 'application/xml' }): RawBodyRequest {
  return Object.assign(Readable.from(Array.isArray(body) ? body.map((c) => Buffer.from(c)) : [Buffer.from(body)]), { headers });
}

async function problemOf(work: Promise<unknown>): Promise<ProblemException['problem']> {
  const error = await work.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ProblemException);
  return (error as ProblemException).problem;
}

class Refusal extends Error implements DocumentRefusal {
  constructor(readonly code: string, message: string, readonly path: string | null = null) {
    super(message);
  }
}

const format: XmlUploadFormat<{ root: string }> = {
  parse: (xml) => {
    if (!xml.startsWith('<')) throw new Refusal('DOC_NOT_XML', 'not well-formed XML');
    if (xml.includes('<Broken')) throw new Refusal('DOC_INVALID', 'Tasks/Task[1]/Duration: not a duration', 'Tasks/Task[1]/Duration');
    if (xml.includes('<Bug')) throw new TypeError('a fault of the parser');
    return { root: xml.slice(1, xml.indexOf('>')) };
  },
  isRefusal: (error): error is Refusal => error instanceof Refusal,
  notXmlCode: 'DOC_NOT_XML',
};

describe('readXmlBody', () => {
  it('reads an XML body in chunks, whatever the XML media type', async () => {
    expect(await readXmlBody(request(['<Project>', 'é</Project>']), 100)).toBe('<Project>é</Project>');
    expect(await readXmlBody(request('<a/>', { 'content-type': 'text/xml; charset=utf-8' }), 100)).toBe('<a/>');
    expect(await readXmlBody(request('<a/>', { 'content-type': 'application/vnd.ms-project+xml' }), 100)).toBe('<a/>');
  });

  it('refuses another media type with 415', async () => {
    expect(await problemOf(readXmlBody(request('{}', { 'content-type': 'application/json' }), 100))).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(await problemOf(readXmlBody(request('<a/>', {}), 100))).toMatchObject({ status: 415 });
  });

  it('refuses a declared length over the limit before reading', async () => {
    const req = request('<a/>', { 'content-type': 'application/xml', 'content-length': '101' });
    expect(await problemOf(readXmlBody(req, 100))).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(req.readableEnded).toBe(false);
  });

  it('refuses a streamed body as soon as it grows past the limit', async () => {
    expect(await problemOf(readXmlBody(request(['<a>', 'x'.repeat(60), 'x'.repeat(60), '</a>']), 100))).toMatchObject({ status: 413 });
  });
});

describe('readXmlUpload', () => {
  it('parses the body', async () => {
    expect(await readXmlUpload(request('<Project>'), 100, format)).toEqual({ root: 'Project' });
  });

  it('answers text that is not XML with 400 and the parser code', async () => {
    expect(await problemOf(readXmlUpload(request('plain text'), 100, format))).toMatchObject({ status: 400, code: 'DOC_NOT_XML', details: {} });
  });

  it('answers a well-formed file the format does not allow with 422, the parser code and where', async () => {
    expect(await problemOf(readXmlUpload(request('<Broken>'), 100, format))).toMatchObject({
      status: 422,
      code: 'DOC_INVALID',
      detail: 'Tasks/Task[1]/Duration: not a duration',
      details: { path: 'Tasks/Task[1]/Duration' },
    });
  });

  it('lets a fault of the parser through, to be a 500', async () => {
    await expect(readXmlUpload(request('<Bug>'), 100, format)).rejects.toThrow(TypeError);
  });
});
