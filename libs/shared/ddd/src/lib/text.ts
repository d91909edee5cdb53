/** Optional free text: absent, null and whitespace-only all mean "not given". */
export const blankToNull = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
};

export const isBlank = (value: string | null | undefined): boolean => blankToNull(value) === null;

/** Lists of statements keep their order, lose blanks and surrounding whitespace. */
export const cleanList = (values: readonly string[] | undefined): string[] => (values ?? []).map((v) => v.trim()).filter((v) => v !== '');
