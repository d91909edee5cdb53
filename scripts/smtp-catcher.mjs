#!/usr/bin/env node
// A local SMTP catcher for `npm start` (ADR 0402): accepts every message on 127.0.0.1 (no auth, no relay), writes each
// to <dir>/<time>-<n>.eml, and serves a small listing over HTTP: `/` (HTML), `/messages.json`, `/messages/<file>` (the
// raw message). Nothing leaves the machine. Prints one line `smtp-catcher ready {"smtpPort":…,"httpPort":…,"dir":…}`.
//
//   node scripts/smtp-catcher.mjs [--smtp-port 2525] [--http-port 1080] [--dir .local/mail] [--host 127.0.0.1]
//
// `--host 0.0.0.0` only in a container of its own (docker-compose): it accepts mail from anyone who reaches it.
//
// Ports 0 pick free ones (the spec does that). Ctrl-C / SIGTERM stops it.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const { values } = parseArgs({
  options: {
    'smtp-port': { type: 'string', default: process.env.SMTP_CATCHER_PORT ?? '2525' },
    'http-port': { type: 'string', default: process.env.SMTP_CATCHER_HTTP_PORT ?? '1080' },
    dir: { type: 'string', default: path.resolve('.local', 'mail') },
    host: { type: 'string', default: '127.0.0.1' },
  },
  strict: true,
});
const dir = path.resolve(values.dir);
fs.mkdirSync(dir, { recursive: true });
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
let counter = 0;

const escapeHtml = (text) => String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  size: MAX_MESSAGE_BYTES,
  logger: false,
  onData(stream, _session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => {
      if (stream.sizeExceeded) return callback(Object.assign(new Error('552 message too large'), { responseCode: 552 }));
      const file = `${new Date().toISOString().replace(/[:.]/g, '-')}-${String(++counter).padStart(4, '0')}.eml`;
      fs.writeFile(path.join(dir, file), Buffer.concat(chunks), (err) => callback(err ?? null, `queued as ${file}`));
    });
  },
});

async function messages() {
  const files = (await fs.promises.readdir(dir)).filter((f) => f.endsWith('.eml')).sort().reverse().slice(0, 200);
  return Promise.all(
    files.map(async (file) => {
      const mail = await simpleParser(await fs.promises.readFile(path.join(dir, file)));
      return { file, date: mail.date?.toISOString() ?? null, from: mail.from?.text ?? '', to: mail.to ? [mail.to].flat().map((t) => t.text).join(', ') : '', subject: mail.subject ?? '' };
    }),
  );
}

const web = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/messages.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(await messages()));
    } else if (url.pathname.startsWith('/messages/')) {
      const file = path.basename(decodeURIComponent(url.pathname.slice('/messages/'.length)));
      const full = path.join(dir, file);
      if (!file.endsWith('.eml') || !fs.existsSync(full)) return res.writeHead(404).end('not found');
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(await fs.promises.readFile(full));
    } else if (url.pathname === '/') {
      const rows = (await messages())
        .map((m) => `<tr><td>${escapeHtml(m.date)}</td><td>${escapeHtml(m.from)}</td><td>${escapeHtml(m.to)}</td><td><a href="/messages/${encodeURIComponent(m.file)}">${escapeHtml(m.subject || '(no subject)')}</a></td></tr>`)
        .join('');
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(`<!doctype html><title>Local mail</title><h1>Local mail (${escapeHtml(dir)})</h1><table border="1" cellpadding="4"><tr><th>date</th><th>from</th><th>to</th><th>subject</th></tr>${rows}</table>`);
    } else {
      res.writeHead(404).end('not found');
    }
  } catch (err) {
    res.writeHead(500).end(String(err?.message ?? err));
  }
});

await new Promise((resolve) => smtp.listen(Number(values['smtp-port']), values.host, resolve));
await new Promise((resolve) => web.listen(Number(values['http-port']), values.host, resolve));
const ready = { smtpPort: smtp.server.address().port, httpPort: web.address().port, dir };
process.stdout.write(`smtp-catcher ready ${JSON.stringify(ready)}\n`);

const stop = () => {
  web.close();
  smtp.close(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
