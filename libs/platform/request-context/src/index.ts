export * from './principal';
export * from './clock';
export * from './request-context';
