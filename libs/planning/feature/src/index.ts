export * from './lib/planning-feature.module';
export * from './lib/projects/create-project.request';
export * from './lib/projects/create-project.handler';
export * from './lib/projects/get-project.handler';
export * from './lib/schedule/change-schedule.handler';
export * from './lib/schedule/read/schedule-view.runner';
export * from './lib/change-requests/change-approval.config';
export type { ImportOptions } from './lib/schedule/interchange/import/import.options';
export { SCHEDULE_IMPORT_JOB } from './lib/schedule/interchange/import/import.options';
