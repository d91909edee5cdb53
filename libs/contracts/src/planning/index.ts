// One line per aggregate: importing a contract module is what registers its events.
export * from './project.contracts';
