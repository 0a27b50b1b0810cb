import type { FastifyReply } from 'fastify';
import { escapeHtml } from '@gatehouse/platform';

export { escapeHtml };

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}' +
  '.code{font:700 2rem/1.2 ui-monospace,monospace;letter-spacing:.2em}button{font:inherit;padding:.5rem 1.2rem;margin:.3rem .5rem .3rem 0}' +
  'input{font:inherit;padding:.4rem}@media(prefers-color-scheme:dark){body{background:#111;color:#eee}}';

/**
 * The small server-rendered pages behind emailed links. They never leak the link's token: no
 * referrer, no caching, no scripts, forms post back to the same address only.
 */
export function sendPage(reply: FastifyReply, status: number, title: string, bodyHtml: string): FastifyReply {
  return reply
    .status(status)
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .header('x-frame-options', 'DENY')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
        `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><h1>${escapeHtml(title)}</h1>${bodyHtml}</body></html>`,
    );
}

/** True when the browser posted the page's form (the answer is then a page, not JSON). */
export const isFormPost = (contentType: string | undefined) => (contentType ?? '').startsWith('application/x-www-form-urlencoded');
