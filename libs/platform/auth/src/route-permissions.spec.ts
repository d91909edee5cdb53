import { Controller, Get, Module, Post, Put } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { AnyRole, Public, Roles } from './auth.decorators';
import { collectRoutePermissions } from './route-permissions';

@Controller('things')
@Roles('pmo-admin')
class ThingsController {
  @Get()
  @AnyRole()
  list(): string {
    return 'ok';
  }

  @Post(':id/archive')
  archive(): string {
    return 'ok';
  }

  @Put(['a', 'b'])
  @Roles('viewer')
  twoPaths(): string {
    return 'ok';
  }
}

@Controller('loose')
class LooseController {
  @Get()
  unruled(): string {
    return 'ok';
  }

  @Public()
  @Get('open')
  open(): string {
    return 'ok';
  }
}

@Module({ controllers: [LooseController] })
class LooseModule {}

class FeatureModule {
  static forRoot(): DynamicModule {
    return { module: FeatureModule, controllers: [ThingsController], imports: [LooseModule] };
  }
}

@Module({ imports: [FeatureModule.forRoot(), LooseModule] })
class RootModule {}

describe('collectRoutePermissions', () => {
  it('finds every route through static and dynamic imports, with the rule the guard applies', async () => {
    const routes = await collectRoutePermissions(RootModule);
    expect(routes.map(({ method, path, public: isPublic, roles }) => ({ method, path, isPublic, roles }))).toEqual([
      { method: 'GET', path: '/loose', isPublic: false, roles: undefined },
      { method: 'GET', path: '/loose/open', isPublic: true, roles: undefined },
      { method: 'GET', path: '/things', isPublic: false, roles: ['pmo-admin', 'project-manager', 'resource-manager', 'team-member', 'viewer'] },
      { method: 'POST', path: '/things/:id/archive', isPublic: false, roles: ['pmo-admin'] },
      { method: 'PUT', path: '/things/a', isPublic: false, roles: ['viewer'] },
      { method: 'PUT', path: '/things/b', isPublic: false, roles: ['viewer'] },
    ]);
  });
});
