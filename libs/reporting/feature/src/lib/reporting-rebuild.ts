import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { dlqTopic } from '@pm/contracts';
import type { MessagingLogger } from '@pm/platform/messaging';
import { rebuildBlueGreen } from '@pm/platform/projections';
import type { BlueGreenRebuildOptions, BlueGreenRebuildResult, ProgressListener } from '@pm/platform/projections';
import { REPORTING_MIGRATIONS } from '@pm/reporting/data-access';
import { REPORTING_SERVICE, REPORTING_TOPICS, reportingProjections } from './portfolio-projections.consumer';

/** Where a rebuild writes its tables until the switch, and where the replaced ones wait to be dropped (ADR 0504). */
export const REPORTING_NEXT_SCHEMA = 'reporting_next';
export const REPORTING_RETIRED_SCHEMA = 'reporting_retired';

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
    // Not fed by the topics: the tenants' health rules (a command writes them) and the versions read-your-writes waits
    // for (the live consumer records them; at the swap the rebuild has applied all it had, so they still hold).
    keptTables: ['reporting_health_rules', 'reporting_stream_versions'],
    onProgress: options.onProgress,
    signal: options.signal,
    logger: options.logger,
    testHooks: options.testHooks,
  });
}
