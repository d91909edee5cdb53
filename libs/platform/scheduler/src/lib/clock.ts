// One clock for the platform: the request context's (commands, timers and jobs all read "now" the same way).
export { ManualClock, systemClock } from '@pm/platform/request-context';
export type { Clock } from '@pm/platform/request-context';
