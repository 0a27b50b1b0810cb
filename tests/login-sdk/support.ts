import { statSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { buildWhenStale, ensureWebClientBuilt, newestChange } from '../web/support';

const ROOT = resolve(__dirname, '../..');
const SDK = join(ROOT, 'libs/gatehouse-sdk');
export const GATEHOUSE_SDK_FILE = join(SDK, 'dist/gatehouse.js');
const SOURCES = [join(SDK, 'src'), join(SDK, 'vite.config.ts')];

const sdkBuilt = () => {
  try {
    return ['gatehouse.js', 'hosted-login.js'].every(
      (file) => statSync(join(SDK, 'dist', file)).mtimeMs >= Math.max(...SOURCES.map(newestChange)),
    );
  } catch {
    return false;
  }
};

/** The web client and the login library (/sdk/gatehouse.js), built when their sources are newer; before the gateway starts (it reads them once). */
export async function ensureClientAndLoginSdkBuilt(): Promise<void> {
  await ensureWebClientBuilt();
  await buildWhenStale(SDK, sdkBuilt, 'error');
}

/**
 * A web app on another loopback address whose page loads only Gatehouse's /sdk/gatehouse.js. Its
 * button `#login` calls `Gatehouse.Auth.login(window.loginOptions)` (a click: pop-ups need a user
 * gesture) and leaves the outcome in `window.outcome` and `#outcome`; `onLogout` events land in
 * `window.logouts` with the time they arrived.
 */
export async function startWebApp(host: string, gatehouseUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const page =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Web app</title></head><body>' +
    '<h1>Web app</h1><button id="login">Log in</button><p id="outcome">none</p><p id="code"></p>' +
    `<script type="module">import '${gatehouseUrl}/sdk/gatehouse.js';` +
    'window.logouts = [];' +
    'Gatehouse.Auth.onLogout((event) => window.logouts.push({ ...event, at: Date.now() }));' +
    'const show = (outcome) => { window.outcome = outcome; document.getElementById("outcome").textContent = outcome.ok ? "in:" + outcome.user.username : "out:" + outcome.code; };' +
    'document.getElementById("login").addEventListener("click", () => {' +
    '  window.outcome = undefined;' +
    '  const options = { ...(window.loginOptions || {}), pendingCB: (p) => (document.getElementById("code").textContent = p.securityCode), tokenCB: (t) => (window.tokens = t) };' +
    '  Gatehouse.Auth.login(options).then((r) => show({ ok: true, user: r.user, subid: r.subid }), (e) => show({ ok: false, code: e.code, errno: e.errno }));' +
    '});' +
    'window.ready = true;</script></body></html>';
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path === '/webapp.htm' || path === '/') return response.writeHead(200, { 'content-type': 'text/html' }).end(page);
    if (path.endsWith('.png')) return response.writeHead(404).end();
    response.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, host, done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((done) => (server.closeAllConnections(), server.close(() => done()))),
  };
}
