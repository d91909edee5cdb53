export * from './simulation';
export * from './register';
export * from './signals';
export * from './exposure';
export * from './schedule-risk';
