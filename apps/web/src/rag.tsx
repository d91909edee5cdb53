import type { Rag } from './portfolio.types';

const WORDS: Record<Rag, string> = { green: 'Green', amber: 'Amber', red: 'Red', unknown: 'No data' };

/** A RAG status as a word and a colour (never colour alone). */
export function RagBadge({ rag, dimension }: { rag: Rag; dimension?: string }) {
  return (
    <span className={`rag rag-${rag}`} title={dimension ? `${dimension}: ${WORDS[rag]}` : WORDS[rag]}>
      {WORDS[rag]}
    </span>
  );
}

export const formatRatio = (n: number | null) => (n === null ? '–' : n.toFixed(2));
