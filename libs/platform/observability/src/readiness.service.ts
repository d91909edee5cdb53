import { Inject, Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { READINESS_CHECKS, isBrandedReadinessCheck, isReadinessCheck } from './readiness';
import type { ReadinessCheck } from './readiness';

export const STATIC_READINESS_CHECKS = Symbol('STATIC_READINESS_CHECKS');

/** Every readiness check provided anywhere in the application. */
@Injectable()
export class ReadinessService {
  private discovered?: ReadinessCheck[];

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(STATIC_READINESS_CHECKS) private readonly staticChecks: ReadinessCheck[],
  ) {}

  /** Gathered on first use, when every provider has been instantiated. */
  checks(): ReadinessCheck[] {
    this.discovered ??= this.discover();
    return this.discovered;
  }

  private discover(): ReadinessCheck[] {
    const found: ReadinessCheck[] = [...this.staticChecks];
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.isDependencyTreeStatic() ? wrapper.instance : undefined;
      if (wrapper.token === READINESS_CHECKS && Array.isArray(instance)) {
        for (const check of instance) {
          if (!isReadinessCheck(check)) throw new Error('READINESS_CHECKS must hold { name, check } objects');
          found.push(check);
        }
      } else if (isBrandedReadinessCheck(instance)) {
        found.push(instance);
      }
    }
    const names = found.map((check) => check.name);
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate) throw new Error(`Two readiness checks are named "${duplicate}"`);
    return found;
  }
}
