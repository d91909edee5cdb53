export * from './tenant-calendar.schema';
export * from './tenant-calendar.table';
