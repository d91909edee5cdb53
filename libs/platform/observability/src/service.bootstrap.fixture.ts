/**
 * A whole service as its main.ts would start it, run as a child process by
 * service.bootstrap.spec.ts: instrumentation and signal handling only behave for real outside
 * Jest's module sandbox.
 */
import { Controller, Get, Module } from '@nestjs/common';
import { AuthModule, Public } from '@pm/platform/auth';
import { ObservabilityModule } from './observability.module';
import { bootstrapService } from './service.bootstrap';

@Controller('work')
class WorkController {
  @Public()
  @Get('slow')
  async slow(): Promise<{ done: true }> {
    await new Promise((resolve) => setTimeout(resolve, 700));
    return { done: true };
  }

  @Public()
  @Get('crash')
  crash(): never {
    throw new Error('database password is hunter2');
  }

  @Get('private')
  private(): { secret: true } {
    return { secret: true };
  }
}

@Module({
  imports: [ObservabilityModule.forRoot({ serviceName: 'fixture-service' }), AuthModule.forRoot()],
  controllers: [WorkController],
})
class FixtureAppModule {}

void bootstrapService({ serviceName: 'fixture-service', port: 3999, loadModule: async () => FixtureAppModule });
