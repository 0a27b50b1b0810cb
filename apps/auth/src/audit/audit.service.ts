import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Actor, actsForInstallation, AuditEntry, AuditListRes, AuditQuery, AuditSettings, DirectorySubjects } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { CONFIG, Clock, IntervalScheduler, LOGGER, Logger, Metrics, NatsClient } from '@gatehouse/platform';
import type { AuthConfig } from '../config';
import { AuditFilter, AuditRecord, AuditRepository } from './audit.repository';

export const AUDIT_RETENTION_SWEEP = 'auth.audit-retention';
const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Users never change domain, so their domain is remembered; bounded so a flood of ids cannot grow it. */
const DOMAIN_CACHE_SIZE = 5000;
/** A slow directory must not hold up the login that is being audited. */
const DOMAIN_LOOKUP_TIMEOUT_MS = 1000;

/** Receives every audit row once written (the webhooks); must not throw or wait. */
export abstract class AuditListener {
  abstract recorded(entry: AuditEntry): void;
}

/** Who tried, when, from where, with what outcome; never the password. */
@Injectable()
export class AuditService implements OnModuleInit {
  private readonly domains = new Map<string, string>();
  private listener?: AuditListener;

  constructor(
    private readonly audit: AuditRepository,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    private readonly nats: NatsClient,
    private readonly scheduler: IntervalScheduler,
    @Inject(CONFIG) private readonly config: AuthConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.scheduler.every(AUDIT_RETENTION_SWEEP, this.config.AUTH_SWEEP_INTERVAL_MS, () => this.sweep());
  }

  /** The webhooks register here (one listener; auth has one webhook dispatcher). */
  listen(listener: AuditListener): void {
    this.listener = listener;
  }

  async record(event: Omit<AuditRecord, 'at'>): Promise<AuditEntry | null> {
    const at = this.clock.now();
    this.metrics
      .counter('gatehouse_auth_events_total', 'Logins, lockouts and other audited events, by type and outcome', ['type', 'outcome'])
      .inc({ type: event.type, outcome: event.outcome });
    this.logger.info(
      { event: `audit.${event.type}`, outcome: event.outcome, userId: event.userId, ip: event.ip },
      `${event.type} ${event.outcome}`,
    );
    try {
      const domain = event.domain !== undefined ? event.domain : await this.userDomain(event.userId);
      const entry = await this.audit.add({ ...event, domain, at });
      this.listener?.recorded(entry);
      return entry;
    } catch (error: unknown) {
      this.logger.error({ err: error }, 'audit write failed');
      return null;
    }
  }

  /** Installation administrators read every row (or one domain's); domain administrators only their domain's. */
  async list(actor: Actor, query: AuditQuery): Promise<AuditListRes> {
    const installation = actsForInstallation(actor, this.config.GATEHOUSE_DOMAIN);
    if (!installation && query.domain && (actor.kind !== 'admin' || query.domain !== actor.domain)) {
      throw new AppError('forbidden', "Domain administrators read only their own domain's audit log");
    }
    const domain = installation ? query.domain : actor.kind === 'admin' ? actor.domain : undefined;
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from > to) throw new AppError('validation_failed', '`from` is after `to`', { field: 'from' });
    const filter: AuditFilter = {
      domain,
      type: query.type,
      outcome: query.outcome,
      from,
      to,
      ...(query.user ? (UUID.test(query.user) ? { userId: query.user.toLowerCase() } : { login: query.user }) : {}),
    };
    const { items, total } = await this.audit.list(filter, query.offset, query.limit);
    return { items, total, offset: query.offset, limit: query.limit };
  }

  settings(actor: Actor): Promise<AuditSettings> {
    this.assertInstallation(actor);
    return this.audit.settings();
  }

  async saveSettings(actor: Actor, settings: AuditSettings): Promise<AuditSettings> {
    this.assertInstallation(actor);
    const saved = await this.audit.saveSettings(settings);
    void this.sweep().catch((error: unknown) => this.logger.error({ err: error }, 'audit retention sweep failed'));
    return saved;
  }

  /** Deletes rows older than the retention setting. */
  async sweep(): Promise<number> {
    const { retentionDays } = await this.audit.settings();
    const deleted = await this.audit.deleteBefore(new Date(this.clock.now().getTime() - retentionDays * DAY_MS));
    if (deleted > 0)
      this.logger.info(
        { event: 'audit.retention', deleted, retentionDays },
        `deleted ${deleted} audit rows older than ${retentionDays} days`,
      );
    return deleted;
  }

  /** The retention of the whole log is installation-wide: a domain admin could erase other domains' traces. */
  private assertInstallation(actor: Actor): void {
    if (!actsForInstallation(actor, this.config.GATEHOUSE_DOMAIN)) {
      throw new AppError('forbidden', 'Only installation administrators may read or change the audit settings');
    }
  }

  private async userDomain(userId: string | null | undefined): Promise<string | null> {
    if (!userId) return null;
    const known = this.domains.get(userId);
    if (known) return known;
    const { user } = await this.nats
      .send(DirectorySubjects.userGet, { userId }, { timeoutMs: DOMAIN_LOOKUP_TIMEOUT_MS })
      .catch(() => ({ user: null }));
    if (!user) return null;
    if (this.domains.size >= DOMAIN_CACHE_SIZE) this.domains.delete(this.domains.keys().next().value as string);
    this.domains.set(userId, user.domain);
    return user.domain;
  }
}
