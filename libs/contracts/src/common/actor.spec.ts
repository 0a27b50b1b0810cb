import { Actor, actsForInstallation, actsInDomain } from './actor';

const admin = (domain: string): Actor => ({ kind: 'admin', userId: '00000000-0000-4000-8000-000000000001', domain });
const system: Actor = { kind: 'system', service: 'auth' };

describe('actor scope', () => {
  it('counts only admins of the installation domain (and the installation itself) as installation administrators', () => {
    expect(actsForInstallation(admin('example.com'), 'Example.COM')).toBe(true);
    expect(actsForInstallation(system, 'example.com')).toBe(true);
    expect(actsForInstallation(admin('tenant.example'), 'example.com')).toBe(false);
    expect(actsForInstallation(admin('sub.example.com'), 'example.com')).toBe(false);
  });

  it('keeps a domain administrator in their own domain', () => {
    expect(actsInDomain(admin('tenant.example'), 'example.com', 'tenant.example')).toBe(true);
    expect(actsInDomain(admin('tenant.example'), 'example.com', 'example.com')).toBe(false);
    expect(actsInDomain(admin('example.com'), 'example.com', 'tenant.example')).toBe(true);
  });

  it('refuses a request that names no actor, or an admin without a domain', () => {
    expect(Actor.safeParse(undefined).success).toBe(false);
    expect(Actor.safeParse({ kind: 'admin', userId: '00000000-0000-4000-8000-000000000001' }).success).toBe(false);
    expect(Actor.safeParse({ kind: 'root' }).success).toBe(false);
  });
});
