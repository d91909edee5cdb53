import { Controller, Get, Inject, Put } from '@nestjs/common';
import { CommandBus, CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { emailAddressSchema, emailDisplayNameSchema } from '@pm/contracts';
import { tenantNotificationSettingsAggregate, tenantNotificationSettingsStreamId } from '@pm/notification/domain';
import type { SetEmailSender } from '@pm/notification/domain';
import { AnyRole, Roles } from '@pm/platform/auth';
import { WritePath, committedOf } from '@pm/platform/event-store';
import { ApiSuccessBody, ZodBody, zodToOpenApi } from '@pm/platform/http';
import type { RequestContext } from '@pm/platform/request-context';
import { Caller, metadataOf } from '../shared/caller';
import { EMAIL_OPTIONS } from './email-options';
import type { EmailOptions } from './email-options';

export class SetEmailSenderCommand {
  constructor(
    readonly command: SetEmailSender,
    readonly ctx: RequestContext,
  ) {}
}

/** The tenant's settings stream, as every other tenant-wide notification setting (ADR 0400). */
@CommandHandler(SetEmailSenderCommand)
export class SetEmailSenderHandler implements ICommandHandler<SetEmailSenderCommand> {
  constructor(private readonly writePath: WritePath) {}

  async execute({ command, ctx }: SetEmailSenderCommand) {
    const tenantId = ctx.principal.tenantId;
    const stream = tenantNotificationSettingsStreamId(tenantId);
    const outcome = await this.writePath.run(ctx, async (tx) => (await tx.decide(tenantNotificationSettingsAggregate, stream, command)).state.emailSender);
    const handled = committedOf(outcome, tenantNotificationSettingsAggregate, stream);
    const version = handled?.version ?? (await this.writePath.load(tenantNotificationSettingsAggregate, stream, tenantId)).version;
    return { version, events: handled?.events ?? [], sender: outcome.result };
  }
}

const senderRequest = z.strictObject({
  fromName: emailDisplayNameSchema.describe('Display name, e.g. Northwind PMO'),
  fromAddress: emailAddressSchema.describe('From address (its domain should allow the platform’s mail server to send for it: SPF/DKIM)'),
  replyTo: emailAddressSchema.nullable().default(null).describe('Where replies go; null: to the from address'),
});
const senderView = z.object({ fromName: z.string(), fromAddress: z.string(), replyTo: z.string().nullable() });
const settingsView = z.object({ version: z.number().int(), custom: z.boolean().describe('false: the service’s configured sender'), sender: senderView });
const changeView = z.object({ version: z.number().int(), events: z.array(z.object({ type: z.string(), data: z.record(z.string(), z.unknown()) })), sender: senderView });

/** Who the tenant's e-mail comes from (ADR 0402): any role reads it, a pmo-admin sets it. */
@ApiTags('notification settings')
@ApiBearerAuth()
@Controller('notification-settings/email-sender')
export class EmailSettingsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly writePath: WritePath,
    @Inject(EMAIL_OPTIONS) private readonly options: EmailOptions,
  ) {}

  @Get()
  @AnyRole()
  @ApiSuccessBody(zodToOpenApi(settingsView))
  @ApiOperation({ summary: 'The sender of the tenant’s e-mail (from name, from address, reply-to)' })
  async get(@Caller() ctx: RequestContext) {
    const { tenantId } = ctx.principal;
    const { state, version } = await this.writePath.load(tenantNotificationSettingsAggregate, tenantNotificationSettingsStreamId(tenantId), tenantId);
    return { version, custom: state.emailSender !== null, sender: state.emailSender ?? this.options.sender };
  }

  @Put()
  @Roles('pmo-admin')
  @ApiSuccessBody(zodToOpenApi(changeView))
  @ApiOperation({ summary: 'Set the sender of the tenant’s e-mail (pm.notification.EmailSenderSet)' })
  set(@ZodBody(senderRequest) body: z.output<typeof senderRequest>, @Caller() ctx: RequestContext) {
    return this.commands.execute(new SetEmailSenderCommand({ type: 'SetEmailSender', data: body, metadata: metadataOf(ctx) }, ctx));
  }
}
