import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WebOrigin } from '@gatehouse/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { escapeHtml } from '../http/html-page';
import { WebOrigins } from '../cross-origin/web-origins.service';

export const HOSTED_LOGIN_PATH = '/hosted-login';
const STYLE_PATH = '/hosted-login/style.css';

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:26rem;margin:1.5rem auto;padding:0 1rem}' +
  'label{display:block;margin-top:.8rem}input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box}' +
  'button,.button{display:inline-block;font:inherit;padding:.5rem 1.2rem;margin:1rem .5rem 0 0}.error{color:#b00020}' +
  '.for{color:#555}.code{font:700 2rem/1.2 ui-monospace,monospace;letter-spacing:.2em}' +
  '@media(prefers-color-scheme:dark){body{background:#111;color:#eee}.for{color:#aaa}.error{color:#ff8a80}}';

/**
 * Content-Security-Policy of the page: its own script and style only, and `frame-ancestors`
 * exactly the origin it was opened for (registered), or none at all.
 */
export function hostedLoginCsp(frameAncestor: string | null): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${frameAncestor ?? "'none'"}`,
  ].join('; ');
}

const param = (value: unknown, max: number): string | undefined =>
  typeof value === 'string' && value.length > 0 && value.length <= max && !/[\u0000-\u001f\u007f]/.test(value) ? value : undefined;

/**
 * The hosted login page for web apps on other origins (issue 19): `/hosted-login?origin=&subid=&application=`.
 * Rendered only for an origin some app registers; the script (/sdk/hosted-login.js) then decides
 * with the user's domain (POST /web-origins/bind) before it hands anything to the opener.
 */
@Injectable()
export class HostedLoginPage implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly origins: WebOrigins,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.get(HOSTED_LOGIN_PATH, (request, reply) => this.page(request, reply));
    fastify.get(STYLE_PATH, (_request, reply) =>
      reply.header('cache-control', 'public, max-age=3600').type('text/css; charset=utf-8').send(STYLE),
    );
  }

  private async page(request: FastifyRequest, reply: FastifyReply) {
    const query = request.query as Record<string, unknown>;
    const parsed = WebOrigin.safeParse(query.origin);
    const origin = parsed.success ? parsed.data : undefined;
    const registered = origin ? await this.origins.isRegistered(origin) : false;
    void reply
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', hostedLoginCsp(registered ? origin! : null))
      .type('text/html; charset=utf-8');
    const head =
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
      `<title>Sign in</title><link rel="stylesheet" href="${STYLE_PATH}"></head><body>`;
    if (!registered || !origin) {
      const why = origin ? `${escapeHtml(origin)} is not registered to sign in here.` : 'The page was opened without a valid origin.';
      return reply.code(origin ? 403 : 400).send(`${head}<h1>Sign in</h1><p class="error" role="alert">${why}</p></body></html>`);
    }
    const subid = param(query.subid, 100);
    const application = query.application === 'refreshable' || query.application === 'longLogin' ? query.application : undefined;
    const data = [
      `data-origin="${escapeHtml(origin)}"`,
      subid ? `data-subid="${escapeHtml(subid)}"` : '',
      application ? `data-application="${application}"` : '',
    ]
      .filter(Boolean)
      .join(' ');
    return reply.send(
      `${head}<main id="gatehouse-login" ${data}><p>Loading…</p></main><script type="module" src="/sdk/hosted-login.js"></script></body></html>`,
    );
  }
}
