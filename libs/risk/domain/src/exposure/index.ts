export * from './project-exposure.decider';
