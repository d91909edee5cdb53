import type { Pool } from 'pg';
import { skippedFor } from './webhook-events.consumer';

const pool = {} as Pool;
const headers = (tenant: string | undefined, type: string | undefined) =>
  new Map([...(tenant === undefined ? [] : [['ce_tenantid', tenant] as const]), ...(type === undefined ? [] : [['ce_type', type] as const])]);

describe('which messages the webhook fan-out skips unread', () => {
  const endpoints = {
    asked: [] as string[][],
    async filtersOf(_q: unknown, tenantIds: readonly string[]) {
      this.asked.push([...tenantIds]);
      return new Map([
        ['t-exact', [['pm.risk.RiskAssessed']]],
        ['t-context', [['pm.planning.*'], ['pm.notification.*']]],
      ]);
    },
  };

  it('skips what no endpoint of its tenant wants, and reads what one does', async () => {
    const answer = await skippedFor(endpoints, pool, [
      headers('t-exact', 'pm.risk.RiskAssessed'),
      headers('t-exact', 'pm.risk.RiskIdentified'),
      headers('t-context', 'pm.planning.TaskRescheduled'),
      headers('t-context', 'pm.risk.RiskAssessed'),
      headers('t-none', 'pm.risk.RiskAssessed'),
      headers('constructor', 'pm.risk.RiskAssessed'),
      headers('__proto__', 'pm.planning.TaskRescheduled'),
    ]);
    expect(answer).toEqual([false, true, false, true, true, true, true]);
  });

  it('never delivers the delivery log itself, even to an endpoint on the whole notification context', async () => {
    const answer = await skippedFor(endpoints, pool, [headers('t-context', 'pm.notification.WebhookDeliveryFailed'), headers('t-context', 'pm.notification.NotificationCreated')]);
    expect(answer).toEqual([true, false]);
  });

  it('reads a message whose headers do not say its tenant or type', async () => {
    expect(await skippedFor(endpoints, pool, [headers(undefined, 'pm.risk.RiskAssessed'), headers('t-none', undefined)])).toEqual([false, false]);
  });

  it('asks for the endpoints of the batch tenants once', async () => {
    endpoints.asked = [];
    await skippedFor(endpoints, pool, [headers('a', 'x'), headers('b', 'x'), headers('a', 'y')]);
    expect(endpoints.asked).toEqual([['a', 'b']]);
  });
});
