import { DEFAULT_AUTH_SETTINGS, FederationSubjects } from '@gatehouse/contracts';
import type { NatsClient } from '@gatehouse/platform';
import type { AuthSettingsService } from './auth-settings.service';
import { AuthenticationConfigService } from './authentication-config.service';

const OIDC = { clientId: 'gatehouse', redirectUri: null, allowedOrigins: [], providerName: 'IdP', oauth2Domain: null };
const ACTOR = { kind: 'admin', userId: '00000000-0000-4000-8000-000000000001', domain: 'example.com' } as const;
const federation = (issuer: string | null) => ({
  netlogon: { url: null, servicePasswordSet: false },
  oidc: { issuer, clientId: issuer ? 'gatehouse' : null, clientSecretSet: false },
});

function setup(issuer: string | null = null) {
  const nats = {
    send: jest.fn(async (subject: string, payload: { oidc?: { issuer?: string } }) => ({
      settings: federation(subject === FederationSubjects.configSet ? (payload.oidc?.issuer ?? issuer) : issuer),
    })),
  };
  const settings = {
    get: jest.fn(async () => DEFAULT_AUTH_SETTINGS),
    set: jest.fn(async (change: object) => ({ ...DEFAULT_AUTH_SETTINGS, ...change })),
  };
  const sut = new AuthenticationConfigService(nats as unknown as NatsClient, settings as unknown as AuthSettingsService);
  return { sut, nats, settings };
}

describe('AuthenticationConfigService', () => {
  it('refuses type oauth2 while federation has no issuer, and saves no policy', async () => {
    const { sut, settings } = setup();
    await expect(sut.set(ACTOR, { type: 'oauth2' })).rejects.toMatchObject({ code: 'validation_failed', details: { field: 'type' } });
    expect(settings.set).not.toHaveBeenCalled();
  });

  it('refuses a Netlogon type while federation has no domain controller', async () => {
    const { sut } = setup('https://idp.example');
    await expect(sut.set(ACTOR, { type: 'pbx+netlogon' })).rejects.toMatchObject({ message: expect.stringContaining('netlogon.url') });
  });

  it('writes federation first, so an issuer given in the same change makes type oauth2 acceptable', async () => {
    const { sut, nats } = setup();
    const config = await sut.set(ACTOR, { type: 'pbx+oauth2', oidc: { ...OIDC, issuer: 'https://idp.example', clientSecretSet: true } });
    expect(config).toMatchObject({ type: 'pbx+oauth2', oidc: { issuer: 'https://idp.example' } });
    // The read-only flag of a GET answer sent back stops here.
    expect(nats.send.mock.calls[0]).toEqual([
      FederationSubjects.configSet,
      { actor: ACTOR, oidc: { ...OIDC, issuer: 'https://idp.example' } },
      expect.anything(),
    ]);
  });
});
