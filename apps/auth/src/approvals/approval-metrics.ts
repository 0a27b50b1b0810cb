import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { Clock, Metrics } from '@gatehouse/platform';
import { PendingLoginsRepository } from './pending-logins.repository';

export type ApprovalOutcome = 'requested' | 'approved' | 'rejected' | 'cancelled';

/** The approvals' figures: outcomes as they happen, and the logins waiting right now. */
@Injectable()
export class ApprovalMetrics {
  constructor(
    private readonly metrics: Metrics,
    pending: PendingLoginsRepository,
    clock: Clock,
  ) {
    // Counted in PostgreSQL at scrape time, so every replica reports the same, whole figure.
    new Gauge({
      name: 'gatehouse_pending_approvals',
      help: 'Logins waiting for approval right now',
      registers: [metrics.registry],
      async collect() {
        const waiting = await pending.countWaiting(clock.now()).catch(() => null);
        if (waiting !== null) this.set(waiting);
      },
    });
  }

  count(outcome: ApprovalOutcome): void {
    this.metrics
      .counter('gatehouse_approvals_total', 'Two-factor approvals, by outcome (requested, approved, rejected, cancelled)', ['outcome'])
      .inc({ outcome });
  }
}
