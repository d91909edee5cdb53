import type { ContractEvent } from '@pm/contracts';

/** Either a share of each working day (units, 100 = full time) or a total of work in minutes. */
export type AssignmentLoad = { readonly kind: 'units'; readonly percent: number } | { readonly kind: 'work'; readonly minutes: number };

export type ResourceAssigned = ContractEvent<'resource', 'ResourceAssigned'>;

export type AssignmentLoadRevised = ContractEvent<'resource', 'AssignmentLoadRevised'>;

/** Staffing a placeholder (or handing work to a colleague): the old resource stays in the stream's history. */
export type AssignedResourceReplaced = ContractEvent<'resource', 'AssignedResourceReplaced'>;

export type AssignmentRemoved = ContractEvent<'resource', 'AssignmentRemoved'>;

export type AssignmentEvent = ResourceAssigned | AssignmentLoadRevised | AssignedResourceReplaced | AssignmentRemoved;
