import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal, Roles } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { ZodQuery, extendRequestTimeout, readXmlUpload } from '@pm/platform/http';
import type { RawBodyRequest } from '@pm/platform/http';
import { isMspdiError, parseMspdi } from '@pm/shared/interchange';
import { requestContext } from '../shared/request-context';
import { ImportMspdiResources } from './mspdi-resource-import.handler';
import type { ResourceImportResult } from './mspdi-resource-import.handler';

const importQuery = z.strictObject({
  importId: z.uuid().describe('Chosen by the client; importing a file again under the same id creates nothing twice'),
  projectId: z.uuid().optional().describe("The planning project the file's tasks were imported into; without it assignments are skipped"),
});

/** Resource files are a fraction of a full plan, but a portfolio-wide pool export runs to megabytes. */
const DEFAULT_RESOURCE_IMPORT_LIMIT = 16 * 1024 * 1024;

@ApiTags('resource pool')
@ApiBearerAuth()
@Controller('resources')
export class ResourceImportController {
  private readonly bodyLimit = Number(process.env['RESOURCE_IMPORT_BODY_LIMIT'] ?? DEFAULT_RESOURCE_IMPORT_LIMIT);

  constructor(private readonly commands: CommandBus) {}

  @Post('import')
  @HttpCode(200)
  @Roles('resource-manager', 'pmo-admin')
  @ApiConsumes('application/xml')
  @ApiOperation({ summary: 'Import resources, rate table A, availability and assignments from Microsoft Project XML (MSPDI); see ADR 0201' })
  async import(
    @ZodQuery(importQuery) query: z.output<typeof importQuery>,
    @Req() req: RawBodyRequest,
    @CurrentPrincipal() principal: Principal,
    @Headers('x-correlation-id') correlationId?: string,
  ): Promise<ResourceImportResult> {
    // Up to RESOURCE_IMPORT_BODY_LIMIT streams in here: the upload gets HTTP_UPLOAD_TIMEOUT_MS, not the request deadline.
    extendRequestTimeout(req);
    const project = await readXmlUpload(req, this.bodyLimit, { parse: parseMspdi, isRefusal: isMspdiError, notXmlCode: 'MSPDI_NOT_XML' });
    const ctx = requestContext(principal, { correlationId });
    return this.commands.execute<ImportMspdiResources, ResourceImportResult>(
      new ImportMspdiResources(project, query.importId, query.projectId ?? null, ctx),
    );
  }
}
