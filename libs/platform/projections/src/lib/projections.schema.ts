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

/** How far each lane of a lane projection got (its stream's version), written with the lane's rows (ADR 0010). */
export class ProjectionLanesSchema1764400000100 implements MigrationInterface {
  name = 'ProjectionLanesSchema1764400000100';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS projection_lanes (
        projection text        NOT NULL,
        lane       text        NOT NULL,
        version    integer     NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (projection, lane)
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS projection_lanes');
  }
}

export const PROJECTION_MIGRATIONS = [ProjectionCheckpointSchema1764100000300, ProjectionLanesSchema1764400000100];
