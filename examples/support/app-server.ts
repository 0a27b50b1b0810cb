import { verifyAppLoginDigest } from '@gatehouse/app-login';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AppEventsSocket } from './app-events-socket';

/** One app page this server offers: `<name>.htm`, `<name>.png`, and its login under `/<name>/`. */
export interface ExamplePage {
  /** The page file in `dir` (e.g. `phone.htm`); several apps may share one. */
  file: string;
  /** The app's id in Gatehouse and its shared secret (the app object's `secret`). */
  appId: string;
  secret: string;
  /** Open the app WebSocket to Gatehouse (apps with the `websocket` flag): its users' events arrive there. */
  websocket?: boolean;
}

export interface ExampleAppOptions {
  /** Where the page files and scripts are. */
  dir: string;
  /** The Gatehouse base URL: the page loads `/sdk/app.js` from it, the socket connects to it. */
  gatehouseUrl: string;
  /** The PBX domain the apps belong to. */
  domain: string;
  pages: Record<string, ExamplePage>;
  host?: string;
  port?: number;
}

export interface ExampleAppServer {
  url: string;
  /** Every login this server accepted: `username@domain` per app. */
  logins: Array<{ app: string; user: string }>;
  /** Events Gatehouse sent on the app sockets. */
  events: Array<{ app: string; event: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** How long an issued challenge stays usable. */
const CHALLENGE_TTL_MS = 120_000;
// A 1×1 PNG: the app's icon (`url` + `.png`).
const ICON = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/**
 * An app's own server, as an app developer writes it: serves the page, issues login challenges and
 * verifies what Gatehouse signed for them with @gatehouse/app-login (each challenge once, while fresh).
 */
export async function startExampleApp(options: ExampleAppOptions): Promise<ExampleAppServer> {
  const challenges = new Map<string, { page: string; expires: number }>();
  const logins: ExampleAppServer['logins'] = [];
  const events: ExampleAppServer['events'] = [];
  const sockets: AppEventsSocket[] = [];

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = new URL(request.url ?? '/', 'http://app').pathname;
    const page = /^\/([a-z0-9-]+)(\.htm|\.png|\/challenge|\/login)$/.exec(path);
    if (request.method === 'GET' && /^\/[a-z0-9-]+\.js$/.test(path)) {
      return send(response, 200, 'text/javascript; charset=utf-8', readFileSync(join(options.dir, path.slice(1))));
    }
    if (!page || !options.pages[page[1]]) return send(response, 404, 'text/plain', 'not found');
    const [, name, what] = page;
    const config = options.pages[name];
    if (request.method === 'GET' && what === '.png') return send(response, 200, 'image/png', ICON);
    if (request.method === 'GET' && what === '.htm') {
      const html = readFileSync(join(options.dir, config.file), 'utf8')
        .replaceAll('%SDK%', `${options.gatehouseUrl}/sdk/app.js`)
        .replaceAll('%APP%', name);
      return send(response, 200, 'text/html; charset=utf-8', html);
    }
    if (request.method === 'POST' && what === '/challenge') {
      const challenge = randomBytes(24).toString('base64url');
      challenges.set(challenge, { page: name, expires: Date.now() + CHALLENGE_TTL_MS });
      return sendJson(response, 200, { challenge });
    }
    if (request.method === 'POST' && what === '/login') {
      const proof = (await readJson(request)) as Partial<Record<'app' | 'domain' | 'user' | 'challenge' | 'digest', string>>;
      const issued = typeof proof.challenge === 'string' ? challenges.get(proof.challenge) : undefined;
      // Each challenge once, fresh, for this app; then the digest over exactly these fields.
      if (issued) challenges.delete(proof.challenge!);
      const fresh = issued !== undefined && issued.page === name && issued.expires > Date.now();
      const fields = {
        appId: config.appId,
        domain: options.domain,
        user: String(proof.user ?? ''),
        challenge: String(proof.challenge ?? ''),
      };
      const valid =
        fresh &&
        proof.app === config.appId &&
        proof.domain === options.domain &&
        verifyAppLoginDigest(config.secret, fields, String(proof.digest ?? ''));
      if (!valid) return sendJson(response, 401, { error: 'login refused' });
      logins.push({ app: config.appId, user: fields.user });
      return sendJson(response, 200, { user: fields.user });
    }
    return send(response, 405, 'text/plain', 'method not allowed');
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => send(response, 400, 'text/plain', 'bad request'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  for (const config of Object.values(options.pages)) {
    if (!config.websocket) continue;
    const socket = new AppEventsSocket({
      gatehouseUrl: options.gatehouseUrl,
      domain: options.domain,
      appId: config.appId,
      secret: config.secret,
    });
    socket.onEvent = (event) => events.push({ app: config.appId, event });
    socket.start();
    sockets.push(socket);
  }
  return {
    url: `http://${address}:${port}`,
    logins,
    events,
    close: async () => {
      for (const socket of sockets) socket.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  send(response, status, 'application/json', JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of request) {
    text += String(chunk);
    if (text.length > 16_384) throw new Error('body too large');
  }
  return JSON.parse(text) as unknown;
}
