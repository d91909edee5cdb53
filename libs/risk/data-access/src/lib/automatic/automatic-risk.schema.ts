import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Automatic risks in the register (ADR 0303): each risk row says where it came from and, for an automatic one, its rule,
 * subject, generation, latest evidence and whether its closure is proposed. Those columns are the service's signal
 * book: written in the same transaction as the decisions (inline projection) and by any person's decision on the risk,
 * rebuilt with the register from the log. And the critical tasks of each project as planning last published them, for
 * "a resource over-allocated on a critical task" (only critical tasks have a row), with each resource's latest
 * over-allocation finding, judged again when one of its tasks becomes critical.
 */
export class AutomaticRiskSchema1764900000000 implements MigrationInterface {
  name = 'AutomaticRiskSchema1764900000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE risk_register
        ADD COLUMN IF NOT EXISTS origin           text    NOT NULL DEFAULT 'manual',
        ADD COLUMN IF NOT EXISTS rule_id          text,
        ADD COLUMN IF NOT EXISTS subject          jsonb,
        ADD COLUMN IF NOT EXISTS signal_key       text,
        ADD COLUMN IF NOT EXISTS subject_resource uuid,
        ADD COLUMN IF NOT EXISTS generation       integer,
        ADD COLUMN IF NOT EXISTS evidence         jsonb,
        ADD COLUMN IF NOT EXISTS closure_proposed boolean NOT NULL DEFAULT false;
      CREATE INDEX IF NOT EXISTS risk_register_signal_project ON risk_register (tenant_id, project_id) WHERE origin = 'automatic';
      CREATE INDEX IF NOT EXISTS risk_register_signal_resource ON risk_register (tenant_id, subject_resource) WHERE subject_resource IS NOT NULL;
      CREATE TABLE IF NOT EXISTS risk_critical_tasks (
        tenant_id  text NOT NULL,
        project_id uuid NOT NULL,
        task_id    text NOT NULL,
        PRIMARY KEY (tenant_id, project_id, task_id)
      );
      CREATE INDEX IF NOT EXISTS risk_critical_tasks_by_task ON risk_critical_tasks (tenant_id, task_id);
      CREATE TABLE IF NOT EXISTS risk_resource_findings (
        tenant_id   text  NOT NULL,
        resource_id uuid  NOT NULL,
        event_id    text  NOT NULL,
        event_type  text  NOT NULL,
        finding     jsonb NOT NULL,
        PRIMARY KEY (tenant_id, resource_id)
      );
      CREATE INDEX IF NOT EXISTS risk_resource_findings_tasks ON risk_resource_findings USING gin ((finding -> 'periods') jsonb_path_ops);
    `);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS risk_critical_tasks, risk_resource_findings;
      ALTER TABLE risk_register DROP COLUMN IF EXISTS origin, DROP COLUMN IF EXISTS rule_id, DROP COLUMN IF EXISTS subject, DROP COLUMN IF EXISTS signal_key,
        DROP COLUMN IF EXISTS subject_resource, DROP COLUMN IF EXISTS generation, DROP COLUMN IF EXISTS evidence, DROP COLUMN IF EXISTS closure_proposed`);
  }
}
