import fc from 'fast-check';

import {
  centisecondsToIsoDuration,
  decodeDurationFormat,
  durationFromCentiseconds,
  durationToCentiseconds,
  encodeDurationFormat,
  isoDurationToCentiseconds,
  lagFromLinkLag,
  lagToLinkLag,
  slackToDays,
} from './duration.codec';

const DAY = 480;

describe('ISO-8601 durations', () => {
  it.each([
    ['PT8H0M0S', 8 * 3600 * 100],
    ['PT0H1M0S', 60 * 100],
    ['PT96H0M0S', 96 * 3600 * 100],
    ['PT0H29M59.78S', (29 * 60 + 59.78) * 100],
    ['PT8H0M0.6S', (8 * 3600 + 0.6) * 100],
    ['P1DT2H', 26 * 3600 * 100],
    ['PT2H', 2 * 3600 * 100],
    ['-PT8H0M0S', -8 * 3600 * 100],
  ])('reads %s', (text, centiseconds) => {
    expect(isoDurationToCentiseconds(text)).toBeCloseTo(centiseconds, 6);
  });

  it.each(['', 'P', 'PT', '8h', 'PT8X', 'P1Y', 'P2M', 'PT-8H'])('refuses %j', (text) => {
    expect(isoDurationToCentiseconds(text)).toBeNull();
  });

  it.each([
    [8 * 3600 * 100, 'PT8H0M0S'],
    [0, 'PT0H0M0S'],
    [(29 * 60 + 59.78) * 100, 'PT0H29M59.78S'],
    [(4.5) * 100, 'PT0H0M4.5S'],
    [-60 * 100, '-PT0H1M0S'],
  ])('writes %d centiseconds as %s, as Microsoft Project does', (centiseconds, text) => {
    expect(centisecondsToIsoDuration(centiseconds)).toBe(text);
  });

  it('round-trips any whole number of centiseconds exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e11, max: 1e11 }), (centiseconds) => {
        expect(isoDurationToCentiseconds(centisecondsToIsoDuration(centiseconds))).toBe(centiseconds);
      }),
    );
  });
});

describe('duration formats', () => {
  it.each([
    [7, { unit: 'days', elapsed: false, estimated: false }],
    [8, { unit: 'days', elapsed: true, estimated: false }],
    [39, { unit: 'days', elapsed: false, estimated: true }],
    [12, { unit: 'months', elapsed: true, estimated: false }],
    [21, { unit: null, elapsed: false, estimated: false }],
    [53, { unit: null, elapsed: false, estimated: true }],
    [19, { unit: 'percent', elapsed: false, estimated: false }],
  ])('decodes %d', (code, format) => {
    expect(decodeDurationFormat(code)).toEqual(format);
    expect(encodeDurationFormat(format as never)).toBe(code);
  });

  it.each([0, 1, 2, 13, 18, 22, 34, 54, 99])('knows %d is not a format', (code) => {
    expect(decodeDurationFormat(code)).toBeNull();
  });
});

describe('durations in days', () => {
  it('counts working time against the project day and elapsed time against 24 hours', () => {
    const eightHours = 8 * 3600 * 100;
    expect(durationFromCentiseconds(eightHours, { unit: 'days', elapsed: false, estimated: false }, DAY).days).toBe(1);
    expect(durationFromCentiseconds(eightHours, { unit: 'days', elapsed: false, estimated: false }, 450).days).toBeCloseTo(480 / 450);
    expect(durationFromCentiseconds(eightHours, { unit: 'days', elapsed: true, estimated: false }, DAY).days).toBe(1 / 3);
  });

  it('writes back the centiseconds it read', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e10 }), fc.boolean(), fc.integer({ min: 60, max: 1440 }), (cs, elapsed, mpd) => {
        const duration = durationFromCentiseconds(cs, { unit: 'hours', elapsed, estimated: false }, mpd);
        expect(durationToCentiseconds(duration, mpd)).toBe(cs);
      }),
    );
  });
});

describe('link lags', () => {
  it('reads LinkLag in tenths of a minute', () => {
    expect(lagFromLinkLag(4800, decodeDurationFormat(7)!, DAY)).toEqual({ days: 1, unit: 'days', elapsed: false, estimated: false });
    expect(lagFromLinkLag(-4800, decodeDurationFormat(7)!, DAY)).toMatchObject({ days: -1 });
    expect(lagFromLinkLag(24000, decodeDurationFormat(9)!, DAY)).toMatchObject({ days: 5, unit: 'weeks' });
    expect(lagFromLinkLag(14400, decodeDurationFormat(8)!, DAY)).toMatchObject({ days: 1, elapsed: true });
  });

  it('reads a percentage lag as the percentage itself', () => {
    expect(lagFromLinkLag(50, decodeDurationFormat(19)!, DAY)).toEqual({ unit: 'percent', percent: 50, elapsed: false, estimated: false });
    expect(lagToLinkLag({ unit: 'percent', percent: 50, elapsed: false, estimated: false }, DAY)).toEqual({ linkLag: 50, lagFormat: 19 });
  });

  it('writes back LinkLag and LagFormat', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e7, max: 1e7 }), fc.constantFrom(3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 35, 39, 40), (linkLag, code) => {
        expect(lagToLinkLag(lagFromLinkLag(linkLag, decodeDurationFormat(code)!, DAY), DAY)).toEqual({ linkLag, lagFormat: code });
      }),
    );
  });
});

it('reads slack in tenths of a minute as working days', () => {
  expect(slackToDays(48000, DAY)).toBe(10);
  expect(slackToDays(4500, 450)).toBe(1);
});
