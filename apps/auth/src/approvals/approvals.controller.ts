import { Controller, Inject, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApprovalSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { CONFIG, LOGGER, Logger, RpcHandler } from '@gatehouse/platform';
import type { AuthConfig } from '../config';
import { ApprovalsService } from './approvals.service';

@Controller()
export class ApprovalsController implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly approvals: ApprovalsService,
    @Inject(CONFIG) private readonly config: AuthConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @RpcHandler(ApprovalSubjects.status)
  status(@Payload() req: ParsedRequestOf<'auth.pending.status'>): Promise<ReplyOf<'auth.pending.status'>> {
    return this.approvals.status(req.pendingId, req.pollToken);
  }

  @RpcHandler(ApprovalSubjects.verifyPoll)
  verifyPoll(@Payload() req: ParsedRequestOf<'auth.pending.verify'>): Promise<ReplyOf<'auth.pending.verify'>> {
    return this.approvals.verifyPoll(req.pendingId, req.pollToken);
  }

  @RpcHandler(ApprovalSubjects.list)
  async list(@Payload() req: ParsedRequestOf<'auth.approval.list'>): Promise<ReplyOf<'auth.approval.list'>> {
    return { approvals: await this.approvals.waiting(req.userId) };
  }

  @RpcHandler(ApprovalSubjects.decide)
  decide(@Payload() req: ParsedRequestOf<'auth.approval.decide'>): Promise<ReplyOf<'auth.approval.decide'>> {
    return this.approvals.decideFromSession(req);
  }

  @RpcHandler(ApprovalSubjects.emailView)
  emailView(@Payload() req: ParsedRequestOf<'auth.approval.email-view'>): Promise<ReplyOf<'auth.approval.email-view'>> {
    return this.approvals.emailView(req.token);
  }

  @RpcHandler(ApprovalSubjects.emailDecide)
  emailDecide(@Payload() req: ParsedRequestOf<'auth.approval.email-decide'>): Promise<ReplyOf<'auth.approval.email-decide'>> {
    return this.approvals.emailDecide(req.token, req.decision, req.ip, req.code);
  }

  /** Ended pending logins are kept a day (late polls learn the outcome), then deleted; replicas may overlap harmlessly. */
  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.approvals.deleteEnded().catch((error: unknown) => this.logger.warn({ err: error }, 'pending-login cleanup failed; the next one retries'));
    }, this.config.AUTH_SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
