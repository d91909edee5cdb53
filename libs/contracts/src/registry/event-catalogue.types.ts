/**
 * Type-level catalogue: event type -> data type of its latest version. Each contract file adds its
 * own entries by module augmentation (`declare module '../registry/event-catalogue.types'`), so a
 * new aggregate never edits a shared list. When a new version is added, its entry must move to it.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface, @typescript-eslint/no-empty-object-type -- filled by augmentation
export interface LatestEventDataByType {}

export type KnownEventType = keyof LatestEventDataByType & string;

/** Result of parsing: always the latest version; a union discriminated on `type`. */
export type ParsedEventData<TType extends KnownEventType = KnownEventType> = {
  [K in TType]: { readonly type: K; readonly version: number; readonly data: LatestEventDataByType[K] };
}[TType];
