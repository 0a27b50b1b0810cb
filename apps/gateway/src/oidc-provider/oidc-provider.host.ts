import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppError, httpStatusOf, toErrorBody } from '@gatehouse/errors';
import { CONFIG, LOGGER, Logger, NatsClient } from '@gatehouse/platform';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import Provider from 'oidc-provider';
import { OidcSubjects } from '@gatehouse/contracts';
import { clientAddress } from '../auth/client-address';
import { CredentialVerifier } from '../auth/credential-verifier.service';
import type { GatewayConfig } from '../config';
import { ClientAuthThrottle } from './client-auth-throttle';
import { INTERACTION_CSP, INTERACTION_SCRIPT, INTERACTION_SCRIPT_PATH, interactionPage } from './interaction-page';
import { OIDC_PREFIX, oidcConfiguration } from './oidc-configuration';

const KEY_REFRESH_MS = 10 * 60_000;
/** Where apps authenticate with their secret or key: failures there are counted per address. */
const CLIENT_AUTH_PATHS = new Set(
  ['token', 'token/introspection', 'token/revocation', 'device/auth'].map((path) => `${OIDC_PREFIX}/${path}`),
);
const CLIENT_AUTH_ERRORS = ['grant.error', 'introspection.error', 'revocation.error', 'device_authorization.error'];
const INTERACTION = new RegExp(`^${OIDC_PREFIX}/interaction/([A-Za-z0-9_-]{1,64})(/login|/abort)?$`);

/**
 * Gatehouse as the OpenID Provider of its apps: `oidc-provider` mounted in the gateway (the only
 * public door) under /oidc, with discovery at the root. Built on first use and again when the
 * signing keys rotate; its state lives in directory, so any gateway replica serves any request.
 */
@Injectable()
export class OidcProviderHost implements OnModuleInit, OnModuleDestroy {
  private provider?: Promise<Provider>;
  private refresh?: NodeJS.Timeout;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly nats: NatsClient,
    private readonly verifier: CredentialVerifier,
    private readonly throttle: ClientAuthThrottle,
    @Inject(CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    // Rebuilt now and then as well, so a gateway that missed a rotation event catches up.
    this.refresh = setInterval(() => this.reload(), KEY_REFRESH_MS);
    this.refresh.unref();
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // onRequest, before Fastify reads the body: oidc-provider parses its own form posts.
    const route = (url: string) =>
      fastify.route({
        method: ['GET', 'POST', 'HEAD', 'OPTIONS'],
        url,
        onRequest: async (request, reply) => {
          reply.hijack();
          await this.handle(request, reply);
        },
        handler: async () => undefined,
      });
    route(`${OIDC_PREFIX}/*`);
    route('/.well-known/openid-configuration');
  }

  onModuleDestroy(): void {
    clearInterval(this.refresh);
  }

  /** The next request builds the provider anew with the current keys (after a rotation). */
  reload(): void {
    this.provider = undefined;
  }

  /** The issuer: OIDC_ISSUER, or this gateway's own address (development and tests). */
  issuer(): string {
    if (this.config.OIDC_ISSUER) return this.config.OIDC_ISSUER;
    const address = this.adapterHost.httpAdapter.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : this.config.PORT;
    const host = this.config.HOST === '0.0.0.0' || this.config.HOST === '::' ? 'localhost' : this.config.HOST;
    return `http://${host}:${port}`;
  }

  current(): Promise<Provider> {
    this.provider ??= this.build().catch((error: unknown) => {
      this.provider = undefined;
      throw error;
    });
    return this.provider;
  }

  private async build(): Promise<Provider> {
    const { keys, cookieSecret } = await this.nats.send(OidcSubjects.keysList, {}, { retries: 1 });
    const settings = {
      accessTokenTtlSeconds: this.config.OIDC_ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: this.config.OIDC_REFRESH_TOKEN_TTL_DAYS * 86_400,
    };
    const provider = new Provider(
      this.issuer(),
      oidcConfiguration(
        this.nats,
        settings,
        keys.map((key) => key.jwk),
        cookieSecret,
      ),
    );
    provider.proxy = this.config.TRUST_PROXY;
    for (const event of CLIENT_AUTH_ERRORS) {
      provider.on(event, (ctx, error) => {
        if ((error as { error?: string }).error !== 'invalid_client') return;
        this.throttle.failed((ctx as { ip: string }).ip).catch(() => undefined);
      });
    }
    provider.on('server_error', (_ctx, error) => this.logger.error({ event: 'oidc.server_error', err: error }, 'OpenID Provider error'));
    this.logger.info({ event: 'oidc.provider_ready', kids: keys.map((key) => key.kid) }, 'OpenID Provider ready');
    return provider;
  }

  private async handle(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const res = reply.raw;
    // Fastify's own hooks do not write into a hijacked reply: what every answer carries, set here.
    res.setHeader('x-request-id', request.id);
    res.setHeader('x-content-type-options', 'nosniff');
    try {
      const path = request.url.split('?')[0]!;
      if (path === INTERACTION_SCRIPT_PATH)
        return send(res, 200, 'text/javascript; charset=utf-8', INTERACTION_SCRIPT, { 'cache-control': 'no-cache' });
      if (request.method === 'POST' && CLIENT_AUTH_PATHS.has(path)) {
        const wait = await this.throttle.retryAfter(clientAddress(request));
        // The OAuth endpoints answer in OAuth's error shape (RFC 6749 5.2), which apps parse.
        if (wait > 0) {
          return send(
            res,
            429,
            'application/json; charset=utf-8',
            JSON.stringify({
              error: 'temporarily_unavailable',
              error_description: 'Too many failed client authentications from this address; try again later',
            }),
            {
              'retry-after': String(wait),
              'cache-control': 'no-store',
            },
          );
        }
      }
      const provider = await this.current();
      const interaction = INTERACTION.exec(path);
      if (!interaction) return await provider.callback()(request.raw, res);
      const [, , action] = interaction;
      if (!action && request.method === 'GET') return await this.page(provider, request, res);
      if (action === '/login' && request.method === 'POST') return await this.login(provider, request, res);
      if (action === '/abort' && request.method === 'POST') {
        const redirectTo = await provider.interactionResult(request.raw, res, {
          error: 'access_denied',
          error_description: 'The user cancelled the sign-in',
        });
        return sendJson(res, 200, { redirectTo });
      }
      throw new AppError('not_found', 'No such page');
    } catch (error) {
      if (res.headersSent) return;
      const body = toErrorBody(
        isSessionNotFound(error)
          ? new AppError('not_found', 'This sign-in has expired or was already finished; start again from the app')
          : error,
      );
      if (body.code === 'internal_error') this.logger.error({ event: 'oidc.error', err: error }, 'OpenID Provider request failed');
      sendJson(res, httpStatusOf(body.code), { error: body });
    }
  }

  private async page(provider: Provider, request: FastifyRequest, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(request.raw, res);
    const { client } = await this.nats.send(OidcSubjects.clientGet, { clientId: details.params.client_id ?? '' });
    send(res, 200, 'text/html; charset=utf-8', interactionPage(details.uid, client?.client_name ?? 'your app'), {
      'content-security-policy': INTERACTION_CSP,
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
    });
  }

  /**
   * Finishes the sign-in with the browser's permanent device session (its access token): the user
   * must be granted the app, and the grant is bound to that device session, so revoking the device
   * ends the app's tokens too. Apps in the registry are first-party: no consent screen.
   */
  private async login(provider: Provider, request: FastifyRequest, res: ServerResponse): Promise<void> {
    const principal = await this.verifier.fromAuthorization(request.headers.authorization, clientAddress(request));
    if (!principal.sessionId) throw new AppError('interactive_session_required', 'Sign in with a session, not an API key');
    const details = await provider.interactionDetails(request.raw, res);
    const clientId = details.params.client_id ?? '';
    const { granted } = await this.nats.send(OidcSubjects.accountGet, { userId: principal.userId, clientId });
    if (!granted) {
      this.logger.info({ event: 'oidc.access_denied', userId: principal.userId, clientId }, 'app not granted to the user');
      const redirectTo = await provider.interactionResult(request.raw, res, {
        error: 'access_denied',
        error_description: 'This app is not granted to you',
      });
      return sendJson(res, 200, { redirectTo });
    }
    const grant = new provider.Grant({ accountId: principal.userId, clientId });
    grant.addOIDCScope(details.params.scope ?? 'openid');
    const grantId = await grant.save();
    await this.nats.send(OidcSubjects.grantBind, {
      grantId,
      deviceSessionId: principal.sessionId,
      userId: principal.userId,
      clientId,
      issuer: this.issuer(),
    });
    const redirectTo = await provider.interactionResult(
      request.raw,
      res,
      { login: { accountId: principal.userId, amr: ['pwd'] }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
    this.logger.info({ event: 'oidc.signed_in', userId: principal.userId, clientId }, 'signed in to an app');
    sendJson(res, 200, { redirectTo });
  }
}

function isSessionNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: string }).name === 'SessionNotFound';
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff', ...headers });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body), { 'cache-control': 'no-store' });
}
