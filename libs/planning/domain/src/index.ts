export * from './shared/domain-error';
export * from './shared/command-metadata';
export * from './shared/iso-date';

export * from './project/project.ids';
export * from './project/project.commands';
export * from './project/project.events';
export * from './project/project.state';
export * from './project/project.rules';
export * from './project/project.decider';
export { evolveProject } from './project/project.evolve';
export { objectiveMustBeMeasurable } from './project/project-charter.decisions';
export { DEFAULT_PROJECT_CURRENCY, DEFAULT_PROJECT_PRIORITY } from './project/project-lifecycle.decisions';
