/** Hash routes: `#/home`, `#/apps`, `#/security` (mails link to it), `#/app/<id>?q=<query>&f=<fragment>`. */
export type Route =
  { name: 'home' } | { name: 'apps' } | { name: 'security' } | { name: 'app'; appId: string; query?: string; fragment?: string };

export function parseRoute(hash: string): Route {
  const [path, search = ''] = hash.replace(/^#/, '').split('?', 2);
  if (path === '/apps') return { name: 'apps' };
  if (path === '/security') return { name: 'security' };
  const app = /^\/app\/([^/]+)$/.exec(path);
  if (app) {
    const params = new URLSearchParams(search);
    return { name: 'app', appId: decodeURIComponent(app[1]), query: params.get('q') ?? undefined, fragment: params.get('f') ?? undefined };
  }
  return { name: 'home' };
}
