import type { Aggregate } from '@pm/shared/ddd';
import { commentDecider } from './comments/comment.decider';
import type { CommentCommand, CommentState } from './comments/comment.decider';
import { emailDecider } from './email/email.decider';
import type { EmailCommand, EmailState } from './email/email.decider';
import { escalationChainDecider } from './escalation/escalation-chain.decider';
import type { EscalationChainCommand, EscalationChainState } from './escalation/escalation-chain.decider';
import { escalationDecider } from './escalation/escalation.decider';
import type { EscalationCommand, EscalationState } from './escalation/escalation.decider';
import { inboxDecider } from './inbox/inbox.decider';
import type { InboxCommand, InboxState } from './inbox/inbox.decider';
import { notificationDecider } from './inbox/notification.decider';
import type { NotificationCommand, NotificationState } from './inbox/notification.decider';
import type {
  CommentEvent,
  EmailEvent,
  EscalationChainEvent,
  EscalationEvent,
  InboxEvent,
  NotificationEvent,
  StakeholderRegisterEvent,
  TenantNotificationSettingsEvent,
  UserPreferencesEvent,
  WebhookEndpointEvent,
} from './notification.events';
import { tenantNotificationSettingsDecider } from './preferences/tenant-settings.decider';
import type { TenantNotificationSettings, TenantNotificationSettingsCommand } from './preferences/tenant-settings.decider';
import { userPreferencesDecider } from './preferences/user-preferences.decider';
import type { UserPreferences, UserPreferencesCommand } from './preferences/user-preferences.decider';
import { stakeholderRegisterDecider } from './stakeholders/stakeholder-register.decider';
import type { StakeholderRegisterCommand, StakeholderRegisterState } from './stakeholders/stakeholder-register.decider';
import { webhookDeliveryDecider } from './webhooks/webhook-delivery.decider';
import type { WebhookDeliveryCommand, WebhookDeliveryEvent, WebhookDeliveryState } from './webhooks/webhook-delivery.decider';
import { webhookEndpointDecider } from './webhooks/webhook-endpoint.decider';
import type { WebhookEndpointCommand, WebhookEndpointState } from './webhooks/webhook-endpoint.decider';

/**
 * The context's aggregates (ADR 0400). Every stream is short or capped — preferences and settings by their caps, a
 * notification, e-mail, comment or escalation by its life — so none has a snapshot policy yet; the webhook delivery
 * log and e-mails are written by the service's workers from their own small deciders in the service step.
 */
const aggregate = <C, E extends { readonly type: string; readonly data: unknown }, S>(name: string, decider: Aggregate<C, E, S>['decider']): Aggregate<C, E, S> => ({
  name: `notification.${name}`,
  context: 'notification',
  decider,
});

export const userPreferencesAggregate = aggregate<UserPreferencesCommand, UserPreferencesEvent, UserPreferences>('preferences', userPreferencesDecider);
export const tenantNotificationSettingsAggregate = aggregate<TenantNotificationSettingsCommand, TenantNotificationSettingsEvent, TenantNotificationSettings>(
  'settings',
  tenantNotificationSettingsDecider,
);
export const notificationAggregate = aggregate<NotificationCommand, NotificationEvent, NotificationState>('notification', notificationDecider);
export const inboxAggregate = aggregate<InboxCommand, InboxEvent, InboxState>('inbox', inboxDecider);
export const escalationChainAggregate = aggregate<EscalationChainCommand, EscalationChainEvent, EscalationChainState>('escalation-chain', escalationChainDecider);
export const escalationAggregate = aggregate<EscalationCommand, EscalationEvent, EscalationState>('escalation', escalationDecider);
export const commentAggregate = aggregate<CommentCommand, CommentEvent, CommentState>('comment', commentDecider);
export const stakeholderRegisterAggregate = aggregate<StakeholderRegisterCommand, StakeholderRegisterEvent, StakeholderRegisterState>('stakeholder-register', stakeholderRegisterDecider);
export const webhookEndpointAggregate = aggregate<WebhookEndpointCommand, WebhookEndpointEvent, WebhookEndpointState>('webhook-endpoint', webhookEndpointDecider);
export const emailAggregate = aggregate<EmailCommand, EmailEvent, EmailState>('email', emailDecider);
export const webhookDeliveryAggregate = aggregate<WebhookDeliveryCommand, WebhookDeliveryEvent, WebhookDeliveryState>('webhook-delivery', webhookDeliveryDecider);
