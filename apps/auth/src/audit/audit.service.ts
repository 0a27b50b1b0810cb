import { Inject, Injectable } from '@nestjs/common';
import { Clock, LOGGER, Logger, Metrics } from '@gatehouse/platform';
import { AuditRecord, AuditRepository } from './audit.repository';

/** Who tried, when, from where, with what outcome; never the password. */
@Injectable()
export class AuditService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async record(event: Omit<AuditRecord, 'at'>): Promise<void> {
    const record = { ...event, at: this.clock.now() };
    this.metrics.counter('gatehouse_auth_events_total', 'Logins, lockouts and other audited events, by type and outcome', ['type', 'outcome']).inc({ type: event.type, outcome: event.outcome });
    this.logger.info({ event: `audit.${event.type}`, outcome: event.outcome, userId: event.userId, ip: event.ip }, `${event.type} ${event.outcome}`);
    await this.audit.add(record).catch((error: unknown) => this.logger.error({ err: error }, 'audit write failed'));
  }
}
