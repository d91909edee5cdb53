import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Where each relay got to in its service's event store; written only after Kafka acknowledged. */
export class RelayCheckpointSchema1764100000100 implements MigrationInterface {
  name = 'RelayCheckpointSchema1764100000100';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS relay_checkpoints (
        relay_name     text PRIMARY KEY,
        transaction_id xid8        NOT NULL,
        position       bigint      NOT NULL,
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS relay_checkpoints');
  }
}

/**
 * The inbox: one row per (consumer, event id) handled, inserted in the same transaction as the handler's
 * writes, so a redelivered event is recognised and skipped. Keyed on the producer's event id, never the offset.
 */
export class InboxSchema1764100000200 implements MigrationInterface {
  name = 'InboxSchema1764100000200';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS inbox (
        consumer    text        NOT NULL,
        event_id    uuid        NOT NULL,
        event_type  text        NOT NULL,
        tenant_id   text        NOT NULL,
        topic       text        NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset    bigint  NOT NULL,
        handled_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS inbox');
  }
}

export const MESSAGING_MIGRATIONS = [RelayCheckpointSchema1764100000100, InboxSchema1764100000200];
