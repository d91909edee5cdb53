export * from './automatic-risk.schema';
export * from './automatic-risk.rows';
export * from './signal-book.queries';
export * from './critical-tasks.table';
