import fc from 'fast-check';
import { earnedValueMetrics } from './earned-value';

/*
 * Worked examples with published figures. The sources round intermediate indices (CPI 0.893, 0.7551,
 * 0.89) before dividing; we compute exactly, so each assertion allows the rounding the source used.
 */
describe('Earned value', () => {
  it('matches the studypool worked example (BAC 100 000, PV 45 000, EV 37 000, CV −12 000)', () => {
    // https://www.studypool.com/discuss/204913/earned-value-calculations-1 — AC = EV − CV = 49 000.
    const m = earnedValueMetrics({ bac: 100_000, pv: 45_000, ev: 37_000, ac: 49_000 });
    expect(m.spi).toBeCloseTo(0.822, 3);
    expect(m.cpi).toBeCloseTo(0.7551, 4);
    expect(m.eac.atCurrentCpi).toBeCloseTo(132_432.43, 2); // published: 132,432.43
    expect(m.eac.atBudgetedRate).toBe(112_000); // published: 112,000
    expect(m.etc.atCurrentCpi).toBeCloseTo(83_432.43, 2); // published: 83,432.43
    expect(m.etc.atBudgetedRate).toBe(63_000); // published: 63,000
  });

  it('matches the qammunity worked example (BAC 200 000, PV 50 000, EV 45 000, AC 60 000)', () => {
    // https://qammunity.org/6717666
    const m = earnedValueMetrics({ bac: 200_000, pv: 50_000, ev: 45_000, ac: 60_000 });
    expect(m.cpi).toBe(0.75);
    expect(m.spi).toBe(0.9);
    expect(m.cv).toBe(-15_000);
    expect(m.sv).toBe(-5_000);
    expect(m.eac.atCurrentCpi).toBeCloseTo(266_666.67, 2);
    expect(m.vac.atCurrentCpi).toBeCloseTo(-66_666.67, 2);
    expect(m.etc.atCurrentCpi).toBeCloseTo(206_666.67, 2);
  });

  it('matches the wikislate forecasting poster (BAC 100k, EV 40k, AC 45k, SPI 0.80), including EAC with CPI × SPI and TCPI', () => {
    // https://wikislate.com/view.php?p=15-evm-forecasting.html — SPI 0.80 means PV = 50k.
    const m = earnedValueMetrics({ bac: 100_000, pv: 50_000, ev: 40_000, ac: 45_000 });
    expect(m.cpi).toBeCloseTo(0.89, 2);
    expect(m.spi).toBe(0.8);
    expect(m.eac.atCurrentCpi).toBeCloseTo(112_500, 6); // published: $112.5k
    expect(m.etc.atCurrentCpi).toBeCloseTo(67_500, 6); // published: $67.5k
    expect(m.vac.atCurrentCpi).toBeCloseTo(-12_500, 6); // published: −$12.5k
    expect(Math.round((m.eac.atCpiAndSpi ?? 0) / 1000)).toBe(129); // published: ≈ $129k (exactly 129 375)
    expect(m.tcpiToBac).toBeCloseTo(1.09, 2); // published: 1.09
    expect(m.tcpiToEac.atCurrentCpi).toBeCloseTo(60_000 / 67_500, 10);
  });

  it('answers n/a rather than Infinity before anything is planned or spent', () => {
    const m = earnedValueMetrics({ bac: 1000, pv: 0, ev: 0, ac: 0 });
    expect(m.spi).toBeNull();
    expect(m.cpi).toBeNull();
    expect(m.eac).toEqual({ atCurrentCpi: null, atBudgetedRate: 1000, atCpiAndSpi: null });
    expect(m.tcpiToBac).toBe(1);
  });

  describe('properties', () => {
    const money = fc.integer({ min: 1, max: 10_000_000 });

    it('a project exactly on plan forecasts its budget with every EAC method', () => {
      fc.assert(
        fc.property(money, fc.integer({ min: 1, max: 100 }), (bac, pct) => {
          const spent = (bac * pct) / 100;
          const m = earnedValueMetrics({ bac, pv: spent, ev: spent, ac: spent });
          expect(m.cpi).toBe(1);
          expect(m.spi).toBe(1);
          for (const eac of Object.values(m.eac)) expect(eac).toBeCloseTo(bac, 6);
          for (const vac of Object.values(m.vac)) expect(vac).toBeCloseTo(0, 6);
        }),
      );
    });

    it('keeps ETC = EAC − AC, VAC = BAC − EAC, and TCPI to EAC = (BAC − EV) / ETC', () => {
      fc.assert(
        fc.property(money, money, money, money, (bac, pv, ev, ac) => {
          const m = earnedValueMetrics({ bac, pv, ev, ac });
          expect(m.sv).toBe(ev - pv);
          expect(m.cv).toBe(ev - ac);
          expect(m.eac.atBudgetedRate).toBe(ac + bac - ev);
          for (const key of ['atCurrentCpi', 'atBudgetedRate', 'atCpiAndSpi'] as const) {
            const eac = m.eac[key]!;
            expect(m.etc[key]!).toBeCloseTo(eac - ac, 4);
            expect(m.vac[key]!).toBeCloseTo(bac - eac, 4);
            const tcpi = m.tcpiToEac[key];
            if (tcpi !== null) expect(tcpi * m.etc[key]!).toBeCloseTo(bac - ev, 2);
          }
        }),
      );
    });

    it('forecasts an overrun with BAC / CPI exactly when CPI is below 1', () => {
      fc.assert(
        fc.property(money, money, money, (bac, ev, ac) => {
          const m = earnedValueMetrics({ bac, pv: ev, ev, ac });
          expect(m.eac.atCurrentCpi! > bac).toBe(m.cpi! < 1);
        }),
      );
    });
  });
});
