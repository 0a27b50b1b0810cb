import { freePort } from '@gatehouse/testing';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { startTestSystem, TestSystem } from '../support/system';

/** The whole system on http://localhost:<port> (a secure context for WebAuthn), RP ID `localhost`. */
export async function startPasskeySystem(extraOrigins: (port: number) => string[] = () => [], env: Record<string, string> = {}) {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const system: TestSystem = await startTestSystem({
    PORT: String(port),
    WEBAUTHN_RP_ID: 'localhost',
    WEBAUTHN_ORIGINS: [origin, ...extraOrigins(port)].join(','),
    ...env,
  });
  return { system, origin, port };
}

export interface VirtualAuthenticator {
  cdp: CDPSession;
  authenticatorId: string;
}

/**
 * Chromium's virtual authenticator (CDP WebAuthn domain) on this page: a platform authenticator
 * with discoverable credentials and user verification, answering without a human.
 */
export async function addVirtualAuthenticator(context: BrowserContext, page: Page, isUserVerified = true): Promise<VirtualAuthenticator> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

export async function credentialsOf(authenticator: VirtualAuthenticator) {
  const { credentials } = await authenticator.cdp.send('WebAuthn.getCredentials', { authenticatorId: authenticator.authenticatorId });
  return credentials;
}
