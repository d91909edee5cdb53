import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';

/** `npm start`'s mail catcher as its own process: what nodemailer sends lands as an .eml file and in the HTTP listing. */
describe('scripts/smtp-catcher.mjs (a real process)', () => {
  let child: ChildProcess;
  let ready: { smtpPort: number; httpPort: number; dir: string };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-catcher-'));

  beforeAll(async () => {
    child = spawn(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'smtp-catcher.mjs'), '--smtp-port', '0', '--http-port', '0', '--dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    ready = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /smtp-catcher ready (\{.*\})/.exec(out);
        if (match) resolve(JSON.parse(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`catcher exited with ${code}`)));
    });
  }, 30_000);

  afterAll(async () => {
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve).kill('SIGTERM'));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores what it receives and lists it', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: ready.smtpPort, secure: false });
    const info = await transport.sendMail({ from: 'PM <pm@pm.localhost>', to: 'pm-1@northwind.example', subject: 'Hello <catcher>', text: 'Body' });
    transport.close();
    expect(info.response).toMatch(/^250 /);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
    const list = (await (await fetch(`http://127.0.0.1:${ready.httpPort}/messages.json`)).json()) as Array<{ file: string; subject: string; to: string }>;
    expect(list).toEqual([expect.objectContaining({ subject: 'Hello <catcher>', to: 'pm-1@northwind.example' })]);
    const html = await (await fetch(`http://127.0.0.1:${ready.httpPort}/`)).text();
    expect(html).toContain('Hello &lt;catcher&gt;');
    expect(await (await fetch(`http://127.0.0.1:${ready.httpPort}/messages/${encodeURIComponent(list[0].file)}`)).text()).toContain('Subject: Hello <catcher>');
    expect((await fetch(`http://127.0.0.1:${ready.httpPort}/messages/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
  });
});
