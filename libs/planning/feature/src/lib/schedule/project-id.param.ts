import { z } from 'zod';
import { ZodParam } from '@pm/platform/http';

/** Every schedule route hangs under /projects/:projectId; project ids are UUIDs. */
export const ProjectIdParam = (): ParameterDecorator => ZodParam('projectId', z.uuid());
