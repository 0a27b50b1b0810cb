import type { SessionApplication } from '@gatehouse/contracts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Seed 002: no application = valid 24 h, then logged out; `refreshable` = alive while used once a
 * day; `longLogin` = alive while used once a week. None outlives `maxLifetimeMs` after its login
 * (SESSION_MAX_LIFETIME_DAYS): a sliding session must not slide for ever (NIST SP 800-63B-4).
 */
export function sessionExpiry(application: SessionApplication, createdAtMs: number, lastUsedAtMs: number, maxLifetimeMs: number): number {
  return Math.min(slidingExpiry(application, createdAtMs, lastUsedAtMs), createdAtMs + maxLifetimeMs);
}

function slidingExpiry(application: SessionApplication, createdAtMs: number, lastUsedAtMs: number): number {
  switch (application) {
    case 'default':
      return createdAtMs + DAY;
    case 'refreshable':
      return lastUsedAtMs + DAY;
    case 'longLogin':
      return lastUsedAtMs + 7 * DAY;
  }
}

export const asApplication = (value: string): SessionApplication => (value === 'refreshable' || value === 'longLogin' ? value : 'default');
