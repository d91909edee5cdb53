// A scheduler process that dies (SIGKILL, no cleanup) inside a handler, after the handler wrote its effect and
// before the firing transaction committed. Used by durable-scheduler.race.int-spec.ts.
import { createPgPool } from '@pm/platform/event-store';
import { DurableScheduler } from '../durable-scheduler';

async function main(): Promise<void> {
  const pool = createPgPool(process.env.SCHEDULER_DB_URL!);
  const scheduler = new DurableScheduler({ name: 'crashing', pool, metrics: false }).register('crash-test', async (ctx) => {
    await ctx.tx.query('INSERT INTO effects (tenant_id, kind, key) VALUES ($1, $2, $3)', [ctx.tenantId, ctx.kind, ctx.key]);
    process.stdout.write(`firing ${ctx.key}\n`);
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => undefined);
  });
  await scheduler.runDue();
}

void main();
