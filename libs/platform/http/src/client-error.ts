import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { codeForStatus } from './problem-details.mapper';
import { PROBLEM_CONTENT_TYPE, problemTypeUri } from './problem-details.types';
import type { ProblemDetails } from './problem-details.types';

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/**
 * Requests that Node's HTTP parser refuses before any route sees them (headers or URL over the 16 KiB limit, a
 * malformed request line, a header that took too long) would get Node's bare answer without a body. Clients get the
 * same problem+json as for every other error instead.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const code = status === 431 ? 'REQUEST_HEADERS_TOO_LARGE' : codeForStatus(status);
    const problem: ProblemDetails = {
      type: problemTypeUri(code),
      title: REASONS[status] ?? 'Bad Request',
      status,
      detail: status === 431 ? 'The request line or headers are larger than the server accepts' : 'The request could not be parsed as HTTP',
      instance: '',
      code,
    };
    const body = JSON.stringify(problem);
    socket.end(
      `HTTP/1.1 ${status} ${REASONS[status] ?? 'Bad Request'}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
