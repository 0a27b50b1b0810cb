/**
 * Hash routes: `#/home`, `#/apps`, `#/security` (mails link to it), `#/app/<id>?q=<query>&f=<fragment>`,
 * `#/account/email/<token>` (a new email address's confirmation link).
 */
export type Route =
  | { name: 'home' }
  | { name: 'apps' }
  | { name: 'security' }
  | { name: 'app'; appId: string; query?: string; fragment?: string }
  | { name: 'email-confirm'; token: string };

export function parseRoute(hash: string): Route {
  const [path, search = ''] = hash.replace(/^#/, '').split('?', 2);
  if (path === '/apps') return { name: 'apps' };
  if (path === '/security') return { name: 'security' };
  const emailLink = /^\/account\/email\/([A-Za-z0-9_-]{16,200})$/.exec(path);
  if (emailLink) return { name: 'email-confirm', token: emailLink[1] };
  const app = /^\/app\/([^/]+)$/.exec(path);
  if (app) {
    const params = new URLSearchParams(search);
    return { name: 'app', appId: decodeURIComponent(app[1]), query: params.get('q') ?? undefined, fragment: params.get('f') ?? undefined };
  }
  return { name: 'home' };
}
