import fc from 'fast-check';
import { portfolioPage } from './portfolio-order';
import type { PortfolioOrderable, PortfolioSort } from './portfolio-order';

const p = (projectId: string, name: string, overall: PortfolioOrderable['overall'], spi: number | null, finish: string | null): PortfolioOrderable => ({
  projectId,
  name,
  overall,
  spi,
  cpi: spi,
  finish,
});
const items = [p('a', 'Zeta', 'green', 1, '2026-05-01'), p('b', 'alpha', 'red', 0.7, null), p('c', 'Beta', 'amber', null, '2026-04-01'), p('d', 'beta', 'unknown', 0.9, '2026-04-01')];
const ids = (sort: PortfolioSort) => portfolioPage(items, sort, 10, null).items.map((i) => i.projectId);

describe('portfolioPage', () => {
  it('orders by name (case-insensitive), health worst first, indices worst first and finish earliest first, missing figures last', () => {
    expect(ids('name')).toEqual(['b', 'c', 'd', 'a']);
    expect(ids('health')).toEqual(['b', 'c', 'a', 'd']);
    expect(ids('spi')).toEqual(['b', 'd', 'a', 'c']);
    expect(ids('finish')).toEqual(['c', 'd', 'a', 'b']);
  });

  it('walks every project exactly once, page by page, whatever the sort and page size', () => {
    const health = fc.constantFrom<PortfolioOrderable['overall']>('green', 'amber', 'red', 'unknown');
    const item = fc.record({
      projectId: fc.uuid(),
      name: fc.constantFrom('a', 'B', 'b', 'c'),
      overall: health,
      spi: fc.option(fc.constantFrom(0.8, 0.9, 1)),
      cpi: fc.option(fc.constantFrom(0.8, 1)),
      finish: fc.option(fc.constantFrom('2026-01-01', '2026-02-01')),
    });
    fc.assert(
      fc.property(fc.uniqueArray(item, { selector: (i) => i.projectId, maxLength: 30 }), fc.constantFrom<PortfolioSort>('name', 'health', 'spi', 'cpi', 'finish'), fc.integer({ min: 1, max: 7 }), (all, sort, limit) => {
        const seen: string[] = [];
        let page = portfolioPage(all, sort, limit, null);
        seen.push(...page.items.map((i) => i.projectId));
        while (page.next) {
          page = portfolioPage(all, sort, limit, page.next);
          seen.push(...page.items.map((i) => i.projectId));
        }
        expect(seen).toEqual(portfolioPage(all, sort, all.length + 1, null).items.map((i) => i.projectId));
        expect(new Set(seen).size).toBe(all.length);
      }),
      { seed: 13, numRuns: 200 },
    );
  });
});
