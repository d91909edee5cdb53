import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { dlqTopic } from '@pm/contracts';
import type { MessagingLogger } from '@pm/platform/messaging';
import { TABLES_KEPT_AT_SWAP, rebuildBlueGreen } from '@pm/platform/projections';
import type { BlueGreenRebuildOptions, BlueGreenRebuildResult, ProgressListener } from '@pm/platform/projections';
import { REPORTING_MIGRATIONS } from '@pm/reporting/data-access';
import { REPORTING_SERVICE, REPORTING_TOPICS, reportingProjections } from './portfolio-projections.consumer';

/** Where a rebuild writes its tables until the switch, and where the replaced ones wait to be dropped (ADR 0504). */
export const REPORTING_NEXT_SCHEMA = 'reporting_next';
export const REPORTING_RETIRED_SCHEMA = 'reporting_retired';

/**
 * Tables of REPORTING_MIGRATIONS the replay does not fill, so the swap must leave the live ones in place (ADR 0015):
 * a tenant's RAG rules and the idempotency keys are written by commands, not by events, and the applied stream
 * versions (ADR 0503) by the live consumer beside the projections; the live versions stay true for the new model,
 * which has everything the live one applied up to the switch. The fault suite's rebuild comparison found all three
 * swapped for empty tables.
 */
export const REPORTING_KEPT_AT_SWAP: readonly string[] = [...TABLES_KEPT_AT_SWAP, 'reporting_health_rules', 'reporting_stream_versions', 'idempotency_keys'];

export interface ReportingRebuildOptions {
  readonly kafka: Kafka;
  readonly pgUrl: string;
  /** A pool on the live schema (the service's); a rebuild holds a few of its connections for long. */
  readonly pool: Pool;
  /** The live consumer group (and inbox name) the rebuilt model takes over from. */
  readonly consumerGroupId: string;
  /** The reporting topics unless a spec or a bench feeds its own. */
  readonly topics?: readonly string[];
  readonly onProgress?: ProgressListener;
  readonly signal?: AbortSignal;
  readonly logger?: MessagingLogger;
  readonly testHooks?: BlueGreenRebuildOptions['testHooks'];
}

/**
 * Rebuilds every reporting read model, the tables of REPORTING_MIGRATIONS whatever they are at the time, from offset
 * 0 of the reporting topics into `reporting_next`, and swaps them in when they have caught up with the live consumer.
 */
export function rebuildReporting(options: ReportingRebuildOptions): Promise<BlueGreenRebuildResult> {
  return rebuildBlueGreen({
    kafka: options.kafka,
    pgUrl: options.pgUrl,
    pool: options.pool,
    topics: options.topics ?? REPORTING_TOPICS,
    projections: reportingProjections(),
    migrations: REPORTING_MIGRATIONS,
    liveGroupId: options.consumerGroupId,
    dlqTopic: dlqTopic(REPORTING_SERVICE),
    nextSchema: REPORTING_NEXT_SCHEMA,
    retiredSchema: REPORTING_RETIRED_SCHEMA,
    kept: REPORTING_KEPT_AT_SWAP,
    onProgress: options.onProgress,
    signal: options.signal,
    logger: options.logger,
    testHooks: options.testHooks,
  });
}
