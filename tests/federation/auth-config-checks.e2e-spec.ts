import { AuthSettingsSubjects } from '@gatehouse/contracts';
import { NatsClient } from '@gatehouse/platform';
import { bearer, createUser, login } from '../auth/support';
import { api, startTestSystem, TestSystem } from '../support/system';

const SYSTEM = { kind: 'system', service: 'test' } as const;

/** auth checks a type against the federation settings it asks federation for: the rule holds whoever sends the change. */
describe('an authentication type is refused until federation has what it needs', () => {
  let system: TestSystem;
  let nats: NatsClient;
  let root: Record<string, string>;

  beforeAll(async () => {
    system = await startTestSystem();
    nats = system.gateway.get(NatsClient, { strict: false });
    await createUser(system, { username: 'root', admin: true });
    root = bearer((await login(system, 'root')).body.accessToken);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('refuses type oauth2 without an issuer and client, over HTTP and from auth itself', async () => {
    const response = await api(system, 'PUT', '/api/v1/admin/config/authentication', { headers: root, body: { type: 'oauth2' } });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: 'validation_failed',
      message: expect.stringContaining('oauth2'),
      details: { field: 'type' },
    });
    await expect(nats.send(AuthSettingsSubjects.configSet, { actor: SYSTEM, type: 'pbx+oauth2' })).rejects.toMatchObject({
      code: 'validation_failed',
      details: { field: 'type' },
    });
    expect((await nats.send(AuthSettingsSubjects.get, { actor: SYSTEM })).settings.type).toBe('pbx');
  });

  it('refuses a Netlogon type without a domain controller', async () => {
    await expect(nats.send(AuthSettingsSubjects.configSet, { actor: SYSTEM, type: 'pbx+netlogon' })).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringContaining('netlogon.url'),
    });
    expect((await nats.send(AuthSettingsSubjects.get, { actor: SYSTEM })).settings.type).toBe('pbx');
  });

  it('answers the policy and the federation settings as one document', async () => {
    const { config } = await nats.send(AuthSettingsSubjects.configSet, { actor: SYSTEM, twoFactor: false, passwordReset: false });
    expect(config).toMatchObject({ type: 'pbx', passwordReset: false, netlogon: { url: null }, oidc: { issuer: null } });
    const shown = await api(system, 'GET', '/api/v1/admin/config/authentication', { headers: root });
    expect(shown.body).toEqual(config);
  });
});
