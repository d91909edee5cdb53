import { invalid } from '@pm/shared/ddd';

/**
 * An exact amount: integer minor units (cents) of an ISO 4217 currency. No binary floating point touches an
 * amount; products go through BigInt so even large rates times long hours stay exact before the one rounding.
 */
export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

const CURRENCY = /^[A-Z]{3}$/;

export function money(amountMinor: number, currency: string): Money {
  if (!Number.isSafeInteger(amountMinor)) throw invalid('MONEY_NOT_EXACT', `amount ${amountMinor} is not a whole number of minor units`);
  if (!CURRENCY.test(currency)) throw invalid('MONEY_BAD_CURRENCY', `currency ${currency} is not an ISO 4217 code`);
  return { amountMinor, currency };
}

export const zero = (currency: string): Money => money(0, currency);

export function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw invalid('CURRENCY_MISMATCH', `cannot combine ${a.currency} and ${b.currency}`, { left: a.currency, right: b.currency });
  }
}

export function addMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(toSafe(BigInt(a.amountMinor) + BigInt(b.amountMinor)), a.currency);
}

export function subtractMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(toSafe(BigInt(a.amountMinor) - BigInt(b.amountMinor)), a.currency);
}

export const sumMoney = (amounts: readonly Money[], currency: string): Money => amounts.reduce(addMoney, zero(currency));

export const compareMoney = (a: Money, b: Money): number => {
  sameCurrency(a, b);
  return Math.sign(a.amountMinor - b.amountMinor);
};

/** numerator / denominator rounded half away from zero (the commercial rounding invoices use). */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  const q = (2n * n + denominator) / (2n * denominator);
  return negative ? -q : q;
}

/** The cost of `minutes` of work at an hourly rate: one rounding, at the end. */
export function costOfMinutes(hourlyRate: Money, minutes: number): Money {
  if (!Number.isSafeInteger(minutes)) throw invalid('MINUTES_NOT_WHOLE', `minutes ${minutes} must be a whole number`);
  return money(toSafe(divideRounded(BigInt(hourlyRate.amountMinor) * BigInt(minutes), 60n)), hourlyRate.currency);
}

/** `unitPrice` × `quantity` where quantity has up to `scale` decimals given as an integer (e.g. 2.5 units = 25 at scale 1). */
export function multiplyMoney(unitPrice: Money, quantityScaled: number, scale = 0): Money {
  if (!Number.isSafeInteger(quantityScaled)) throw invalid('QUANTITY_NOT_EXACT', 'quantity must be given as a scaled integer');
  return money(toSafe(divideRounded(BigInt(unitPrice.amountMinor) * BigInt(quantityScaled), 10n ** BigInt(scale))), unitPrice.currency);
}

/** `percent` (a whole number) of an amount, rounded once. */
export const percentOf = (amount: Money, percent: number): Money => multiplyMoney(amount, percent, 2);

function toSafe(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw invalid('MONEY_OVERFLOW', `amount ${value} minor units is out of range`);
  }
  return Number(value);
}
