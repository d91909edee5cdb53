import { DEFAULT_HEALTH_RULES, projectHealth } from './portfolio-health.rules';
import type { HealthFigures } from './portfolio-health.rules';

const none: HealthFigures = { spi: null, cpi: null, overdueMilestones: null, criticalRisks: null, highRisks: null };

describe('projectHealth', () => {
  it('invents no colour where no figure exists', () => {
    expect(projectHealth(none)).toEqual({ schedule: 'unknown', cost: 'unknown', risk: 'unknown', overall: 'unknown', reasons: [] });
  });

  // Worked by hand with the default rules: EV 2,500, PV 3,000, AC 2,800 (the contract's example).
  // SPI = 2500 / 3000 = 0.833 < 0.85 -> schedule red; CPI = 2500 / 2800 = 0.893, below 0.95 but not 0.85 -> cost amber;
  // one overdue milestone -> amber (already red by SPI); one critical risk -> risk amber (red from 2); two high or
  // critical risks -> below 3, green by that rule. Overall: the worst, red.
  it('decides a worked example: red schedule, amber cost, amber risk, red overall, with the reasons worst first', () => {
    const health = projectHealth({ spi: 2500 / 3000, cpi: 2500 / 2800, overdueMilestones: 1, criticalRisks: 1, highRisks: 2 });
    expect(health).toEqual({
      schedule: 'red',
      cost: 'amber',
      risk: 'amber',
      overall: 'red',
      reasons: [
        { dimension: 'schedule', rag: 'red', code: 'SPI_LOW', message: 'SPI 0.833 is below 0.85' },
        { dimension: 'schedule', rag: 'amber', code: 'MILESTONES_OVERDUE', message: '1 overdue milestone(s) (amber from 1)' },
        { dimension: 'cost', rag: 'amber', code: 'CPI_LOW', message: 'CPI 0.893 is below 0.95' },
        { dimension: 'risk', rag: 'amber', code: 'CRITICAL_RISKS', message: '1 open critical risk(s) (amber from 1)' },
      ],
    });
  });

  it('is green on the thresholds themselves (below, not at, turns amber)', () => {
    const health = projectHealth({ spi: 0.95, cpi: 1.2, overdueMilestones: 0, criticalRisks: 0, highRisks: 2 });
    expect(health).toMatchObject({ schedule: 'green', cost: 'green', risk: 'green', overall: 'green', reasons: [] });
  });

  it('takes the known dimensions only for overall, and a tenant’s own thresholds', () => {
    const strict = { ...DEFAULT_HEALTH_RULES, cpi: { amberBelow: 1, redBelow: 0.97 } };
    expect(projectHealth({ ...none, cpi: 0.96 }, strict)).toMatchObject({ schedule: 'unknown', cost: 'red', risk: 'unknown', overall: 'red' });
    expect(projectHealth({ ...none, cpi: 0.96 })).toMatchObject({ cost: 'green', overall: 'green' });
  });

  it('is red from the red count of critical risks', () => {
    expect(projectHealth({ ...none, criticalRisks: 2, highRisks: 2 }).risk).toBe('red');
  });
});
