/** The three measurements everything else in earned value management derives from, plus the budget. */
export interface EarnedValueMeasures {
  /** Budget at completion. */
  readonly bac: number;
  /** Planned value: budgeted cost of work scheduled up to the status date. */
  readonly pv: number;
  /** Earned value: budgeted cost of work performed. */
  readonly ev: number;
  /** Actual cost of work performed. */
  readonly ac: number;
}

/** The three EAC methods of the PMBOK Guide (Control Costs, forecasting), each under its assumption. */
export interface EacVariants<T> {
  /** EAC = BAC / CPI: today's cost efficiency continues. */
  readonly atCurrentCpi: T;
  /** EAC = AC + (BAC − EV): the variance so far was a one-off; the rest is done at the budgeted rate. */
  readonly atBudgetedRate: T;
  /** EAC = AC + (BAC − EV) / (CPI × SPI): schedule pressure keeps weighing on cost. */
  readonly atCpiAndSpi: T;
}

export interface EarnedValueMetrics extends EarnedValueMeasures {
  /** SV = EV − PV (negative: behind schedule). */
  readonly sv: number;
  /** CV = EV − AC (negative: over budget). */
  readonly cv: number;
  /** SPI = EV / PV; null while nothing was planned yet. */
  readonly spi: number | null;
  /** CPI = EV / AC; null while nothing was spent yet. */
  readonly cpi: number | null;
  readonly eac: EacVariants<number | null>;
  /** ETC = EAC − AC. */
  readonly etc: EacVariants<number | null>;
  /** VAC = BAC − EAC (negative: expected overrun). */
  readonly vac: EacVariants<number | null>;
  /** TCPI = (BAC − EV) / (BAC − AC): the efficiency the remaining work needs to land on budget. */
  readonly tcpiToBac: number | null;
  /** TCPI = (BAC − EV) / (EAC − AC): the efficiency the remaining work needs to land on the forecast. */
  readonly tcpiToEac: EacVariants<number | null>;
}

/** Ratios of a zero denominator are undefined, not infinite: reports show "n/a", never Infinity. */
export const ratio = (numerator: number, denominator: number): number | null => (denominator === 0 ? null : numerator / denominator);

const mapVariants = <T, U>(v: EacVariants<T>, f: (x: T) => U): EacVariants<U> => ({
  atCurrentCpi: f(v.atCurrentCpi),
  atBudgetedRate: f(v.atBudgetedRate),
  atCpiAndSpi: f(v.atCpiAndSpi),
});

export function estimatesAtCompletion({ bac, ev, ac }: EarnedValueMeasures, cpi: number | null, spi: number | null): EacVariants<number | null> {
  const remainingWork = bac - ev;
  const remainingAtBothIndices = cpi === null || spi === null ? null : ratio(remainingWork, cpi * spi);
  return {
    atCurrentCpi: cpi === null ? null : ratio(bac, cpi),
    atBudgetedRate: ac + remainingWork,
    atCpiAndSpi: remainingAtBothIndices === null ? null : ac + remainingAtBothIndices,
  };
}

export function earnedValueMetrics(measures: EarnedValueMeasures): EarnedValueMetrics {
  const { bac, pv, ev, ac } = measures;
  const spi = ratio(ev, pv);
  const cpi = ratio(ev, ac);
  const eac = estimatesAtCompletion(measures, cpi, spi);
  return {
    bac,
    pv,
    ev,
    ac,
    sv: ev - pv,
    cv: ev - ac,
    spi,
    cpi,
    eac,
    etc: mapVariants(eac, (e) => (e === null ? null : e - ac)),
    vac: mapVariants(eac, (e) => (e === null ? null : bac - e)),
    tcpiToBac: ratio(bac - ev, bac - ac),
    tcpiToEac: mapVariants(eac, (e) => (e === null ? null : ratio(bac - ev, e - ac))),
  };
}

export const sumMeasures = (items: readonly EarnedValueMeasures[]): EarnedValueMeasures =>
  items.reduce((sum, m) => ({ bac: sum.bac + m.bac, pv: sum.pv + m.pv, ev: sum.ev + m.ev, ac: sum.ac + m.ac }), { bac: 0, pv: 0, ev: 0, ac: 0 });
