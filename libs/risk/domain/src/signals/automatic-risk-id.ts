import { uuidV8FromHex } from '@pm/shared/ddd';
import type { AutomaticRiskRuleId, AutomaticRiskSubject } from '../register/risk-register.events';

/** One string per rule and subject; a Map key, never an object key (ids are client data). */
export function signalKey(ruleId: AutomaticRiskRuleId, subject: AutomaticRiskSubject): string {
  const { kind, projectId, taskId, resourceId, riskId, actionId } = subject;
  return JSON.stringify([ruleId, kind, projectId, taskId, resourceId, riskId, actionId]);
}

/**
 * cyrb128 (public domain, bryc): four 32-bit lanes of a multiplicative string hash. Not cryptographic: it only has to
 * spread the ids of one tenant (the stream id carries the tenant too), and it is pure, so a replay computes the same id.
 */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

/**
 * The id of the automatic risk of a rule and subject (ADR 0303): derived from tenant, rule, subject and generation, so a
 * replayed or duplicated event decides on the same stream and finds the risk already raised. Formatted as a UUID of
 * version 8 (RFC 9562, "custom"), which the contracts' uuid accepts.
 */
export function automaticRiskId(tenantId: string, ruleId: AutomaticRiskRuleId, subject: AutomaticRiskSubject, generation: number): string {
  return uuidV8FromHex(cyrb128(JSON.stringify([tenantId, signalKey(ruleId, subject), generation])).map(hex8).join(''));
}
