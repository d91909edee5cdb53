import { RequestMethod } from '@nestjs/common';
import type { DynamicModule, Type } from '@nestjs/common';
import { IS_PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import type { Role } from './principal.model';

/** One HTTP endpoint and who may call it, as the guard will decide it. */
export interface RoutePermission {
  method: string;
  path: string;
  controller: string;
  handler: string;
  /** `@Public()`: no token needed. */
  public: boolean;
  /** The roles of `@Roles(...)` (handler's, else controller's); `undefined` when the endpoint names none. */
  roles?: readonly Role[];
}

type ModuleEntry = Type<unknown> | DynamicModule | Promise<DynamicModule> | { forwardRef: () => unknown } | undefined;

// Nest's own metadata keys (@nestjs/common/constants), read without booting the app.
const MODULE_IMPORTS = 'imports';
const MODULE_CONTROLLERS = 'controllers';
const PATH = 'path';
const METHOD = 'method';

/**
 * Every endpoint of an app module and its role rule, read from the decorators the guard reads, without
 * instantiating anything: the module graph (static and dynamic imports), each controller's routes.
 */
export async function collectRoutePermissions(root: Type<unknown> | DynamicModule): Promise<RoutePermission[]> {
  const controllers = new Set<Type<unknown>>();
  const seen = new Set<unknown>();
  const pending: ModuleEntry[] = [root];
  for (let entry = pending.pop(); pending.length > 0 || entry !== undefined; entry = pending.pop()) {
    const resolved = await resolveEntry(entry);
    if (resolved === undefined || seen.has(resolved)) continue;
    seen.add(resolved);
    const moduleClass = 'module' in resolved ? resolved.module : resolved;
    const dynamic = 'module' in resolved ? resolved : undefined;
    for (const controller of [...metadataList(MODULE_CONTROLLERS, moduleClass), ...(dynamic?.controllers ?? [])]) {
      controllers.add(controller as Type<unknown>);
    }
    pending.push(...(metadataList(MODULE_IMPORTS, moduleClass) as ModuleEntry[]), ...((dynamic?.imports ?? []) as ModuleEntry[]));
    if (dynamic) pending.push(dynamic.module);
  }
  return [...controllers].flatMap(routesOf).sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

async function resolveEntry(entry: ModuleEntry): Promise<Type<unknown> | DynamicModule | undefined> {
  if (entry === undefined || entry === null) return undefined;
  const awaited = await entry;
  if (typeof awaited === 'object' && 'forwardRef' in awaited) return resolveEntry(awaited.forwardRef() as ModuleEntry);
  return awaited as Type<unknown> | DynamicModule;
}

function metadataList(key: string, target: object): unknown[] {
  const value: unknown = Reflect.getMetadata(key, target);
  return Array.isArray(value) ? value : [];
}

function routesOf(controller: Type<unknown>): RoutePermission[] {
  const prefixes = asList(Reflect.getMetadata(PATH, controller));
  const routes: RoutePermission[] = [];
  for (const name of handlerNames(controller.prototype as object)) {
    const handler = (controller.prototype as Record<string, unknown>)[name] as object;
    const paths: unknown = Reflect.getMetadata(PATH, handler);
    if (paths === undefined) continue;
    const method = RequestMethod[Reflect.getMetadata(METHOD, handler) as RequestMethod] ?? 'GET';
    const isPublic = (Reflect.getMetadata(IS_PUBLIC_KEY, handler) ?? Reflect.getMetadata(IS_PUBLIC_KEY, controller)) === true;
    const roles = (Reflect.getMetadata(ROLES_KEY, handler) ?? Reflect.getMetadata(ROLES_KEY, controller)) as Role[] | undefined;
    for (const prefix of prefixes) {
      for (const path of asList(paths)) {
        routes.push({ method, path: joinPath(prefix, path), controller: controller.name, handler: name, public: isPublic, roles: roles?.length ? roles : undefined });
      }
    }
  }
  return routes;
}

function handlerNames(prototype: object): string[] {
  const names = new Set<string>();
  for (let proto: object | null = prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, name)?.value === 'function') names.add(name);
    }
  }
  return [...names];
}

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return [typeof value === 'string' ? value : '/'];
}

function joinPath(prefix: string, path: string): string {
  const joined = `/${[prefix, path].map((part) => part.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
  return joined;
}
