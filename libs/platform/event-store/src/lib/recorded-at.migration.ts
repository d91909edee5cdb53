import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `recorded_at` becomes the instant the store inserted the row, from the database clock (`clock_timestamp()`), not
 * the start of the appending transaction (`now()`). It is what the relay publishes as CloudEvents `time` and what
 * reporting's `?asOf=` counts from (ADR 0506). The transaction start is too early for a fact a transaction derives
 * from what it read first: a background round that reads the risks, then appends their exposure, must not record the
 * exposure before risks committed while it was reading. The append statements do not change shape: a column default
 * is evaluated per inserted row inside the INSERT, so one event or a thousand in one statement cost one clock read
 * each (a vDSO call), and the rows of one statement get non-decreasing times in their order.
 *
 * Existing rows keep their values: the column has always been `NOT NULL` and set by the database (`now()` of the
 * appending transaction), a recorded time of the same clock, milliseconds before the insert; `occurred_at` (the
 * deciding process's clock, taken before the transaction) would be a worse one, so nothing is backfilled from it.
 * Events already on the topics keep the `time` they were published with (their `occurredAt`): a replay of a topic
 * reads what was published, so live projections and rebuilds agree for them too.
 */
export class EventStoreRecordedAtClock1765300000000 implements MigrationInterface {
  name = 'EventStoreRecordedAtClock1765300000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE es_events ALTER COLUMN recorded_at SET DEFAULT clock_timestamp()`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE es_events ALTER COLUMN recorded_at SET DEFAULT now()`);
  }
}
