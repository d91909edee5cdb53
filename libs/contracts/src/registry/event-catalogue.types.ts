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

/**
 * A domain event of a context as its decider produces it: `type` is the contract's name, `data` the contract's
 * latest data. Domain libs derive their event types from here (a type-only import), so an event the domain can
 * build always has the shape its published contract describes (ADR 0008).
 */
export type ContractEvent<TContext extends string, TName extends string> = `pm.${TContext}.${TName}` extends KnownEventType
  ? { readonly type: TName; readonly data: DeepReadonly<LatestEventDataByType[`pm.${TContext}.${TName}`]> }
  : never;

/** Events are facts: nothing that holds one may change it. */
export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends readonly (infer U)[]
    ? readonly DeepReadonly<U>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;
