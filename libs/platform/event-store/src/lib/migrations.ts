import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { MigrationInterface } from 'typeorm';

type MigrationClass = new () => MigrationInterface;

/** Arbitrary constant: every service's migrator takes the same lock in its own database. */
const MIGRATION_LOCK_KEY = 0x706d5f6d6967;

/**
 * Applies a service's migrations (its event store, inbox, checkpoints and read models) with TypeORM's
 * migration runner, which records what ran in `typeorm_migrations`. TypeORM takes no lock itself, so a
 * session-level advisory lock keeps two replicas that start together from racing.
 */
export async function runMigrations(url: string, migrations: MigrationClass[]): Promise<string[]> {
  const lock = new Client({ connectionString: url });
  // A lost connection surfaces as the failing query below; without a listener it would crash the process.
  lock.on('error', () => undefined);
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const dataSource = new DataSource({
      type: 'postgres',
      url,
      migrations,
      migrationsTableName: 'typeorm_migrations',
      migrationsTransactionMode: 'each',
      logging: false,
    });
    await dataSource.initialize();
    try {
      const ran = await dataSource.runMigrations();
      return ran.map((m) => m.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end();
  }
}
