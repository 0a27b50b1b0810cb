import { Controller, Inject, OnApplicationBootstrap } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApprovalSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { CONFIG, IntervalScheduler, RpcHandler } from '@gatehouse/platform';
import type { AuthConfig } from '../config';
import { ApprovalDecisionsService } from './approval-decisions.service';
import { ApprovalRequestsService } from './approval-requests.service';
import { ApprovedLoginCollection } from './approved-login-collection.service';

export const PENDING_LOGIN_CLEANUP = 'auth.pending-login-cleanup';

@Controller()
export class ApprovalsController implements OnApplicationBootstrap {
  constructor(
    private readonly requests: ApprovalRequestsService,
    private readonly decisions: ApprovalDecisionsService,
    private readonly collection: ApprovedLoginCollection,
    private readonly scheduler: IntervalScheduler,
    @Inject(CONFIG) private readonly config: AuthConfig,
  ) {}

  @RpcHandler(ApprovalSubjects.status)
  status(@Payload() req: ParsedRequestOf<'auth.pending.status'>): Promise<ReplyOf<'auth.pending.status'>> {
    return this.collection.pollAndCollect(req.pendingId, req.pollToken);
  }

  @RpcHandler(ApprovalSubjects.cancel)
  cancel(@Payload() req: ParsedRequestOf<'auth.pending.cancel'>): Promise<ReplyOf<'auth.pending.cancel'>> {
    return this.decisions.cancel(req.pendingId, req.pollToken, req.ip);
  }

  @RpcHandler(ApprovalSubjects.verifyPoll)
  verifyPoll(@Payload() req: ParsedRequestOf<'auth.pending.verify'>): Promise<ReplyOf<'auth.pending.verify'>> {
    return this.collection.verifyPoll(req.pendingId, req.pollToken);
  }

  @RpcHandler(ApprovalSubjects.list)
  async list(@Payload() req: ParsedRequestOf<'auth.approval.list'>): Promise<ReplyOf<'auth.approval.list'>> {
    return { approvals: await this.decisions.waiting(req.userId) };
  }

  @RpcHandler(ApprovalSubjects.decide)
  decide(@Payload() req: ParsedRequestOf<'auth.approval.decide'>): Promise<ReplyOf<'auth.approval.decide'>> {
    return this.decisions.fromSession(req);
  }

  @RpcHandler(ApprovalSubjects.emailView)
  emailView(@Payload() req: ParsedRequestOf<'auth.approval.email-view'>): Promise<ReplyOf<'auth.approval.email-view'>> {
    return this.decisions.emailView(req.token);
  }

  @RpcHandler(ApprovalSubjects.emailDecide)
  emailDecide(@Payload() req: ParsedRequestOf<'auth.approval.email-decide'>): Promise<ReplyOf<'auth.approval.email-decide'>> {
    return this.decisions.fromEmail(req.token, req.decision, req.ip, req.code);
  }

  /** Ended pending logins are kept a day (late polls learn the outcome), then deleted by one replica per interval. */
  onApplicationBootstrap(): void {
    this.scheduler.every(PENDING_LOGIN_CLEANUP, this.config.AUTH_SWEEP_INTERVAL_MS, () => this.requests.deleteEnded());
  }
}
