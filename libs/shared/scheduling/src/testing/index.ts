export { CALENDAR, networkArb, PROJECT_START, shuffled } from './network.arbitraries';
export type { NetworkOptions } from './network.arbitraries';
