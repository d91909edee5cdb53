import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendProblem } from './problem';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** The page's policy: scripts, styles and calls from this origin only; nothing frames it. */
export const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * The built web app: a file under webRoot when the path names one, else index.html (the app's own routes, e.g.
 * /projects/<id>). Resolved paths are checked to stay under webRoot, whatever the request spelled.
 */
export function serveWebApp(req: IncomingMessage, res: ServerResponse, webRoot: string): void {
  const instance = req.url ?? '/';
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendProblem(res, { status: 405, code: 'METHOD_NOT_ALLOWED', title: 'Method not allowed', detail: 'The web app is served with GET only.' }, instance, { allow: 'GET, HEAD' });
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(instance, 'http://gateway').pathname);
  } catch {
    sendProblem(res, { status: 400, code: 'PATH_INVALID', title: 'Bad path', detail: 'The path holds a malformed percent-encoding.' }, instance);
    return;
  }
  if (pathname.includes('\0')) {
    sendProblem(res, { status: 400, code: 'PATH_INVALID', title: 'Bad path', detail: 'The path may not hold NUL.' }, instance);
    return;
  }
  const file = path.resolve(webRoot, `.${pathname}`);
  const inside = file === webRoot || file.startsWith(webRoot + path.sep);
  const isFile = inside && fs.statSync(file, { throwIfNoEntry: false })?.isFile() === true;
  if (!isFile && path.extname(pathname) !== '') {
    sendProblem(res, { status: 404, code: 'NOT_FOUND', title: 'Not found', detail: 'No such file.' }, instance);
    return;
  }
  const chosen = isFile ? file : path.join(webRoot, 'index.html');
  if (!fs.existsSync(chosen)) {
    sendProblem(res, { status: 503, code: 'WEB_APP_NOT_BUILT', title: 'The web app is not built', detail: 'Run npm start (it builds apps/web) or npx vite build -c apps/web/vite.config.mts.' }, instance);
    return;
  }
  const ext = path.extname(chosen);
  res.writeHead(200, {
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    // Vite names assets by content hash: cache them for good; index.html must be fetched afresh to see a new build.
    'cache-control': chosen.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...(ext === '.html' ? { 'content-security-policy': PAGE_CSP } : {}),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  fs.createReadStream(chosen).pipe(res);
}
