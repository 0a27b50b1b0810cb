import {
  AuthSettings,
  DEFAULT_AUTH_SETTINGS,
  EventInputOf,
  EventSubject,
  ReplyInputOf,
  ReplyOf,
  RequestOf,
  RequestSubject,
  User,
  eventContract,
  requestContract,
} from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import type { Logger, NatsClient } from '@gatehouse/platform';
import type { AuditService } from '../audit/audit.service';
import type { AuthSettingsService } from '../settings/auth-settings.service';

/**
 * Collaborators of auth's services for unit specs (`*.spec.ts`): no server, no Nest container. The
 * fake NATS client checks every request, reply and event against its contract, as the real one does,
 * so a spec cannot pass with a payload the real system would refuse.
 */
export class FakeNats {
  readonly sent: Array<{ subject: RequestSubject; payload: unknown }> = [];
  readonly emitted: Array<{ subject: EventSubject; payload: unknown }> = [];
  private readonly handlers = new Map<string, (payload: never) => unknown>();

  /** How the other service answers `subject`; a handler may throw an AppError as that service would. */
  on<S extends RequestSubject>(subject: S, handler: (payload: RequestOf<S>) => ReplyInputOf<S> | Promise<ReplyInputOf<S>>): this {
    this.handlers.set(subject, handler as (payload: never) => unknown);
    return this;
  }

  async send<S extends RequestSubject>(subject: S, payload: RequestOf<S>): Promise<ReplyOf<S>> {
    const contract = requestContract(subject);
    const parsed = contract.req.parse(payload);
    this.sent.push({ subject, payload: parsed });
    const handler = this.handlers.get(subject);
    if (!handler) throw new AppError('service_unavailable', `no fake answer for ${subject}`);
    return contract.res.parse(await handler(parsed as never)) as ReplyOf<S>;
  }

  async emit<S extends EventSubject>(subject: S, payload: EventInputOf<S>): Promise<void> {
    this.emitted.push({ subject, payload: eventContract(subject).payload.parse(payload) });
  }

  /** The payloads sent to `subject`, in order. */
  sentTo<S extends RequestSubject>(subject: S): RequestOf<S>[] {
    return this.sent.filter((m) => m.subject === subject).map((m) => m.payload as RequestOf<S>);
  }

  emittedOn(subject: EventSubject): unknown[] {
    return this.emitted.filter((m) => m.subject === subject).map((m) => m.payload);
  }

  get client(): NatsClient {
    return this as unknown as NatsClient;
  }
}

type AuditEvent = Parameters<AuditService['record']>[0];

/** Keeps what would have been audited. */
export class FakeAudit {
  readonly events: AuditEvent[] = [];

  async record(event: AuditEvent): Promise<null> {
    this.events.push(event);
    return null;
  }

  outcomes(type: string): string[] {
    return this.events.filter((e) => e.type === type).map((e) => e.outcome);
  }

  get service(): AuditService {
    return this as unknown as AuditService;
  }
}

/** The authentication policy as a value the spec changes. */
export class FakeSettings {
  current: AuthSettings;

  constructor(change: Partial<AuthSettings> = {}) {
    this.current = { ...DEFAULT_AUTH_SETTINGS, ...change };
  }

  async get(): Promise<AuthSettings> {
    return this.current;
  }

  get service(): AuthSettingsService {
    return this as unknown as AuthSettingsService;
  }
}

/** A logger that keeps its warnings. */
export function fakeLogger(): Logger & { warnings: unknown[][] } {
  const warnings: unknown[][] = [];
  const logger = {
    warnings,
    warn: (...args: unknown[]) => void warnings.push(args),
    info: () => undefined,
    debug: () => undefined,
    error: () => undefined,
  };
  return logger as unknown as Logger & { warnings: unknown[][] };
}

let users = 0;
/** A directory user; `change` overrides any field. */
export function aUser(change: Partial<User> = {}): User {
  users++;
  return {
    id: `00000000-0000-4000-8000-${String(users).padStart(12, '0')}`,
    domain: 'example.com',
    username: `user${users}`,
    email: `user${users}@example.com`,
    displayName: `User ${users}`,
    language: 'en',
    admin: false,
    external: false,
    createdAt: '2026-12-01T00:00:00.000Z',
    ...change,
  };
}
