import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal, Roles } from '@pm/platform/auth';
import type { Principal } from '@pm/platform/auth';
import { ProblemException, ZodQuery } from '@pm/platform/http';
import { isMspdiError, parseMspdi } from '@pm/shared/interchange';
import type { MspdiProject } from '@pm/shared/interchange';
import { requestContext } from '../shared/request-context';
import { ImportMspdiResources } from './mspdi-resource-import.handler';
import type { ResourceImportResult } from './mspdi-resource-import.handler';
import { DEFAULT_RESOURCE_IMPORT_LIMIT, readXmlBody } from './xml-body.reader';
import type { RawRequest } from './xml-body.reader';

const importQuery = z.strictObject({
  importId: z.uuid().describe('Chosen by the client; importing a file again under the same id creates nothing twice'),
  projectId: z.uuid().optional().describe("The planning project the file's tasks were imported into; without it assignments are skipped"),
});

/** Not XML is a bad request; well-formed XML Microsoft Project would not have written is unprocessable. */
function parseOrProblem(xml: string): MspdiProject {
  try {
    return parseMspdi(xml);
  } catch (error) {
    if (!isMspdiError(error)) throw error;
    throw new ProblemException({ status: error.code === 'MSPDI_NOT_XML' ? 400 : 422, code: error.code, detail: error.message, details: error.path ? { path: error.path } : {} });
  }
}

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
    @Req() req: RawRequest,
    @CurrentPrincipal() principal: Principal,
    @Headers('x-correlation-id') correlationId?: string,
  ): Promise<ResourceImportResult> {
    const project = parseOrProblem(await readXmlBody(req, this.bodyLimit));
    const ctx = requestContext(principal, { correlationId });
    return this.commands.execute<ImportMspdiResources, ResourceImportResult>(
      new ImportMspdiResources(project, query.importId, query.projectId ?? null, ctx),
    );
  }
}
