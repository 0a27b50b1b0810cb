import { ChildProcess, spawn } from 'node:child_process';
import type { JsonWebKey } from 'node:crypto';
import { fromWorkspace } from '@gatehouse/config';
import { freePort } from './nats-server';

export interface OidcTestClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

export interface OidcAccount {
  email?: string;
  email_verified?: boolean;
  upn?: string;
  name?: string;
}

export interface OidcProviderOptions {
  clients: OidcTestClient[];
  accounts: Record<string, OidcAccount>;
  /** The provider's public address when something stands in front of it; its own by default. */
  issuer?: string;
  /** Private JWKs it signs ID tokens with (default: keys it makes up), so a test can sign like it. */
  signingKeys?: JsonWebKey[];
}

/** A real OIDC provider in a child process (its own port, in-memory state); login via its dev form. */
export class TestOidcProvider {
  private constructor(
    private readonly child: ChildProcess,
    readonly issuer: string,
    /** Where it listens, which is the issuer unless `issuer` was given. */
    readonly origin: string,
  ) {}

  static async start(options: OidcProviderOptions): Promise<TestOidcProvider> {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const clients = options.clients.map((client) => ({
      ...client,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }));
    const child = spawn(
      process.execPath,
      [
        fromWorkspace('libs/testing/src/oidc-provider-peer.mjs'),
        JSON.stringify({
          port,
          issuer: options.issuer ?? origin,
          jwks: options.signingKeys && { keys: options.signingKeys },
          clients,
          accounts: options.accounts,
        }),
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const issuer = await new Promise<string>((resolve, reject) => {
      let errors = '';
      const timer = setTimeout(() => reject(new Error(`oidc-provider did not start: ${errors}`)), 10_000);
      child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
      child.stdout?.on('data', (chunk: Buffer) => {
        const match = /ready (\S+)/.exec(chunk.toString());
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once('exit', (code) => reject(new Error(`oidc-provider exited with ${code}: ${errors}`)));
    });
    return new TestOidcProvider(child, issuer, origin);
  }

  /**
   * Plays the user's browser: follows the authorization URL through the provider's login and consent
   * forms by hand (cookies kept) and returns the URL the provider finally redirects to (our callback).
   */
  async login(authorizationUrl: string, accountId: string, redirectPrefix: string): Promise<string> {
    const jar = new Map<string, string>();
    const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    let url = authorizationUrl;
    let body: URLSearchParams | undefined;
    for (let hop = 0; hop < 20; hop++) {
      if (url.startsWith(redirectPrefix)) return url;
      const response = await fetch(url, {
        method: body ? 'POST' : 'GET',
        headers: { cookie: cookieHeader(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        body,
        redirect: 'manual',
      });
      body = undefined;
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const at = pair.indexOf('=');
        jar.set(pair.slice(0, at), pair.slice(at + 1));
      }
      const location = response.headers.get('location');
      if (location) {
        url = new URL(location, url).toString();
        continue;
      }
      const html = await response.text();
      if (response.status !== 200) throw new Error(`provider answered ${response.status}: ${html.slice(0, 300)}`);
      const action = /action="([^"]+)"/.exec(html)?.[1];
      const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
      if (!action || !prompt) throw new Error(`no interaction form in provider page: ${html.slice(0, 300)}`);
      url = new URL(action, url).toString();
      body = new URLSearchParams(prompt === 'login' ? { prompt, login: accountId, password: 'any' } : { prompt });
    }
    throw new Error('too many redirects at the provider');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
      // a provider still finishing connections after 5 s is killed
      setTimeout(() => this.child.kill('SIGKILL'), 5000).unref();
    });
  }
}
