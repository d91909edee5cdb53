import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Checkpoints of projections fed from the service's own event store (Kafka-fed ones use offsets + the inbox). */
export class ProjectionCheckpointSchema1764100000300 implements MigrationInterface {
  name = 'ProjectionCheckpointSchema1764100000300';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS projection_checkpoints (
        projection     text PRIMARY KEY,
        transaction_id xid8        NOT NULL,
        position       bigint      NOT NULL,
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS projection_checkpoints');
  }
}

export const PROJECTION_MIGRATIONS = [ProjectionCheckpointSchema1764100000300];
