import { riskMatrix, utilisationCell } from './portfolio-heat-maps';

describe('utilisationCell', () => {
  it('turns minutes into hours and a whole percent: 2,880 of 2,400 min is 48 h of 40 h, 120 %, over-allocated', () => {
    expect(utilisationCell(2400, 2880)).toEqual({ capacityHours: 40, demandHours: 48, utilisationPercent: 120, overAllocated: true });
  });
  it('rounds 1,000 of 2,400 min to 41.67 % → 42 %, and 16.67 h', () => {
    expect(utilisationCell(2400, 1000)).toEqual({ capacityHours: 40, demandHours: 16.67, utilisationPercent: 42, overAllocated: false });
  });
  it('has no percent without capacity (a placeholder), and demand there is over capacity', () => {
    expect(utilisationCell(0, 600)).toEqual({ capacityHours: 0, demandHours: 10, utilisationPercent: null, overAllocated: true });
    expect(utilisationCell(0, 0).overAllocated).toBe(false);
  });
});

describe('riskMatrix', () => {
  it('gives all 25 cells, 5x5 first, with the counts where risks sit and 0 elsewhere', () => {
    const m = riskMatrix([{ probability: 4, impact: 3, count: 2 }]);
    expect(m).toHaveLength(25);
    expect(m[0]).toEqual({ probability: 5, impact: 5, count: 0 });
    expect(m.find((c) => c.probability === 4 && c.impact === 3)?.count).toBe(2);
    expect(m.reduce((n, c) => n + c.count, 0)).toBe(2);
  });
});
