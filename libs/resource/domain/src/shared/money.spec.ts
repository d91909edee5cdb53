import fc from 'fast-check';
import { addMoney, costOfMinutes, divideRounded, money, multiplyMoney, percentOf, subtractMoney, sumMoney } from './money';
import { DomainError } from '@pm/shared/ddd';

describe('Money', () => {
  it('costs 7 h 30 min at 85.50 EUR/h as exactly 641.25 EUR', () => {
    expect(costOfMinutes(money(8550, 'EUR'), 450)).toEqual(money(64125, 'EUR'));
  });

  it('rounds a third of a cent half away from zero, once', () => {
    // 100.01/h for 20 minutes = 33.3366... → 33.34
    expect(costOfMinutes(money(10001, 'EUR'), 20)).toEqual(money(3334, 'EUR'));
    expect(divideRounded(-5n, 2n)).toBe(-3n);
    expect(divideRounded(5n, 2n)).toBe(3n);
  });

  it('where binary floating point would drift, stays exact (0.10 + 0.20 = 0.30)', () => {
    expect(addMoney(money(10, 'USD'), money(20, 'USD'))).toEqual(money(30, 'USD'));
  });

  it('refuses to mix currencies and fractional minor units', () => {
    expect(() => addMoney(money(1, 'EUR'), money(1, 'USD'))).toThrow(DomainError);
    expect(() => money(1.5, 'EUR')).toThrow(DomainError);
  });

  it('multiplies by scaled quantities and takes whole percentages', () => {
    expect(multiplyMoney(money(1999, 'EUR'), 25, 1)).toEqual(money(4998, 'EUR')); // 2.5 × 19.99 = 49.975 → 49.98
    expect(percentOf(money(100000, 'EUR'), 80)).toEqual(money(80000, 'EUR'));
  });

  it('sums in any order to the same amount and subtraction undoes addition (property)', () => {
    const amount = fc.integer({ min: -1e12, max: 1e12 });
    fc.assert(
      fc.property(fc.array(amount, { maxLength: 30 }), (values) => {
        const amounts = values.map((v) => money(v, 'EUR'));
        const total = sumMoney(amounts, 'EUR');
        expect(sumMoney([...amounts].reverse(), 'EUR')).toEqual(total);
        expect(total.amountMinor).toBe(values.reduce((a, b) => a + b, 0));
      }),
    );
    fc.assert(fc.property(amount, amount, (a, b) => {
      expect(subtractMoney(addMoney(money(a, 'EUR'), money(b, 'EUR')), money(b, 'EUR'))).toEqual(money(a, 'EUR'));
    }));
  });

  it('splitting work into parts never costs more than one rounding per part away from the whole (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_00 }), fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 1, maxLength: 20 }), (rate, parts) => {
        const r = money(rate, 'EUR');
        const whole = costOfMinutes(r, parts.reduce((a, b) => a + b, 0)).amountMinor;
        const split = parts.reduce((sum, m) => sum + costOfMinutes(r, m).amountMinor, 0);
        expect(Math.abs(whole - split)).toBeLessThanOrEqual(parts.length);
      }),
    );
  });
});
