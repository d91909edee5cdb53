import { amberMustComeBeforeRed } from './health-rules.policy';
import { DEFAULT_HEALTH_RULES, projectHealth } from './portfolio-health.rules';
import type { HealthRules } from './portfolio-health.rules';

describe('A tenant’s health rules', () => {
  describe('amberMustComeBeforeRed', () => {
    it('accepts the defaults and rules with no amber band (equal thresholds)', () => {
      expect(amberMustComeBeforeRed(DEFAULT_HEALTH_RULES)).toEqual([]);
      expect(amberMustComeBeforeRed({ ...DEFAULT_HEALTH_RULES, criticalRisks: { amberAtLeast: 1, redAtLeast: 1 }, spi: { amberBelow: 0.9, redBelow: 0.9 } })).toEqual([]);
    });

    it('rejects red before amber, naming each field', () => {
      const rules: HealthRules = { ...DEFAULT_HEALTH_RULES, cpi: { amberBelow: 0.8, redBelow: 0.9 }, highRisks: { amberAtLeast: 5, redAtLeast: 4 } };
      expect(amberMustComeBeforeRed(rules).map((v) => v.path)).toEqual(['/cpi/redBelow', '/highRisks/redAtLeast']);
    });
  });

  // A worked decision checked by hand, with a strict tenant's rules rather than the defaults:
  //   SPI amber below 0.98, red below 0.9; CPI amber below 1.0, red below 0.95; overdue milestones amber from 2, red
  //   from 4; critical risks amber from 1, red from 1 (no amber band); high-or-critical amber from 2, red from 5.
  // Figures: EV 4,700, PV 5,000, AC 4,800; 1 overdue milestone; 0 critical, 3 high open risks.
  //   SPI = 4700 / 5000 = 0.94: not below 0.9, below 0.98 -> schedule amber ("SPI 0.94 is below 0.98").
  //   Overdue 1 < 2 -> green by that rule; schedule stays amber.
  //   CPI = 4700 / 4800 = 0.979166… -> rounded 0.979: not below 0.95, below 1.0 -> cost amber.
  //   Critical 0 < 1 -> green; high-or-critical 3: at least 2, below 5 -> risk amber.
  //   Overall: the worst of amber, amber, amber -> amber.
  // By the defaults the same figures give schedule amber (0.94 < 0.95), cost green (0.979 >= 0.95) and risk amber
  // (3 high-or-critical, amber from 3).
  const strict: HealthRules = {
    spi: { amberBelow: 0.98, redBelow: 0.9 },
    cpi: { amberBelow: 1, redBelow: 0.95 },
    overdueMilestones: { amberAtLeast: 2, redAtLeast: 4 },
    criticalRisks: { amberAtLeast: 1, redAtLeast: 1 },
    highRisks: { amberAtLeast: 2, redAtLeast: 5 },
  };
  const figures = { spi: 4700 / 5000, cpi: 4700 / 4800, overdueMilestones: 1, criticalRisks: 0, highRisks: 3 };

  it('decides amber on every dimension by the tenant’s rules, for these reasons', () => {
    expect(projectHealth(figures, strict)).toEqual({
      schedule: 'amber',
      cost: 'amber',
      risk: 'amber',
      overall: 'amber',
      reasons: [
        { dimension: 'schedule', rag: 'amber', code: 'SPI_LOW', message: 'SPI 0.94 is below 0.98' },
        { dimension: 'cost', rag: 'amber', code: 'CPI_LOW', message: 'CPI 0.979 is below 1' },
        { dimension: 'risk', rag: 'amber', code: 'HIGH_RISKS', message: '3 open high or critical risk(s) (amber from 2)' },
      ],
    });
  });

  it('decides the same figures differently by the defaults: cost green, schedule and risk amber', () => {
    expect(projectHealth(figures, DEFAULT_HEALTH_RULES)).toMatchObject({ schedule: 'amber', cost: 'green', risk: 'amber', overall: 'amber' });
  });

  it('turns one critical risk straight to red when the tenant has no amber band for it', () => {
    expect(projectHealth({ ...figures, criticalRisks: 1, highRisks: 1 }, strict)).toMatchObject({
      risk: 'red',
      overall: 'red',
      reasons: [{ code: 'CRITICAL_RISKS', rag: 'red', message: '1 open critical risk(s) (red from 1)' }, { code: 'SPI_LOW' }, { code: 'CPI_LOW' }],
    });
  });
});
