import type { Principal } from '@pm/platform/auth';
import { riskDecider } from '@pm/risk/domain';
import type { RiskState, RiskStreamEvent } from '@pm/risk/domain';
import { mayActOnRisk, riskMustBeInProject } from './risk-access';

const projectId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const riskOwnedBy = (ownerId: string | null): RiskState => {
  const identified = {
    type: 'RiskIdentified',
    data: {
      riskId: '3a7c1e5b-9d2f-4b6a-8c1e-2f3a4b5c6d7e', projectId, kind: 'threat', title: 't', cause: 'c', event: 'e', effect: 'f', categoryId: 'x',
      ownerId, proximity: null, triggers: [], identifiedBy: 'user:pm', identifiedAt: '2026-03-01T09:00:00.000Z',
    },
  } as RiskStreamEvent;
  return riskDecider.evolve(riskDecider.initialState(), identified);
};
const who = (sub: string, ...roles: Principal['roles'][number][]): Principal => ({ sub, tenantId: 't', roles, actor: `user:${encodeURIComponent(sub)}` });
const code = (f: () => void) => {
  try {
    f();
    return 'allowed';
  } catch (e) {
    return (e as { code: string }).code;
  }
};

describe('Who may act on a risk', () => {
  it('lets a team member act on a risk they own, by token subject or its actor form', () => {
    expect(code(() => mayActOnRisk(who('ada', 'team-member'), riskOwnedBy('ada'), true))).toBe('allowed');
    expect(code(() => mayActOnRisk(who('ada', 'team-member'), riskOwnedBy('user:ada'), true))).toBe('allowed');
  });

  it('refuses a team member on a risk someone else owns, on an unowned risk, and where owners may not act', () => {
    expect(code(() => mayActOnRisk(who('bob', 'team-member'), riskOwnedBy('ada'), true))).toBe('RISK_OWNER_ONLY');
    expect(code(() => mayActOnRisk(who('bob', 'team-member'), riskOwnedBy(null), true))).toBe('RISK_OWNER_ONLY');
    expect(code(() => mayActOnRisk(who('ada', 'team-member'), riskOwnedBy('ada'), false))).toBe('RISK_OWNER_ONLY');
  });

  it('lets project managers and PMO admins act on any risk', () => {
    expect(code(() => mayActOnRisk(who('pm', 'project-manager'), riskOwnedBy('ada'), false))).toBe('allowed');
    expect(code(() => mayActOnRisk(who('pmo', 'pmo-admin', 'team-member'), riskOwnedBy(null), true))).toBe('allowed');
  });

  it('leaves a risk that does not exist to the decider (404), and hides a risk of another project', () => {
    expect(code(() => mayActOnRisk(who('bob', 'team-member'), riskDecider.initialState(), true))).toBe('allowed');
    expect(code(() => riskMustBeInProject(riskOwnedBy('ada'), '11111111-1111-4111-8111-111111111111'))).toBe('RISK_NOT_FOUND');
    expect(code(() => riskMustBeInProject(riskOwnedBy('ada'), projectId.toUpperCase()))).toBe('allowed');
  });
});
