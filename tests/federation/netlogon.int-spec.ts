import { createServer, Server } from 'node:net';
import { AppError } from '@gatehouse/errors';
import { PrivateLdap, freePort } from '@gatehouse/testing';
import { NetlogonSettings } from '../../apps/federation/src/netlogon/netlogon-settings';
import { NetlogonVerifier } from '../../apps/federation/src/netlogon/netlogon.verifier';

describe('Netlogon password verification against a real OpenLDAP', () => {
  let ldap: PrivateLdap;
  let settings: NetlogonSettings;
  const sut = new NetlogonVerifier();

  beforeAll(async () => {
    ldap = await PrivateLdap.start({ users: [{ uid: 'alice', password: 'Alice-Windows-1', mail: 'alice@corp.example' }] });
    settings = {
      url: ldap.url,
      domain: ldap.domain,
      bindMode: 'search',
      searchBase: ldap.baseDn,
      serviceAccount: ldap.serviceAccount,
      timeoutMs: 1000,
      allowPlainLdap: true,
    };
  });
  afterAll(() => ldap.dispose());

  it('verifies a correct domain password and returns the identity', async () => {
    await expect(sut.verify(settings, 'alice', 'Alice-Windows-1')).resolves.toEqual({
      ok: true,
      identity: { username: 'alice', email: 'alice@corp.example', upn: undefined },
    });
  });

  it('refuses a wrong password', async () => {
    await expect(sut.verify(settings, 'alice', 'wrong')).resolves.toEqual({ ok: false });
  });

  it('refuses an unknown user and a filter injection like a wrong password', async () => {
    await expect(sut.verify(settings, 'nobody', 'Alice-Windows-1')).resolves.toEqual({ ok: false });
    await expect(sut.verify(settings, '*', 'Alice-Windows-1')).resolves.toEqual({ ok: false });
  });

  it('refuses an empty password without contacting the server', async () => {
    const port = await freePort();
    let contacted = false;
    const spy: Server = createServer((socket) => {
      contacted = true;
      socket.destroy();
    });
    await new Promise<void>((resolve) => spy.listen(port, '127.0.0.1', resolve));
    try {
      await expect(sut.verify({ ...settings, url: `ldap://127.0.0.1:${port}` }, 'alice', '')).resolves.toEqual({ ok: false });
      expect(contacted).toBe(false);
    } finally {
      spy.close();
    }
  });

  it('refuses plain ldap:// when plain LDAP is not allowed (StartTLS is not offered)', async () => {
    await expect(sut.verify({ ...settings, allowPlainLdap: false }, 'alice', 'Alice-Windows-1')).rejects.toMatchObject({
      code: 'netlogon_unavailable',
    });
  });

  it('reports netlogon_unavailable within the timeout when the domain controller is stopped', async () => {
    await ldap.stop();
    try {
      const started = Date.now();
      const error = await sut.verify(settings, 'alice', 'Alice-Windows-1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('netlogon_unavailable');
      expect(Date.now() - started).toBeLessThan(settings.timeoutMs + 500);
    } finally {
      await ldap.resume();
    }
  });

  it('reports netlogon_unavailable within the timeout when the server accepts but never answers', async () => {
    const port = await freePort();
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      await expect(sut.verify({ ...settings, url: `ldap://127.0.0.1:${port}`, timeoutMs: 300 }, 'alice', 'x')).rejects.toMatchObject({
        code: 'netlogon_unavailable',
      });
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      silent.close();
    }
  });
});
