import { AppError } from '@gatehouse/errors';
import type { DirectoryConfig } from './config';
import { AdminScope, NOWHERE } from './admin-scope';

const sut = new AdminScope({ GATEHOUSE_DOMAIN: 'example.com' } as DirectoryConfig);
const admin = (domain: string) => ({ kind: 'admin', userId: '00000000-0000-4000-8000-000000000001', domain }) as const;
const SYSTEM = { kind: 'system', service: 'auth' } as const;

describe('AdminScope (directory)', () => {
  it('lets installation administrators and the installation itself reach every domain', () => {
    expect(sut.reach(admin('example.com'))).toBeUndefined();
    expect(sut.reach(SYSTEM)).toBeUndefined();
    expect(sut.reach(undefined)).toBeUndefined();
  });

  it('keeps an administrator of another domain in theirs', () => {
    expect(sut.reach(admin('tenant.example'))).toBe('tenant.example');
    expect(sut.filter(admin('tenant.example'), 'tenant.example')).toBe('tenant.example');
    expect(sut.filter(admin('tenant.example'), 'other.example')).toBe(NOWHERE);
    expect(sut.filter(admin('example.com'), 'other.example')).toBe('other.example');
  });

  it('refuses a named domain outside the actor’s with forbidden', () => {
    expect(() => sut.assertDomain(admin('tenant.example'), 'tenant.example')).not.toThrow();
    expect(() => sut.assertDomain(admin('example.com'), 'tenant.example')).not.toThrow();
    let refusal: unknown;
    try {
      sut.assertDomain(admin('tenant.example'), 'other.example');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(AppError);
    expect(refusal).toMatchObject({ code: 'forbidden' });
  });
});
