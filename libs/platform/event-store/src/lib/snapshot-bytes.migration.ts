import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Snapshots become bytes (ADR 0011): the structured-clone serialisation of the state, not jsonb. Snapshots are a
 * cache of the log, so the old ones are dropped rather than converted (each stream is folded from its events once
 * and snapshotted again). Stored without compression (`EXTERNAL`): pglz on a 100 MB value costs more than it saves.
 */
export class EventStoreBinarySnapshots1764500000000 implements MigrationInterface {
  name = 'EventStoreBinarySnapshots1764500000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`TRUNCATE es_snapshots`);
    await queryRunner.query(`ALTER TABLE es_snapshots ALTER COLUMN state TYPE bytea USING NULL, ALTER COLUMN state SET STORAGE EXTERNAL`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`TRUNCATE es_snapshots`);
    await queryRunner.query(`ALTER TABLE es_snapshots ALTER COLUMN state TYPE jsonb USING NULL, ALTER COLUMN state SET STORAGE EXTENDED`);
  }
}
