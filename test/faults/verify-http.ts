/** Proofs over the answers: no 500, no hang, 503 problem+json with Retry-After, the broker refuses nothing, recovery times. */
import type { Fault } from './inject';
import type { Attempt } from './load';
import type { FaultService } from './services';
import { RECOVERY_LIMIT_MS, START_LIMIT_MS, showTally, tally } from './config';
import type { Row } from './config';

/** A key still held by a request that died with its service (its 60 s lease): a retry of it, not a refusal. */
const heldKey = (a: Attempt) => a.status === 409 && a.code === 'IDEMPOTENCY_KEY_IN_FLIGHT';

export function proveAnswers(attempts: readonly Attempt[], faults: readonly Fault[], services: Map<string, FaultService>): Row[] {
  const fiveHundreds = attempts.filter((a) => a.status === 500);
  const hangs = attempts.filter((a) => a.status === 'timeout');
  const bad503 = attempts.filter((a) => a.status === 503 && (!a.problemJson || !a.retryAfter));
  const during503 = attempts.filter((a) => a.status === 503 && a.code === 'DATABASE_UNAVAILABLE');
  const inFlight = attempts.filter((a) => heldKey(a));
  const otherFailures = attempts.filter((a) => typeof a.status === 'number' && a.status >= 400 && a.status !== 503 && !heldKey(a));
  const brokerOnly = attempts.filter((a) => a.kafkaDown && !a.pgDown && !a.serviceDown);
  const brokerRefused = brokerOnly.filter((a) => a.status !== 'pending' && !heldKey(a) && (typeof a.status !== 'number' || a.status >= 400));
  const rows: Row[] = [
    { check: 'HTTP 500 answers', count: attempts.length, bad: fiveHundreds.length, detail: fiveHundreds.slice(0, 3).map((a) => `${a.ctx} ${a.code}`).join(', ') },
    { check: 'requests with no answer in 15 s (hang)', count: attempts.length, bad: hangs.length, detail: hangs.slice(0, 3).map((a) => a.ctx).join(', ') },
    { check: '503 without problem+json + Retry-After', count: attempts.filter((a) => a.status === 503).length, bad: bad503.length, detail: `${during503.length} DATABASE_UNAVAILABLE` },
    { check: '409 in flight without Retry-After', count: inFlight.length, bad: inFlight.filter((a) => !a.retryAfter).length, detail: 'a retry met its key still held (a killed request holds it for its 60 s lease)' },
    { check: 'commands refused while only the broker was down', count: brokerOnly.length, bad: brokerRefused.length, detail: brokerRefused.slice(0, 3).map((a) => `${a.ctx} ${a.status}`).join(', ') },
    { check: 'other 4xx answers', count: attempts.length, bad: otherFailures.length, detail: otherFailures.slice(0, 3).map((a) => `${a.ctx} ${a.status} ${a.code}`).join(', ') },
  ];
  for (const f of faults) {
    const during = tally(attempts.filter((a) => a.at >= f.killedAt && a.at <= f.readyAt).map((a) => String(a.status)));
    const limit = f.targets.some((t) => services.has(t)) ? START_LIMIT_MS : RECOVERY_LIMIT_MS;
    rows.push({
      check: `recovery: ${f.name}`,
      count: `${(f.recoveryMs / 1000).toFixed(1)} s`,
      bad: f.recoveryMs > limit ? 1 : 0,
      detail: `${f.serverBootMs ? `server back in ${(f.serverBootMs / 1000).toFixed(1)} s, then ` : ''}all /health/ready (limit ${limit / 1000} s; slowest ${f.slowest}); answers meanwhile: ${showTally(during) || 'none'}`,
    });
  }
  return rows;
}
