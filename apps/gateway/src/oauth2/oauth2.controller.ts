import { Controller, Req, Res } from '@nestjs/common';
import {
  API_PREFIX,
  ClientApplication,
  type OAuth2ActiveFragment,
  type OAuth2PendingFragment,
  FederationSubjects,
  LoginSubjects,
} from '@gatehouse/contracts';
import { sha256 } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientAddress } from '../auth/client-address';
import { Input, Route } from '../http/route.decorator';
import { sendOAuth2ErrorPage } from './oauth2-page';

const PAGE_MESSAGES: Record<string, string> = {
  identity_not_mapped: 'Your account at the identity provider is not linked to a user here. Ask your administrator.',
  auth_type_disabled: 'Login with the identity provider is not enabled here.',
  approval_unavailable: 'This login needs approval, but your account has no signed-in device and no email address. Ask your administrator.',
  oauth2_failed: 'The login at the identity provider could not be completed. Please start again.',
};

/**
 * Login CSRF: the flow's `state` is bound to the browser that started it. The start sets an
 * HttpOnly, SameSite=Lax cookie named after a hash of the state; a callback whose state has no such
 * cookie in the browser (a link an attacker made with their own login) is refused. One cookie per
 * flow, so two tabs may log in at once. Its value is the session lifetime the client asked for.
 */
const FLOW_COOKIE_PATH = `${API_PREFIX}/auth/oauth2`;
const FLOW_COOKIE_SECONDS = 600;
/** auth waits up to 15 s for federation (the provider's token endpoint), then signs in. */
const CALLBACK_TIMEOUT_MS = 30_000;
const flowCookieName = (state: string) => `gh_oauth2_${sha256(state).slice(0, 32)}`;

type FlowApplication = ClientApplication | 'default';

function flowCookie(state: string, request: FastifyRequest, maxAge: number, application: FlowApplication = 'default'): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${flowCookieName(state)}=${application}; Path=${FLOW_COOKIE_PATH}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`;
}

/** The lifetime asked for at the start, when this browser started the flow; null when it did not. */
function flowStartedHere(state: string | null, request: FastifyRequest): FlowApplication | null {
  if (!state) return null;
  const name = flowCookieName(state);
  const pair = (request.headers.cookie ?? '').split(';').find((p) => p.trim().split('=')[0] === name);
  if (!pair) return null;
  const asked = ClientApplication.safeParse(pair.split('=')[1]?.trim());
  return asked.success ? asked.data : 'default';
}

@Controller()
export class OAuth2Controller {
  constructor(private readonly nats: NatsClient) {}

  @Route('GET /auth/oauth2/start')
  async start(@Input() { query }: Input<'GET /auth/oauth2/start'>, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { authorizationUrl } = await this.nats.send(FederationSubjects.oauth2Start, { returnTo: query.returnTo });
    const state = new URL(authorizationUrl).searchParams.get('state');
    if (!state) throw new AppError('oauth2_failed', 'The login could not be started');
    return reply
      .code(302)
      .header('location', authorizationUrl)
      .header('set-cookie', flowCookie(state, request, FLOW_COOKIE_SECONDS, query.application))
      .header('cache-control', 'no-store')
      .send();
  }

  /** The provider sends the browser here; it goes on to returnTo with its session in the URL fragment. */
  @Route('GET /auth/oauth2/callback')
  async callback(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const at = request.url.indexOf('?');
    const query = at >= 0 ? request.url.slice(at + 1) : '';
    const state = new URLSearchParams(query).get('state');
    try {
      const application = flowStartedHere(state, request);
      if (!application) throw new AppError('oauth2_failed', 'this login was not started in this browser');
      // The flow is used up whatever happens next.
      void reply.header('set-cookie', flowCookie(state!, request, 0));
      // auth has federation prove the identity, then decides by policy: auth type, and whether an OAuth2 login still needs approval.
      const { login, returnTo } = await this.nats.send(
        LoginSubjects.oauth2,
        { query, device: { name: 'OAuth2 login', platform: 'web' }, application, ip: clientAddress(request) },
        { timeoutMs: CALLBACK_TIMEOUT_MS },
      );
      // The fragment never reaches a server, so the session password stays out of logs and Referer headers.
      const fragment =
        login.status === 'active'
          ? new URLSearchParams({
              sessionId: login.session.id,
              sessionPassword: login.session.password,
              accessToken: login.accessToken,
              expiresAt: login.expiresAt,
            } satisfies OAuth2ActiveFragment)
          : new URLSearchParams({
              pendingId: login.pendingId,
              pollToken: login.pollToken,
              securityCode: login.securityCode,
              expiresAt: login.expiresAt,
            } satisfies OAuth2PendingFragment);
      const target = new URL(returnTo);
      target.hash = fragment.toString();
      return reply.code(302).header('location', target.toString()).header('cache-control', 'no-store').send();
    } catch (error) {
      const code = error instanceof AppError ? error.code : undefined;
      if (!code || !PAGE_MESSAGES[code]) throw error;
      const status = code === 'oauth2_failed' ? 401 : 403;
      return sendOAuth2ErrorPage(reply, status, code, PAGE_MESSAGES[code]);
    }
  }
}
