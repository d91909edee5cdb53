import { healthRank } from './portfolio-health.rules';
import type { Health } from './portfolio-health.rules';

export const PORTFOLIO_SORTS = ['name', 'health', 'spi', 'cpi', 'finish'] as const;
export type PortfolioSort = (typeof PORTFOLIO_SORTS)[number];

/** What the portfolio is ordered by: the fields of a project the sorts read. */
export interface PortfolioOrderable {
  readonly projectId: string;
  readonly name: string | null;
  readonly overall: Health;
  readonly spi: number | null;
  readonly cpi: number | null;
  readonly finish: string | null;
}

export type SortKey = string | number | null;

/** Where a page ended: the last item's sort key and id (keyset paging, stable while projects change). */
export interface PortfolioCursor {
  readonly sort: PortfolioSort;
  readonly key: SortKey;
  readonly projectId: string;
}

/** name A→Z; health worst first; SPI and CPI lowest (worst) first; finish earliest first. Missing figures last. */
export function sortKeyOf(item: PortfolioOrderable, sort: PortfolioSort): SortKey {
  switch (sort) {
    case 'name':
      return (item.name ?? '').toLowerCase();
    case 'health':
      return -healthRank(item.overall);
    case 'spi':
      return item.spi;
    case 'cpi':
      return item.cpi;
    case 'finish':
      return item.finish;
    default: {
      const never: never = sort;
      return never;
    }
  }
}

export function compareSortKeys(a: SortKey, b: SortKey): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

function compareEntries(a: { key: SortKey; projectId: string }, b: { key: SortKey; projectId: string }): number {
  const byKey = compareSortKeys(a.key, b.key);
  if (byKey !== 0) return byKey;
  if (a.projectId === b.projectId) return 0;
  return a.projectId < b.projectId ? -1 : 1;
}

/** One page of the ordered portfolio after the cursor (ties broken by project id), and the cursor of the next page. */
export function portfolioPage<T extends PortfolioOrderable>(
  items: readonly T[],
  sort: PortfolioSort,
  limit: number,
  after: PortfolioCursor | null,
): { items: T[]; next: PortfolioCursor | null } {
  const keyed = items.map((item) => ({ item, key: sortKeyOf(item, sort), projectId: item.projectId })).sort(compareEntries);
  const from = after ? keyed.filter((e) => compareEntries(e, after) > 0) : keyed;
  const page = from.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((e) => e.item),
    next: from.length > limit && last ? { sort, key: last.key, projectId: last.projectId } : null,
  };
}
