import { z } from 'zod';
import { contractRegistry } from '../index';
import { commentPostedV1, commentPostedV1Schema } from './comment.contracts';
import { emailSenderSetV1, emailSenderSetV1Schema } from './email.contracts';
import { quietHoursSetV1, quietHoursSetV1Schema, subscriptionStartedV1, subscriptionStartedV1Schema, timeZoneSetV1, timeZoneSetV1Schema } from './preferences.contracts';
import { webhookEndpointRegisteredV1, webhookEndpointRegisteredV1Schema, webhookSecretRotatedV1 } from './webhook-endpoint.contracts';
import { webhookDeliveryAttemptedV1, webhookDeliveryAttemptedV1Schema } from './webhook-delivery.contracts';

/** The JSON Schema a consumer reads, as text, to check what a contract can never carry. */
const zodToJsonSchemaText = (schema: z.ZodType): string => JSON.stringify(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }));

const paths = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) =>
  result.success ? [] : [...new Set(result.error?.issues.map((i) => i.path.join('.')))];

describe('Notification contracts', () => {
  it('register the preferences, inbox, e-mail, escalation, comment, stakeholder and webhook events on pm.notification with version 1', () => {
    const names = contractRegistry.all().filter((c) => c.context === 'notification').map((c) => `${c.name} v${c.version}`);
    expect(names.sort()).toEqual(
      [
        'ChannelPreferenceSet', 'CommentDeleted', 'CommentEdited', 'CommentPosted', 'CommunicationCancelled', 'CommunicationPlanned', 'CommunicationSent', 'DigestCadenceSet', 'EmailDeliveryAttempted',
        'EmailDeliveryFailed', 'EmailSenderSet', 'EmailSent', 'EscalationChainDefined', 'EscalationExhausted', 'EscalationStarted', 'EscalationTimeoutSet', 'InboxMarkedAllRead',
        'NotificationAcknowledged', 'NotificationArchived', 'NotificationCreated', 'NotificationDelivered', 'NotificationEscalated', 'NotificationRead',
        'QuietHoursSet', 'StakeholderRegistered', 'StakeholderRemoved', 'StakeholderRevised', 'SubscriptionEnded', 'SubscriptionStarted', 'TimeZoneSet', 'WebhookDeliveryAttempted', 'WebhookDeliveryFailed',
        'WebhookDeliverySucceeded', 'WebhookEndpointDisabled', 'WebhookEndpointEnabled', 'WebhookEndpointReconfigured', 'WebhookEndpointRegistered',
        'WebhookEndpointRemoved', 'WebhookSecretRotated',
      ].map((n) => `${n} v1`),
    );
  });

  it('never carries a webhook secret: a key id and a short fingerprint only', () => {
    for (const contract of [webhookEndpointRegisteredV1, webhookSecretRotatedV1]) {
      expect(zodToJsonSchemaText(contract.schema)).not.toMatch(/"secret"/);
    }
    const key = { keyId: 'whk_1', fingerprint: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' };
    expect(paths(webhookEndpointRegisteredV1Schema.safeParse({ ...webhookEndpointRegisteredV1.example, key }))).toEqual(['key.fingerprint']);
  });

  it('takes event-type filters of the platform only, bounded', () => {
    const withTypes = (eventTypes: unknown) => paths(subscriptionStartedV1Schema.safeParse({ ...subscriptionStartedV1.example, eventTypes }));
    expect(withTypes(['pm.risk.*', 'pm.planning.PhaseGateRequested'])).toEqual([]);
    expect(withTypes(['*'])).toEqual(['eventTypes.0']);
    expect(withTypes(['pm.risk.Risk*'])).toEqual(['eventTypes.0']);
    expect(withTypes(Array.from({ length: 51 }, () => 'pm.risk.*'))).toEqual(['eventTypes']);
    expect(withTypes([])).toEqual(['eventTypes']);
  });

  it('takes IANA-shaped zones and quiet hours that are not empty', () => {
    const zone = (timeZone: string) => timeZoneSetV1Schema.safeParse({ ...timeZoneSetV1.example, timeZone }).success;
    expect(['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5'].map(zone)).toEqual([true, true, true, true]);
    expect(['', 'Europe/../../etc', 'europe/berlin', 'x'.repeat(65), 'Europe/Berlin\n'].map(zone)).toEqual([false, false, false, false, false]);
    expect(paths(quietHoursSetV1Schema.safeParse({ ...quietHoursSetV1.example, quietHours: { from: '22:00', to: '22:00' } }))).toEqual(['quietHours']);
    expect(paths(quietHoursSetV1Schema.safeParse({ ...quietHoursSetV1.example, quietHours: { from: '24:00', to: '07:00' } }))).toEqual(['quietHours.from']);
  });

  it('bounds comments and their mentions', () => {
    expect(paths(commentPostedV1Schema.safeParse({ ...commentPostedV1.example, body: 'x'.repeat(10_001) }))).toEqual(['body']);
    expect(paths(commentPostedV1Schema.safeParse({ ...commentPostedV1.example, mentions: Array.from({ length: 21 }, (_, i) => `user:${i}`) }))).toEqual(['mentions']);
  });

  it('refuses webhook URLs with credentials or of another scheme, and cuts logged response bodies', () => {
    const url = (value: string) => webhookEndpointRegisteredV1Schema.safeParse({ ...webhookEndpointRegisteredV1.example, url: value }).success;
    expect(['https://erp.example.com/h', 'http://10.0.0.5:8080/x?y=1'].map(url)).toEqual([true, true]);
    expect(['https://user:pw@erp.example.com/h', 'ftp://erp.example.com', 'https://', 'javascript:alert(1)', 'https://a b/'].map(url)).toEqual([false, false, false, false, false]);
    expect(paths(webhookDeliveryAttemptedV1Schema.safeParse({ ...webhookDeliveryAttemptedV1.example, responseBody: 'x'.repeat(1025) }))).toEqual(['responseBody']);
  });

  it('keeps header injection out of the tenant sender', () => {
    const sender = (patch: object) => paths(emailSenderSetV1Schema.safeParse({ ...emailSenderSetV1.example, ...patch }));
    expect(sender({})).toEqual([]);
    expect(sender({ fromName: 'PMO\r\nBcc: victim@example.com' })).toEqual(['fromName']);
    expect(sender({ fromAddress: 'a@b.example\nBcc: x@y.example' })).toEqual(['fromAddress']);
    expect(sender({ fromAddress: 'Eve <eve@example.com>' })).toEqual(['fromAddress']);
    expect(sender({ replyTo: 'no-at-sign' })).toEqual(['replyTo']);
    expect(sender({ replyTo: null })).toEqual([]);
  });
});
