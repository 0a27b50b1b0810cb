import type { FastifyReply } from 'fastify';
import { escapeHtml, sendPage } from '../http/html-page';

/** A plain page for the browser that came back from the provider: no stack traces, no details; the page headers of every server-made page. */
export function sendOAuth2ErrorPage(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return sendPage(reply, status, 'Login failed', `<p>${escapeHtml(message)}</p><p><code>${escapeHtml(code)}</code></p>`);
}
