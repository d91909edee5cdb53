export * from './lib/planning-feature.module';
export * from './lib/projects/create-project.request';
export * from './lib/projects/create-project.handler';
export * from './lib/projects/get-project.handler';
