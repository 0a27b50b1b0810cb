import { redactForAudit } from './audit.contract';

describe('redactForAudit: what an admin change keeps in the audit log', () => {
  it('replaces the value of every secret field, nested ones included, and keeps the rest', () => {
    const sut = redactForAudit({
      username: 'sam',
      password: 'hunter2 hunter2',
      netlogon: { url: 'ldaps://dc', servicePassword: 'svc-secret' },
      oidc: { clientSecret: '', issuer: 'https://idp' },
      apps: [{ id: 'crm', secret: 's3cr3t' }],
      passwordReset: true,
      passwordResetTtlSeconds: 3600,
    });
    expect(sut).toEqual({
      username: 'sam',
      password: '(set)',
      netlogon: { url: 'ldaps://dc', servicePassword: '(set)' },
      oidc: { clientSecret: '(cleared)', issuer: 'https://idp' },
      apps: [{ id: 'crm', secret: '(set)' }],
      passwordReset: true,
      passwordResetTtlSeconds: 3600,
    });
    expect(JSON.stringify(sut)).not.toMatch(/hunter2|svc-secret|s3cr3t/);
  });

  it('cuts long strings and deep nesting, so one request cannot flood the log', () => {
    const long = 'x'.repeat(2000);
    expect((redactForAudit({ caCertificate: long }) as { caCertificate: string }).caCertificate).toHaveLength(501);
    expect(redactForAudit({ a: { b: { c: { d: { e: { f: 1 } } } } } })).toEqual({ a: { b: { c: { d: { e: '(…)' } } } } });
  });
});
