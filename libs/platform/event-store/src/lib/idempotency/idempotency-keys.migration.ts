import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per (tenant, principal, key) a command came with (ADR 0013). `token` names the request that holds the
 * key; `committed_at` is set in the transaction that stored the command's events; `status`/`response_*` once the
 * answer is stored. Rows older than 24 h are deleted lazily on claim and by the sweep.
 */
const up = `
CREATE TABLE IF NOT EXISTS idempotency_keys (
  tenant_id        text        NOT NULL,
  principal        text        NOT NULL,
  key              text        NOT NULL,
  method           text        NOT NULL,
  path             text        NOT NULL,
  request_hash     text        NOT NULL,
  token            uuid        NOT NULL,
  success_status   integer     NOT NULL,
  lease_until      timestamptz NOT NULL,
  committed_at     timestamptz,
  status           integer,
  response_headers jsonb,
  response_body    bytea,
  recovered        boolean     NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL DEFAULT now(),
  completed_at     timestamptz,
  PRIMARY KEY (tenant_id, principal, key)
);
CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at);
`;

export class IdempotencyKeys1765200000000 implements MigrationInterface {
  name = 'IdempotencyKeys1765200000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(up);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS idempotency_keys');
  }
}
