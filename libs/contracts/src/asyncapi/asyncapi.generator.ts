import { stringify } from 'yaml';
import { CLOUDEVENTS_CONTENT_TYPE } from '../envelope/kafka-headers';
import { contractRegistry } from '../registry/contract.registry';
import type { ContractRegistry } from '../registry/contract.registry';
import type { BoundedContext } from '../topics/topics.constants';
import { BOUNDED_CONTEXTS, SERVICE_NAMES, TOPICS, TOPIC_OWNERS } from '../topics/topics.constants';
import { KAFKA_BINDING_VERSION, buildMessage, messageId } from './asyncapi-message.builder';

/** Version of the published catalogue document; bump the minor on additions, the major never (versions live per event). */
export const ASYNCAPI_DOCUMENT_VERSION = '1.5.0';

export interface AsyncApiDocument {
  readonly asyncapi: '3.0.0';
  readonly info: Record<string, unknown>;
  readonly defaultContentType: string;
  readonly servers: Record<string, unknown>;
  readonly channels: Record<string, unknown>;
  readonly operations: Record<string, unknown>;
  readonly components: { readonly messages: Record<string, unknown> };
}

const DESCRIPTION = `
Public event API of the project-management platform. Every state change is an event; each bounded
context publishes its events on one Kafka topic, kept forever (\`retention.ms=-1\`), so a new
subscriber can start at offset 0.

- **Value**: a CloudEvents 1.0 event in structured JSON mode (\`content-type: ${CLOUDEVENTS_CONTENT_TYPE}\`).
  Extensions: \`tenantid\`, \`streamversion\`, \`correlationid\`, \`causationid\`, \`actor\`, \`traceparent\`, and on the
  parts of a staged change \`stagedfor\` and \`stagedversion\`.
- **Key**: the stream id (= \`subject\`); the events of one aggregate stay in order within a partition.
  A stream id is \`<category>:<tenant>:<id>\`, each part percent-encoded (e.g. \`schedule:acme:7c9e…\`), so the same
  id chosen in two tenants names two streams.
- **Change in 1.1.0** (contract change of the envelope, not of any \`data\`): \`subject\` and the key were
  \`<category>-<id>\` without the tenant (\`schedule-7c9e…\`). Events published before the change keep their old
  subject on the topic; the stores were migrated, so a replay from a store or a new publication uses the new form.
  Subscribers that key state by \`subject\` should key by (\`tenantid\`, \`subject\`) or by the ids in \`data\`.
- **Staged changes** (new in 1.2.0, ADR 0009): a change too large for one message, such as a Microsoft Project
  import, is stored as parts (\`pm.planning.ScheduleImportStaged\`, each under the broker's message limit) and made
  visible by one commit event (\`pm.planning.ScheduleImported\`). Parts are published only once committed, in
  order, right before their commit and in its partition: their key and \`stagedfor\` are the commit's stream id,
  \`stagedversion\` its version; their \`subject\` stays the staging stream. Apply each part on arrival, as events
  of stream \`stagedfor\` at version \`stagedversion\` (every event of one import carries that one version). Parts
  of an abandoned change are never published.
- **New in 1.3.0** (additions only, ADR 0303): \`pm.planning.ProjectEarnedValueCalculated\` (earned value and plan risk
  signals per project, bounded whatever the plan) and the automatic risks on \`pm.risk.events\`
  (\`AutomaticRiskRaised\`, \`AutomaticRiskEvidenceRecorded\`, \`AutomaticRiskSignalCleared\`, \`AutomaticRiskRuleConfigured\`), and the overdue flags
  of the risk service's durable scheduler (\`RiskReviewOverdue\`, \`MitigationActionOverdue\`, and the tenant's time zone for them, \`DueTimeZoneSet\`, ADR 0302); a project's risk
  exposure for reporting (\`ProjectRiskExposureChanged\`: cost exposure, top risks, matrix cells, open issues, Monte Carlo
  P80) and the Monte Carlo summary and the tenant's default spread (\`ScheduleRiskSimulated\`,
  \`ScheduleRiskSpreadDefined\`, ADR 0304, and the risk ↔ task link a run may take, \`RiskScheduleImpactDefined\`, ADR 0305); money on risks: \`RiskAssessed\` v2 (optional cost impact and its expected
  monetary value) and \`ProjectRiskExposureChanged\` v2 (expected cost exposure per currency, opportunities apart), each
  with an upcaster from v1; and the first
  contracts on \`pm.notification.events\` (subscriptions, inbox, e-mail, escalation, comments, webhooks; ADR 0400).
- **New in 1.4.0** (ADR 0501): \`pm.planning.ProjectEarnedValueCalculated\` v3 adds the project's duration-weighted percent
  complete, baseline start and finish, forecast finish and its slip in working days, and the baseline's cumulative planned
  value per ISO week (month ends past 260 weeks) for S-curves; v2 events upcast with those figures null.
- **Change in 1.5.0** (envelope, ADR 0506): \`time\` is when the producing service's event store recorded the event
  (its database clock at the insert, in the transaction that committed it), no longer when the producer decided it;
  that instant moves to the new extension attribute \`occurredat\`. Within a stream, \`time\` follows the stream's
  order (up to a step back of the producer's database clock); \`occurredat\` need not. Events published before the
  change keep their \`time\` (their decision time) and have no \`occurredat\`.
- **Data always matches its schema**: producers validate every event against the latest version of its contract
  before storing it; nothing that breaks its schema is stored or published (ADR 0008).
- **Headers** repeat \`ce_type\`, \`ce_id\`, \`ce_tenantid\` and \`traceparent\` for routing without parsing the value.
- **Versions**: \`dataschema\` is \`urn:pm:schema:<type>:<version>\`. A breaking change to \`data\` is a new
  version (a new message here) plus an upcaster from the previous one; a \`type\` is never renamed.
  Every data schema is closed: within a version the shape never changes.
- **Delivery** is at least once: deduplicate on \`id\`.
- Rules that JSON Schema cannot state (e.g. \`targetFinishDate\` not before \`startDate\`) are enforced by the
  producer with the zod schemas in \`libs/contracts\`.
- Dead letters of consumer service \`<service>\` go to \`pm.<service>.dlq\` (${SERVICE_NAMES.join(', ')}).
`.trim();

function capitalized(context: BoundedContext): string {
  return context.charAt(0).toUpperCase() + context.slice(1);
}

const channelId = (context: BoundedContext): string => `${context}Events`;

function buildOperations(context: BoundedContext, messageIds: readonly string[]): Record<string, unknown> {
  const channel = { $ref: `#/channels/${channelId(context)}` };
  const messages = messageIds.map((id) => ({ $ref: `#/channels/${channelId(context)}/messages/${id}` }));
  return {
    [`publish${capitalized(context)}Events`]: {
      action: 'send',
      channel,
      summary: `${TOPIC_OWNERS[context]} publishes every ${context} event, relayed from its event store.`,
      messages,
    },
    [`consume${capitalized(context)}Events`]: {
      action: 'receive',
      channel,
      summary: `Subscribers (platform services, ERP, HR, BI) consume the ${context} events.`,
      messages,
      bindings: {
        kafka: {
          groupId: { type: 'string', description: 'One consumer group per subscribing service, named after it' },
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
    },
  };
}

/** Builds the AsyncAPI 3.0 document of the whole catalogue from the registered contracts. */
export function generateAsyncApi(registry: ContractRegistry = contractRegistry): AsyncApiDocument {
  const contracts = registry.all();
  const messages = Object.fromEntries(contracts.map((contract) => [messageId(contract), buildMessage(contract)]));
  const channels: Record<string, unknown> = {};
  let operations: Record<string, unknown> = {};
  for (const context of BOUNDED_CONTEXTS) {
    const ids = contracts.filter((contract) => contract.context === context).map(messageId);
    channels[channelId(context)] = {
      address: TOPICS[context],
      title: `${capitalized(context)} events`,
      description: `Every event of the ${context} context, published by ${TOPIC_OWNERS[context]}. Key: stream id.`,
      messages: Object.fromEntries(ids.map((id) => [id, { $ref: `#/components/messages/${id}` }])),
      bindings: {
        kafka: {
          topic: TOPICS[context],
          topicConfiguration: { 'cleanup.policy': ['delete'], 'retention.ms': -1 },
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
    };
    operations = { ...operations, ...buildOperations(context, ids) };
  }
  return {
    asyncapi: '3.0.0',
    info: { title: 'PM platform events', version: ASYNCAPI_DOCUMENT_VERSION, description: DESCRIPTION },
    defaultContentType: CLOUDEVENTS_CONTENT_TYPE,
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description: 'Single-node broker started by `npm run kafka:start` (plaintext).',
      },
      production: {
        host: '{bootstrapServers}',
        protocol: 'kafka-secure',
        description: 'Placeholder: the bootstrap servers of a deployment are set per environment.',
        variables: {
          bootstrapServers: {
            default: 'kafka-bootstrap.pm.example.com:9093',
            description: 'host:port of the Kafka bootstrap service',
          },
        },
      },
    },
    channels,
    operations,
    components: { messages },
  };
}

/** The YAML written to docs/asyncapi.yaml; deterministic so a stale file shows up as a diff. */
export function renderAsyncApiYaml(document: AsyncApiDocument = generateAsyncApi()): string {
  const header = '# Generated by `npm run asyncapi` from libs/contracts. Do not edit by hand.\n';
  // YAML 1.1 quoting: many readers (js-yaml, used by @asyncapi/parser; PyYAML) still turn an
  // unquoted 2025-09-01 into a date, which would no longer match its `type: string` schema.
  return header + stringify(document, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false });
}
