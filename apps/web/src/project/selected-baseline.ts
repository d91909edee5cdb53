import { useLocation } from '../router';

/** Microsoft Project's baselines: Baseline (0) and Baseline 1 to 10. */
export const BASELINE_NUMBERS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

/**
 * The baseline the Project screen compares with (`?baseline=N` in the URL, so a link keeps it; 0 when absent or not
 * one of Microsoft Project's eleven).
 */
export function useSelectedBaseline(): number {
  const raw = useLocation().query.get('baseline');
  const n = raw === null || !/^\d{1,2}$/.test(raw) ? 0 : Number(raw);
  return (BASELINE_NUMBERS as readonly number[]).includes(n) ? n : 0;
}
