/** Optional free text: absent, null and whitespace-only all mean "not given". */
export const isBlank = (value: string | null | undefined): boolean => (value?.trim() ?? '') === '';
