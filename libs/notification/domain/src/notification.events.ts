import type { ContractEvent } from '@pm/contracts';

/**
 * Events of the notification context's aggregates. Each is its published contract's latest version
 * (`pm.notification.<Type>` in libs/contracts): the domain never declares an event shape of its own (ADR 0008).
 */
type NotificationContextEvent<TName extends string> = ContractEvent<'notification', TName>;

export type SubscriptionStarted = NotificationContextEvent<'SubscriptionStarted'>;
export type SubscriptionEnded = NotificationContextEvent<'SubscriptionEnded'>;
export type ChannelPreferenceSet = NotificationContextEvent<'ChannelPreferenceSet'>;
export type TimeZoneSet = NotificationContextEvent<'TimeZoneSet'>;
export type QuietHoursSet = NotificationContextEvent<'QuietHoursSet'>;
export type DigestCadenceSet = NotificationContextEvent<'DigestCadenceSet'>;
export type EscalationTimeoutSet = NotificationContextEvent<'EscalationTimeoutSet'>;
export type EmailSenderSet = NotificationContextEvent<'EmailSenderSet'>;

export type EmailDeliveryAttempted = NotificationContextEvent<'EmailDeliveryAttempted'>;
export type EmailDeliveryFailed = NotificationContextEvent<'EmailDeliveryFailed'>;
export type EmailSent = NotificationContextEvent<'EmailSent'>;

export type NotificationCreated = NotificationContextEvent<'NotificationCreated'>;
export type NotificationDelivered = NotificationContextEvent<'NotificationDelivered'>;
export type NotificationRead = NotificationContextEvent<'NotificationRead'>;
export type NotificationArchived = NotificationContextEvent<'NotificationArchived'>;
export type InboxMarkedAllRead = NotificationContextEvent<'InboxMarkedAllRead'>;

export type EscalationChainDefined = NotificationContextEvent<'EscalationChainDefined'>;
export type EscalationStarted = NotificationContextEvent<'EscalationStarted'>;
export type NotificationEscalated = NotificationContextEvent<'NotificationEscalated'>;
export type NotificationAcknowledged = NotificationContextEvent<'NotificationAcknowledged'>;
export type EscalationExhausted = NotificationContextEvent<'EscalationExhausted'>;

export type CommentPosted = NotificationContextEvent<'CommentPosted'>;
export type CommentEdited = NotificationContextEvent<'CommentEdited'>;
export type CommentDeleted = NotificationContextEvent<'CommentDeleted'>;

export type StakeholderRegistered = NotificationContextEvent<'StakeholderRegistered'>;
export type StakeholderRevised = NotificationContextEvent<'StakeholderRevised'>;
export type StakeholderRemoved = NotificationContextEvent<'StakeholderRemoved'>;
export type CommunicationPlanned = NotificationContextEvent<'CommunicationPlanned'>;
export type CommunicationCancelled = NotificationContextEvent<'CommunicationCancelled'>;
export type CommunicationSent = NotificationContextEvent<'CommunicationSent'>;

export type WebhookEndpointRegistered = NotificationContextEvent<'WebhookEndpointRegistered'>;
export type WebhookEndpointReconfigured = NotificationContextEvent<'WebhookEndpointReconfigured'>;
export type WebhookEndpointDisabled = NotificationContextEvent<'WebhookEndpointDisabled'>;
export type WebhookEndpointEnabled = NotificationContextEvent<'WebhookEndpointEnabled'>;
export type WebhookSecretRotated = NotificationContextEvent<'WebhookSecretRotated'>;
export type WebhookEndpointRemoved = NotificationContextEvent<'WebhookEndpointRemoved'>;

export type UserPreferencesEvent = SubscriptionStarted | SubscriptionEnded | ChannelPreferenceSet | TimeZoneSet | QuietHoursSet | DigestCadenceSet;
export type TenantNotificationSettingsEvent = SubscriptionStarted | SubscriptionEnded | EscalationTimeoutSet | EmailSenderSet;
export type EmailEvent = EmailDeliveryAttempted | EmailDeliveryFailed | EmailSent;
export type NotificationEvent = NotificationCreated | NotificationDelivered | NotificationRead | NotificationArchived;
export type InboxEvent = InboxMarkedAllRead;
export type EscalationChainEvent = EscalationChainDefined;
export type EscalationEvent = EscalationStarted | NotificationEscalated | NotificationAcknowledged | EscalationExhausted;
export type CommentEvent = CommentPosted | CommentEdited | CommentDeleted;
export type StakeholderRegisterEvent = StakeholderRegistered | StakeholderRevised | StakeholderRemoved | CommunicationPlanned | CommunicationCancelled | CommunicationSent;
export type WebhookEndpointEvent =
  | WebhookEndpointRegistered
  | WebhookEndpointReconfigured
  | WebhookEndpointDisabled
  | WebhookEndpointEnabled
  | WebhookSecretRotated
  | WebhookEndpointRemoved;

export type Severity = NotificationCreated['data']['severity'];
export type Channel = NotificationCreated['data']['channel'];
export type SubjectLink = NotificationCreated['data']['subject'];
export type DeliveryPlan = NotificationCreated['data']['delivery'];
export type NotificationReason = NotificationCreated['data']['reason'];
export type SubscriptionAudience = SubscriptionStarted['data']['audience'];
export type SubscriptionScope = SubscriptionStarted['data']['scope'];
export type PlatformRole = Extract<SubscriptionAudience, { kind: 'role' }>['role'];
export type EmailMode = ChannelPreferenceSet['data']['email'];
export type QuietHours = NonNullable<QuietHoursSet['data']['quietHours']>;
export type DigestCadence = DigestCadenceSet['data']['cadence'];
export type CommentTarget = CommentPosted['data']['on'];
export type WebhookKey = WebhookEndpointRegistered['data']['key'];
export type SmtpReply = EmailSent['data']['reply'];
export type EmailSender = Omit<EmailSenderSet['data'], 'setBy' | 'setAt'>;
