import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@gatehouse/errors';
import type { GatewayConfig } from '../config';
import type { Principal } from '../auth/principal';
import { AdminScope, adminActor } from './admin-scope';

const principal = (domain: string): Principal => ({
  userId: '00000000-0000-4000-8000-000000000001',
  domain,
  username: 'root',
  admin: true,
  external: false,
});
const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'no-error';
  } catch (error) {
    return error instanceof AppError ? error.code : 'other';
  }
};

describe('AdminScope.domain', () => {
  // A user's domain is decided by directory with the admin's actor (tests/security/admin-domain-scope).
  const sut = new AdminScope({ GATEHOUSE_DOMAIN: 'example.com' } as GatewayConfig);

  it("defaults to the admin's own domain", () => {
    expect(sut.domain(principal('other.example'))).toBe('other.example');
  });

  it('lets admins of the installation domain act in any domain', () => {
    expect(sut.domain(principal('example.com'), 'other.example')).toBe('other.example');
  });

  it('keeps admins of another domain in theirs', () => {
    expect(sut.domain(principal('other.example'), 'other.example')).toBe('other.example');
    expect(codeOf(() => sut.domain(principal('other.example'), 'example.com'))).toBe('forbidden');
  });
});

describe('adminActor', () => {
  it('carries the principal as an admin actor, for the owning service to check', () => {
    expect(adminActor(principal('other.example'))).toEqual({
      kind: 'admin',
      userId: '00000000-0000-4000-8000-000000000001',
      domain: 'other.example',
    });
  });

  // A system actor passes every scope check; an HTTP request must never be able to speak as one.
  it('is the only actor the gateway sends: no source file of the gateway builds a system actor', () => {
    const sources = readdirSync(join(__dirname, '..'), { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'),
    );
    const offenders = sources.filter((file) =>
      /kind:\s*['"]system['"]|SystemActor/.test(readFileSync(join(__dirname, '..', file), 'utf8')),
    );
    expect(sources.length).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });
});
