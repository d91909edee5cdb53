import type { EventContract } from './event-contract';
import { EventContractError } from './event-contract.errors';

/** Maps valid data of one version to data of the next; pure, no I/O (replays must be repeatable). */
export type Upcaster<TFrom = unknown, TTo = unknown> = (data: TFrom) => TTo;

/** Any version of an event, brought up to the latest version of its type. */
export interface UpcastEventData {
  readonly type: string;
  readonly version: number;
  readonly data: unknown;
}

export class ContractRegistry {
  // type -> version -> contract; versions are contiguous from 1, so the last one is the latest.
  readonly #contracts = new Map<string, Map<number, EventContract>>();
  // type -> fromVersion -> upcaster to fromVersion + 1
  readonly #upcasters = new Map<string, Map<number, Upcaster>>();

  register(contract: EventContract): void {
    const { type, version } = contract;
    const versions = this.#contracts.get(type) ?? new Map<number, EventContract>();
    if (versions.has(version)) {
      throw new EventContractError('DUPLICATE_EVENT_CONTRACT', `${type} v${version} is already defined`, { type, version });
    }
    // Contiguous versions keep the upcaster chain unbroken: v1 -> v2 -> ... -> latest.
    if (version !== versions.size + 1) {
      throw new EventContractError(
        'INVALID_EVENT_CONTRACT',
        `${type} v${version}: expected version ${versions.size + 1} (define versions in order)`,
        { type, version },
      );
    }
    versions.set(version, contract);
    this.#contracts.set(type, versions);
  }

  /** Both versions must be defined first; the upcaster's input is checked against `fromVersion`'s schema before it runs. */
  registerUpcaster<TFrom, TTo>(type: string, fromVersion: number, upcaster: Upcaster<TFrom, TTo>): void {
    this.get(type, fromVersion);
    this.get(type, fromVersion + 1);
    const upcasters = this.#upcasters.get(type) ?? new Map<number, Upcaster>();
    if (upcasters.has(fromVersion)) {
      throw new EventContractError('DUPLICATE_EVENT_CONTRACT', `${type}: an upcaster from v${fromVersion} exists`, {
        type,
        version: fromVersion,
      });
    }
    // Sound because `parse` validates the data against `fromVersion` before calling it.
    upcasters.set(fromVersion, upcaster as Upcaster);
    this.#upcasters.set(type, upcasters);
  }

  find(type: string, version: number): EventContract | undefined {
    return this.#contracts.get(type)?.get(version);
  }

  get(type: string, version: number): EventContract {
    const versions = this.#versionsOf(type);
    const contract = versions.get(version);
    if (contract === undefined) {
      throw new EventContractError(
        'UNKNOWN_EVENT_VERSION',
        `${type} has no version ${version} (known: ${[...versions.keys()].join(', ')})`,
        { type, version },
      );
    }
    return contract;
  }

  latest(type: string): EventContract {
    const versions = this.#versionsOf(type);
    return versions.get(versions.size) as EventContract;
  }

  /** Every version of every type, ordered by type then version. */
  all(): readonly EventContract[] {
    return [...this.#contracts.keys()]
      .sort()
      .flatMap((type) => [...this.#versionsOf(type).values()].sort((a, b) => a.version - b.version));
  }

  hasUpcaster(type: string, fromVersion: number): boolean {
    return this.#upcasters.get(type)?.has(fromVersion) ?? false;
  }

  /** Validates `data` as `version` of `type`, then upcasts it step by step to the latest version. */
  parse(type: string, version: number, data: unknown): UpcastEventData {
    const contract = this.get(type, version);
    const parsed = contract.schema.safeParse(data);
    if (!parsed.success) {
      throw new EventContractError('INVALID_EVENT_DATA', `${type} v${version}: data does not match its schema`, {
        type,
        version,
        issues: parsed.error.issues,
      });
    }
    let current: unknown = parsed.data;
    const latest = this.latest(type).version;
    for (let from = version; from < latest; from += 1) {
      current = this.#upcastOnce(type, from, current);
    }
    return { type, version: latest, data: current };
  }

  #upcastOnce(type: string, from: number, data: unknown): unknown {
    const upcaster = this.#upcasters.get(type)?.get(from);
    if (upcaster === undefined) {
      throw new EventContractError('MISSING_UPCASTER', `${type}: no upcaster from v${from} to v${from + 1}`, {
        type,
        version: from,
      });
    }
    let next: unknown;
    try {
      next = upcaster(data);
    } catch (cause) {
      throw new EventContractError('UPCAST_FAILED', `${type}: upcaster v${from} -> v${from + 1} threw`, { type, version: from }, { cause });
    }
    const result = this.get(type, from + 1).schema.safeParse(next);
    if (!result.success) {
      throw new EventContractError('UPCAST_FAILED', `${type}: upcaster v${from} -> v${from + 1} produced invalid data`, {
        type,
        version: from + 1,
        issues: result.error.issues,
      });
    }
    return result.data;
  }

  #versionsOf(type: string): Map<number, EventContract> {
    const versions = this.#contracts.get(type);
    if (versions === undefined) {
      throw new EventContractError('UNKNOWN_EVENT_TYPE', `unknown event type "${type}"`, { type });
    }
    return versions;
  }
}

/** The platform's catalogue: every contract module registers into it when imported through `@pm/contracts`. */
export const contractRegistry = new ContractRegistry();

export function registerUpcaster<TFrom, TTo>(type: string, fromVersion: number, upcaster: Upcaster<TFrom, TTo>): void {
  contractRegistry.registerUpcaster(type, fromVersion, upcaster);
}
