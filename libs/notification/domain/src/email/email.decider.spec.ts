import { deciderSpecification } from '@pm/shared/ddd/testing';
import type { EmailSenderSet, EmailSent } from '../notification.events';
import { now } from '../notification.spec-fixtures';
import { tenantNotificationSettingsDecider } from '../preferences/tenant-settings.decider';
import type { SetEmailSender } from '../preferences/tenant-settings.decider';
import { renderDigestEmail, renderSingleEmail, localeOf } from './email-message';
import type { EmailItem } from './email-message';
import { emailDecider, smtpOutcomeOf } from './email.decider';
import type { RecordEmailAttempt, SmtpOutcome } from './email.decider';

const spec = deciderSpecification(emailDecider);
const settings = deciderSpecification(tenantNotificationSettingsDecider);
const service = { now, actor: 'service:notification-service', tenantId: 'tenant-1' };
const emailId = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const of = { emailId, recipientId: 'pm-1', kind: 'single' as const, notificationIds: ['8d1f4b2a-6c3e-4a5b-9c7d-1e2f3a4b5c6d'] };
const attempt = (code: number | null, maxAttempts = 3, outcome: SmtpOutcome = smtpOutcomeOf(code)): RecordEmailAttempt => ({
  type: 'RecordEmailAttempt',
  data: { ...of, reply: { code, text: `${code ?? 'no reply'}` }, outcome, messageId: `<${emailId}@notify.test>`, nextAttemptAt: '2026-03-03T09:01:00.000Z', maxAttempts },
  metadata: service,
});
const retried = (n: number) => ({ type: 'EmailDeliveryAttempted' as const, data: { ...of, attempt: n, reply: { code: 451, text: '451' }, nextAttemptAt: '2026-03-03T09:01:00.000Z', attemptedAt: now } });
const sent: EmailSent = { type: 'EmailSent', data: { ...of, attempts: 1, messageId: `<${emailId}@notify.test>`, reply: { code: 250, text: '250' }, sentAt: now } };

describe('An e-mail', () => {
  describe('RecordEmailAttempt', () => {
    it('is sent when the server accepts (2xx)', () => {
      spec.given([]).when(attempt(250)).then([sent]);
    });

    it('is tried again after a 4xx or no reply, until the last attempt ends it as failed', () => {
      spec.given([]).when(attempt(451)).then([retried(1)]);
      spec.given([]).when(attempt(null)).then([{ ...retried(1), data: { ...retried(1).data, reply: { code: null, text: 'no reply' } } }]);
      spec
        .given([retried(1), retried(2)])
        .when(attempt(451))
        .then([{ type: 'EmailDeliveryFailed', data: { ...of, attempts: 3, reply: { code: 451, text: '451' }, reason: 'retries-exhausted', failedAt: now } }]);
    });

    it('fails at once on a 5xx, or when no address is known', () => {
      spec.given([]).when(attempt(550)).then([{ type: 'EmailDeliveryFailed', data: { ...of, attempts: 1, reply: { code: 550, text: '550' }, reason: 'rejected', failedAt: now } }]);
      const [failed] = spec.given([]).when(attempt(null, 3, 'rejected')).events();
      expect(failed).toMatchObject({ type: 'EmailDeliveryFailed', data: { reason: 'rejected' } });
    });

    it('decides nothing once sent or failed: a timer firing again records no second delivery', () => {
      spec.given([sent]).when(attempt(250)).thenNothingHappens();
      spec.given([{ type: 'EmailDeliveryFailed', data: { ...of, attempts: 1, reply: { code: 550, text: '550' }, reason: 'rejected', failedAt: now } }]).when(attempt(250)).thenNothingHappens();
    });

    it('refuses an accepted e-mail without its Message-ID', () => {
      spec.given([]).when({ ...attempt(250), data: { ...attempt(250).data, messageId: null } }).thenRejects('EMAIL_MESSAGE_ID_MISSING', 'conflict');
    });
  });
});

describe('The tenant’s e-mail sender', () => {
  const set = (data: SetEmailSender['data']): SetEmailSender => ({ type: 'SetEmailSender', data, metadata: { now, actor: 'user:pmo-1', tenantId: 'tenant-1' } });
  const northwind = { fromName: 'Northwind PMO', fromAddress: 'pmo@northwind.example', replyTo: null };
  const senderSet: EmailSenderSet = { type: 'EmailSenderSet', data: { ...northwind, setBy: 'user:pmo-1', setAt: now } };

  it('is set, trimmed, and setting it again decides nothing', () => {
    settings.given([]).when(set({ ...northwind, fromName: '  Northwind PMO ' })).then([senderSet]);
    settings.given([senderSet]).when(set(northwind)).thenNothingHappens();
  });

  it('refuses what would inject headers', () => {
    settings.given([]).when(set({ ...northwind, fromName: 'PMO\r\nBcc: all@example.com' })).thenRejects('EMAIL_SENDER_NAME_INVALID', 'invalid');
    settings.given([]).when(set({ ...northwind, fromAddress: 'pmo@northwind.example\nBcc: x@y.example' })).thenRejects('EMAIL_ADDRESS_INVALID', 'invalid');
    settings.given([]).when(set({ ...northwind, replyTo: '"Eve" <eve@example.com>' })).thenRejects('EMAIL_ADDRESS_INVALID', 'invalid');
  });
});

describe('E-mail templates', () => {
  const item = (title: string, occurredAt = '2026-03-04T06:00:00.000Z'): EmailItem => ({
    notificationId: '8d1f4b2a-6c3e-4a5b-9c7d-1e2f3a4b5c6d',
    title,
    severity: 'high',
    subject: { kind: 'risk', id: 'r 1/x', projectId: '7c9e6679-7425-40de-944b-e07fc1f90ae7' },
    occurredAt,
  });

  it('say the date in the reader’s locale and time zone, and link to the thing', () => {
    const mail = renderSingleEmail(item('Vendor delay'), { locale: 'fr-FR', timeZone: 'America/New_York' }, 'https://pm.example/');
    expect(mail.subject).toBe('[High] Vendor delay');
    expect(mail.text).toContain('mercredi 4 mars 2026 à 01:00');
    expect(mail.text).toContain('https://pm.example/projects/7c9e6679-7425-40de-944b-e07fc1f90ae7/risks/r%201%2Fx');
  });

  it('escape HTML and keep the subject one line', () => {
    const mail = renderSingleEmail(item('<script>alert(1)</script>\r\nBcc: x@y'), { locale: 'en', timeZone: 'UTC' }, 'https://pm.example');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });

  it('read an unknown locale as English', () => {
    expect(localeOf('not a locale!')).toBe('en');
    expect(localeOf(null)).toBe('en');
    expect(localeOf('de-de')).toBe('de-DE');
  });

  it('count a digest’s items under one subject', () => {
    const mail = renderDigestEmail([item('One'), item('Two')], { locale: 'en-GB', timeZone: 'Europe/Berlin' }, 'https://pm.example', '2026-03-05T07:00:00.000Z');
    expect(mail.subject).toBe('Your digest of 5 March 2026: 2 notifications');
    expect(mail.text).toMatch(/One[\s\S]*Two/);
  });
});
