// One line per aggregate: importing a contract module is what registers its events.
export {
  channelSchema,
  commentTargetKindSchema,
  eventTypeFilterSchema,
  platformRoleSchema,
  severitySchema,
  subjectKindSchema,
  subjectLinkSchema,
  timeZoneSchema,
  webhookUrlSchema,
} from './notification-primitives.schema';
export * from './preferences.contracts';
export * from './inbox.contracts';
export * from './email.contracts';
export * from './escalation.contracts';
export * from './comment.contracts';
export * from './stakeholder.contracts';
export * from './webhook-endpoint.contracts';
export * from './webhook-delivery.contracts';
