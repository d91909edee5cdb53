import { randomBytes } from 'node:crypto';
import { openSession, sealSession, sessionCookie } from './session-cookie';
import type { Session } from './session-cookie';

describe('the sealed session cookie', () => {
  const key = randomBytes(32);
  const now = 1_800_000_000;
  const session: Session = { token: 'eyJhbGciOiJIUzI1NiJ9.e30.sig', sub: 'pm-1', tenant: 'demo', roles: ['project-manager'], exp: now + 60 };

  it('opens what it sealed, and the sealed value shows nothing of the token', () => {
    const sealed = sealSession(session, key);
    expect(sealed).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('eyJ');
    expect(openSession(sealed, key, now)).toEqual(session);
  });

  it('is no session once the token has expired, under another key, or altered by a single character', () => {
    const sealed = sealSession(session, key);
    expect(openSession(sealed, key, now + 60)).toBeNull();
    expect(openSession(sealed, randomBytes(32), now)).toBeNull();
    const flipped = sealed.slice(0, 20) + (sealed[20] === 'A' ? 'B' : 'A') + sealed.slice(21);
    expect(openSession(flipped, key, now)).toBeNull();
  });

  it.each([[undefined], [''], ['not base64!'], ['AAAA'], ['x'.repeat(9000)], ['__proto__'], ['\u0000']])('treats %j as no session', (value) => {
    expect(openSession(value, key, now)).toBeNull();
  });

  it('is HttpOnly and SameSite=Strict always; Secure with the __Host- prefix on https', () => {
    expect(sessionCookie('v', 90, false)).toBe('pm_session=v; Path=/; HttpOnly; SameSite=Strict; Max-Age=90');
    expect(sessionCookie('v', 90, true)).toBe('__Host-pm_session=v; Path=/; HttpOnly; SameSite=Strict; Max-Age=90; Secure');
    expect(sessionCookie('', -5, false)).toMatch(/Max-Age=0$/);
  });
});
