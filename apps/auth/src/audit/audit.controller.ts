import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AuditSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { RpcHandler } from '@gatehouse/platform';
import { AuditService } from './audit.service';

@Controller()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @RpcHandler(AuditSubjects.list)
  list(@Payload() req: ParsedRequestOf<'auth.audit.list'>): Promise<ReplyOf<'auth.audit.list'>> {
    return this.audit.list(req.actor, req.query);
  }

  /** An administrator's change, reported by the gateway; the row carries the admin as its user. */
  @RpcHandler(AuditSubjects.record)
  async record(@Payload() req: ParsedRequestOf<'auth.audit.record'>): Promise<ReplyOf<'auth.audit.record'>> {
    if (req.actor.kind !== 'admin')
      throw new AppError('validation_failed', "Only administrators' changes are recorded this way", { field: 'actor' });
    const entry = await this.audit.record({
      type: req.type,
      outcome: req.outcome,
      userId: req.actor.userId,
      ip: req.ip,
      domain: req.domain,
      details: { ...req.details, actorDomain: req.actor.domain },
    });
    return { id: entry?.id ?? null };
  }

  @RpcHandler(AuditSubjects.settingsGet)
  async settingsGet(@Payload() req: ParsedRequestOf<'auth.audit-settings.get'>): Promise<ReplyOf<'auth.audit-settings.get'>> {
    return { settings: await this.audit.settings(req.actor) };
  }

  @RpcHandler(AuditSubjects.settingsSet)
  async settingsSet(@Payload() req: ParsedRequestOf<'auth.audit-settings.set'>): Promise<ReplyOf<'auth.audit-settings.set'>> {
    return { settings: await this.audit.saveSettings(req.actor, req.settings) };
  }
}
