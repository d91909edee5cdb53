export * from './simulation';
export * from './register';
