import type { z } from 'zod';
import { dataSchemaUri } from '../envelope/cloud-event.schema';
import type { BoundedContext } from '../topics/topics.constants';
import { isBoundedContext } from '../topics/topics.constants';
import { contractRegistry } from './contract.registry';
import { EventContractError } from './event-contract.errors';

/** One version of one event type: its data schema plus what the catalogue and docs say about it. */
export interface EventContract<TType extends string = string, TData = unknown> {
  readonly context: BoundedContext;
  /** Past-tense PascalCase business fact, e.g. `ProjectCreated`. */
  readonly name: string;
  /** `pm.<context>.<name>`; the stored and published type, never renamed. */
  readonly type: TType;
  /** 1, 2, 3...: a breaking change to `data` is a new version plus an upcaster from the previous one. */
  readonly version: number;
  /** The CloudEvents `dataschema` attribute for this version. */
  readonly dataschema: string;
  readonly schema: z.ZodType<TData>;
  readonly description: string;
  /** Parsed example data, shown in the AsyncAPI document. */
  readonly example: TData;
}

export type EventDataOf<TContract> = TContract extends EventContract<string, infer TData> ? TData : never;

export interface EventContractDefinition<TContext extends BoundedContext, TName extends string, TSchema extends z.ZodType> {
  readonly context: TContext;
  readonly name: TName;
  readonly version: number;
  readonly schema: TSchema;
  readonly description: string;
  readonly example: z.input<TSchema>;
}

export type DefinedEventContract<TContext extends BoundedContext, TName extends string, TSchema extends z.ZodType> =
  EventContract<`pm.${TContext}.${TName}`, z.output<TSchema>> & { readonly schema: TSchema };

const EVENT_NAME = /^[A-Z][A-Za-z0-9]*$/;

/** Builds a contract without registering it; definitions are checked when the module loads, not when an event arrives. */
export function buildEventContract<const TContext extends BoundedContext, const TName extends string, TSchema extends z.ZodType>(
  definition: EventContractDefinition<TContext, TName, TSchema>,
): DefinedEventContract<TContext, TName, TSchema> {
  const { context, name, version, schema, description } = definition;
  const type = `pm.${context}.${name}` as const;
  const reject = (reason: string): never => {
    throw new EventContractError('INVALID_EVENT_CONTRACT', `${type} v${version}: ${reason}`, { type, version });
  };
  if (!isBoundedContext(context)) reject(`unknown bounded context "${context}"`);
  if (!EVENT_NAME.test(name)) reject('name must be PascalCase');
  if (!Number.isSafeInteger(version) || version < 1) reject('version must be a positive integer');
  if (description.trim() === '') reject('description is required');
  const example = schema.safeParse(definition.example);
  if (!example.success) {
    throw new EventContractError('INVALID_EVENT_CONTRACT', `${type} v${version}: example does not match its schema`, {
      type,
      version,
      issues: example.error.issues,
    });
  }
  // TypeScript cannot see that a generic TSchema is a ZodType of its own output type; it is by definition.
  return Object.freeze({
    context,
    name,
    type,
    version,
    dataschema: dataSchemaUri(type, version),
    schema,
    description,
    example: example.data,
  }) as DefinedEventContract<TContext, TName, TSchema>;
}

/** Builds a contract and registers it in the default registry, so defining is registering. */
export function defineEventContract<const TContext extends BoundedContext, const TName extends string, TSchema extends z.ZodType>(
  definition: EventContractDefinition<TContext, TName, TSchema>,
): DefinedEventContract<TContext, TName, TSchema> {
  const contract = buildEventContract(definition);
  contractRegistry.register(contract);
  return contract;
}
