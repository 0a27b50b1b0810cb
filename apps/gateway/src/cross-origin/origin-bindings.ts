import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import { Clock, REDIS, Redis } from '@gatehouse/platform';

/** Redis key of a session's origin binding (gateway-owned). */
const bindingKey = (sessionId: string) => `xo:${sessionId}`;
/** A binding is kept a day beyond its end, so a late mint is refused as expired rather than as never bound. */
const GRACE_MS = 24 * 3600_000;

export interface OriginBinding {
  origin: string;
  untilMs: number;
}

/**
 * Which web origin a session's lasting token was handed to, and until when it may mint access
 * tokens from there (seed 002: "Token expiry is set based on the application origin and defaults
 * to 1 day"). Written once per session (the first binding wins; never extended).
 */
@Injectable()
export class OriginBindings {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly clock: Clock,
  ) {}

  async bind(sessionId: string, origin: string, lifetimeHours: number): Promise<OriginBinding> {
    const nowMs = this.clock.nowMs();
    const wanted: OriginBinding = { origin, untilMs: nowMs + lifetimeHours * 3600_000 };
    const written = await this.redis.set(bindingKey(sessionId), JSON.stringify(wanted), 'PX', lifetimeHours * 3600_000 + GRACE_MS, 'NX');
    if (written) return wanted;
    const existing = await this.find(sessionId);
    if (!existing || existing.origin !== origin) throw new AppError('forbidden', 'This session belongs to another origin');
    return existing;
  }

  /** True once the binding's lifetime has ended. */
  ended(binding: OriginBinding): boolean {
    return binding.untilMs <= this.clock.nowMs();
  }

  async find(sessionId: string): Promise<OriginBinding | null> {
    const raw = await this.redis.get(bindingKey(sessionId));
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as OriginBinding;
      return typeof parsed.origin === 'string' && typeof parsed.untilMs === 'number' ? parsed : null;
    } catch {
      return null;
    }
  }
}
