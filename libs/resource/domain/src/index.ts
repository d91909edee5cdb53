export * from '@pm/shared/ddd';
export * from './shared/command-metadata';
export * from './shared/ids';
export * from './shared/money';

// Resource pool: people, role placeholders, equipment and material; skills, rate tables, availability, leave.
export * from './pool/resource.commands';
export * from './pool/resource.events';
export * from './pool/resource.state';
export * from './pool/resource.rules';
export * from './pool/resource.decider';
export { evolveResource } from './pool/resource.evolve';

// Assignments of resources to planning tasks, by units or work.
export * from './assignment/assignment.commands';
export * from './assignment/assignment.events';
export * from './assignment/assignment.state';
export * from './assignment/assignment.decider';

// Capacity and demand as pure functions over calendars; skills search.
export * from './capacity/working-minutes';
export * from './capacity/capacity';
export * from './capacity/periods';
export * from './capacity/skills-search';

// Over-allocation findings and what was published about them.
export * from './allocation/overallocation';
export * from './allocation/allocation.decider';

// Weekly utilisation as published for reporting.
export * from './utilisation/utilisation.decider';

// Levelling proposals.
export * from './levelling/levelling.types';
export * from './levelling/levelling';

// Timesheets, actual cost and budgets.
export * from './timesheet/timesheet.commands';
export * from './timesheet/timesheet.events';
export * from './timesheet/timesheet.state';
export * from './timesheet/timesheet.rules';
export * from './timesheet/timesheet.decider';
export * from './budget/budget.commands';
export * from './budget/budget.events';
export * from './budget/budget.state';
export * from './budget/budget.rules';
export * from './budget/budget.decider';
export * from './levelling/levelling-proposal.decider';
export * from './tenant/tenant-settings.decider';

// Every aggregate as the platform's write path takes it (decider, contracts context, snapshot policy).
export * from './resource.aggregates';
