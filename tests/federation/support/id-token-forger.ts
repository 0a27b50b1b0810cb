import { JsonWebKey, KeyObject, createHash, createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { IncomingMessage, Server, ServerResponse, createServer, request } from 'node:http';
import { freePort } from '@gatehouse/testing';

/** What becomes of the ID token in each token response. */
export type Forgery =
  /** re-signed unchanged with the provider's own key: must still log in (the control) */
  | 'honest'
  | 'alg-none'
  /** HS256 keyed with the provider's public key, the old algorithm-confusion trick */
  | 'alg-confusion'
  | 'foreign-key'
  | 'other-audience'
  /** our client among the audiences, but issued to (azp) another */
  | 'other-party'
  | 'other-issuer'
  | 'expired';

const KID = 'provider-key-1';
const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * Stands at the provider's public address in front of a real OIDC provider (which signs with a key
 * made here), passes every request through, and re-issues the ID token of each token response as
 * `forgery` says. So every refusal is of exactly one wrong thing in an otherwise genuine token.
 */
export class IdTokenForger {
  forgery: Forgery = 'honest';
  /** When set, the discovery document lists these PKCE methods instead of the provider's. */
  pkceMethods?: string[];
  /** The bodies of the token requests Gatehouse made (code, code_verifier …). */
  readonly tokenRequests: URLSearchParams[] = [];
  /** The provider behind; set once it runs. */
  target = '';
  private readonly providerKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly foreignKey = generateKeyPairSync('rsa', { modulusLength: 2048 });

  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {}

  static async start(): Promise<IdTokenForger> {
    const port = await freePort();
    const server = createServer();
    const forger = new IdTokenForger(server, `http://127.0.0.1:${port}`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void forger.pass(req, res));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return forger;
  }

  /** The provider's signing key as a private JWK, for `TestOidcProvider.start({ signingKeys })`. */
  get signingKey(): JsonWebKey {
    return { ...this.providerKey.privateKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async pass(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await read(req);
    const isToken = req.method === 'POST' && (req.url ?? '').startsWith('/token');
    if (isToken) this.tokenRequests.push(new URLSearchParams(body.toString('utf8')));
    const upstream = await new Promise<IncomingMessage>((resolve, reject) => {
      const out = request(`${this.target}${req.url}`, { method: req.method, headers: req.headers }, resolve);
      out.once('error', reject);
      out.end(body);
    });
    let answer = await read(upstream);
    const headers = { ...upstream.headers };
    const isDiscovery = (req.url ?? '').startsWith('/.well-known/openid-configuration');
    if (upstream.statusCode === 200 && (isToken || (isDiscovery && this.pkceMethods))) {
      const json = JSON.parse(answer.toString('utf8')) as { id_token?: string; code_challenge_methods_supported?: string[] };
      if (isToken && json.id_token) json.id_token = this.reissue(json.id_token);
      if (isDiscovery) json.code_challenge_methods_supported = this.pkceMethods;
      answer = Buffer.from(JSON.stringify(json));
      headers['content-length'] = String(answer.length);
    }
    res.writeHead(upstream.statusCode ?? 502, headers);
    res.end(answer);
  }

  private reissue(idToken: string): string {
    const claims = JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    switch (this.forgery) {
      case 'honest':
        return jws(claims, this.providerKey.privateKey);
      case 'alg-none':
        return `${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}.`;
      case 'alg-confusion': {
        const input = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: KID }))}.${b64url(JSON.stringify(claims))}`;
        const secret = this.providerKey.publicKey.export({ format: 'pem', type: 'spki' });
        return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
      }
      case 'foreign-key':
        return jws(claims, this.foreignKey.privateKey);
      case 'other-audience':
        return jws({ ...claims, aud: 'another-client' }, this.providerKey.privateKey);
      case 'other-party':
        return jws({ ...claims, aud: [claims.aud, 'another-client'], azp: 'another-client' }, this.providerKey.privateKey);
      case 'other-issuer':
        return jws({ ...claims, iss: 'https://idp.attacker.example' }, this.providerKey.privateKey);
      case 'expired':
        return jws({ ...claims, iat: now - 7200, exp: now - 3600 }, this.providerKey.privateKey);
    }
  }
}

/** RS256 under the provider's key id, whatever key signs it. */
function jws(claims: Record<string, unknown>, key: KeyObject): string {
  const input = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: KID }))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${b64url(sign('sha256', Buffer.from(input), key))}`;
}

/** The PKCE S256 challenge of a verifier (RFC 7636). */
export const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

function read(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}
