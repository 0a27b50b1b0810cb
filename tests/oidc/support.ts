import * as oidc from 'openid-client';
import { api, TestSystem } from '../support/system';

/** A browser's cookies for one origin, enough for the provider's interaction and session cookies. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

export interface AuthorizeOutcome {
  /** Where the provider finally sent the browser: the app's redirect URI with `code` or `error`. */
  callback?: URL;
  /** The sign-in page the browser stopped at (no session given). */
  interaction?: string;
  /** An error page of the provider itself (it will not redirect to an unregistered URI). */
  errorPage?: { status: number; body: string };
}

/**
 * Plays the browser through the authorization request: follows redirects with the cookie jar and,
 * at the sign-in page, finishes with the device session's access token as the page's script does.
 */
export async function authorize(
  system: TestSystem,
  start: URL,
  jar: CookieJar,
  redirectUri: string,
  accessToken?: string,
): Promise<AuthorizeOutcome> {
  let url = start.toString();
  for (let hop = 0; hop < 10; hop++) {
    if (url.startsWith(redirectUri)) return { callback: new URL(url) };
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.take(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url).toString();
      continue;
    }
    const body = await response.text();
    if (response.status === 200 && new URL(url).pathname.startsWith('/oidc/interaction/')) {
      if (!accessToken) return { interaction: url };
      const finished = await fetch(`${url}/login`, {
        method: 'POST',
        headers: { cookie: jar.header(), authorization: `Bearer ${accessToken}` },
      });
      jar.take(finished);
      const answer = (await finished.json()) as { redirectTo?: string };
      if (!answer.redirectTo) throw new Error(`interaction login failed: ${JSON.stringify(answer)}`);
      url = new URL(answer.redirectTo, url).toString();
      continue;
    }
    return { errorPage: { status: response.status, body } };
  }
  throw new Error('too many redirects');
}

/** openid-client as a real relying party against the test system (http: allowed, it is loopback). */
export function relyingParty(system: TestSystem, clientId: string, secret: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(system.url), clientId, secret, oidc.ClientSecretBasic(secret), { execute: [oidc.allowInsecureRequests] });
}

export async function authorizationRequest(config: oidc.Configuration, redirectUri: string, scope = 'openid profile email offline_access') {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  return { url, verifier, state, nonce };
}

/** An app object that is an OIDC client, granted to `users`. */
export async function registerApp(
  admin: (method: string, path: string, body?: unknown, expected?: number) => Promise<{ body: any }>,
  id: string,
  oidcSettings: Record<string, unknown>,
) {
  await admin(
    'POST',
    '/admin/apps',
    { id, name: `App ${id}`, url: `https://apps.example.com/${id}`, secret: `${id}-secret-0123456789`, oidc: oidcSettings },
    201,
  );
  return { clientId: `${id}@example.com`, secret: `${id}-secret-0123456789` };
}

export async function grantApps(system: TestSystem, adminToken: string, userId: string, apps: string[]) {
  const response = await api(system, 'PATCH', `/api/v1/admin/users/${userId}`, {
    body: { apps },
    headers: { authorization: `Bearer ${adminToken}` },
  });
  if (response.status !== 200) throw new Error(`grant failed: ${JSON.stringify(response.body)}`);
}
