export * from './lib/planning.migrations';
export * from './lib/schedule/planned-schedule.state';
export * from './lib/schedule/schedule-view.migration';
export * from './lib/schedule/schedule-view.projection';
export * from './lib/schedule/schedule-view.repository';
export * from './lib/schedule/schedule-view.builder';
export * from './lib/schedule/earned-value-view.builder';
