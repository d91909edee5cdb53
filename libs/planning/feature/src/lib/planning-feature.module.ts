import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CreateProjectHandler } from './projects/create-project.handler';
import { GetProjectHandler } from './projects/get-project.handler';
import { ProjectsController } from './projects/projects.controller';

/** Planning's HTTP API and use cases; needs EventStoreModule (and RelayModule to publish) in the app. */
@Module({
  imports: [CqrsModule],
  controllers: [ProjectsController],
  providers: [CreateProjectHandler, GetProjectHandler],
})
export class PlanningFeatureModule {}
