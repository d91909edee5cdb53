import { ApiSuccessBody, decidedEventsSchema } from '@pm/platform/http';

const object = (description: string) => ({ type: 'object' as const, additionalProperties: true, description });
const page = (items: string) => ({
  type: 'object' as const,
  required: ['items', 'page'],
  properties: {
    items: { type: 'array' as const, items: object(items) },
    page: {
      type: 'object' as const,
      required: ['limit', 'next'],
      properties: { limit: { type: 'integer' as const }, next: { type: 'string' as const, nullable: true, description: 'Pass as `after` for the next page; null on the last' } },
    },
  },
});

/** The answer of every risk command (`RiskResult`). */
export const ApiRiskChange = () =>
  ApiSuccessBody({
    type: 'object',
    required: ['riskId', 'version', 'events'],
    properties: {
      riskId: { type: 'string' },
      version: { type: 'integer', description: 'Stream version after the change' },
      events: { ...decidedEventsSchema, description: 'The risk events the request decided' },
      issueId: { type: 'string', nullable: true, description: 'The issue an occurrence raised' },
      issueEvents: { ...decidedEventsSchema, description: 'The issue events an occurrence decided' },
      primary: object('The primary risk a secondary risk was linked to: its id, version and events'),
    },
  });

/** The answer of every issue command. */
export const ApiIssueChange = () =>
  ApiSuccessBody({
    type: 'object',
    required: ['issueId', 'version', 'events'],
    properties: { issueId: { type: 'string' }, version: { type: 'integer' }, events: { ...decidedEventsSchema, description: 'The issue events the request decided' } },
  });

export const ApiRiskPage = () => ApiSuccessBody(page('A register row: identification, status, rating, scores, cell, review date and overdue flag, origin (manual | automatic) and, for an automatic risk, `automatic`: rule, subject, generation, closure proposed, latest evidence'));
export const ApiIssuePage = () => ApiSuccessBody(page('An issue-log row'));
export const ApiRiskDetail = () => ApiSuccessBody(object('The register row (with origin and, for an automatic risk, its rule, subject and evidence) with the assessments, responses, mitigation actions (with overdue flags), secondary risks and `scheduleImpact.tasks`: the tasks it delays, each with its delay in working days (ADR 0305)'));
export const ApiIssueDetail = () => ApiSuccessBody(object('An issue-log row'));
export const ApiRiskMatrix = () =>
  ApiSuccessBody({
    type: 'object',
    required: ['cells'],
    properties: {
      cells: {
        type: 'array',
        items: { type: 'object', required: ['probability', 'impact', 'count'], properties: { probability: { type: 'integer' }, impact: { type: 'integer' }, count: { type: 'integer' } } },
      },
    },
  });
export const ApiRiskSettings = () =>
  ApiSuccessBody({
    type: 'object',
    required: ['version', 'matrix', 'categories', 'automaticRules'],
    properties: {
      version: { type: 'integer' },
      matrix: object('Revision, 5x5 cells and thresholds'),
      categories: { type: 'array', items: object('A risk breakdown structure category') },
      automaticRules: { type: 'array', items: object('An automatic-risk rule as it runs: ruleId, enabled, onClear, its thresholds, configured (false: the default)') },
    },
  });
export const ApiRiskSettingsChange = () =>
  ApiSuccessBody({
    type: 'object',
    required: ['version', 'events'],
    properties: { version: { type: 'integer' }, events: { ...decidedEventsSchema, description: 'The settings events the request decided' } },
  });
