import { statSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { buildWhenStale, ensureWebClientBuilt, newestChange } from '../web/support';

const ROOT = resolve(__dirname, '../..');
const SDK = join(ROOT, 'libs/app-sdk');
const SDK_FILE = join(SDK, 'dist/app.js');
const SOURCES = [join(SDK, 'src'), join(SDK, 'vite.config.ts'), join(ROOT, 'libs/contracts/src/app-runtime')];

const sdkBuilt = () => {
  try {
    return statSync(SDK_FILE).mtimeMs >= Math.max(...SOURCES.map(newestChange));
  } catch {
    return false;
  }
};

/** The web client and the app library (/sdk/app.js), built when their sources are newer; before the gateway starts (it reads the library once). */
export async function ensureClientAndSdkBuilt(): Promise<void> {
  await ensureWebClientBuilt();
  await buildWhenStale(SDK, sdkBuilt, 'error');
}

/** The frame of an open app (hidden or shown), by its app id. */
export async function appFrame(page: Page, appId: string): Promise<Frame> {
  const handle = await page.waitForSelector(`iframe[data-app="${appId}"]`, { state: 'attached' });
  for (let i = 0; i < 100; i++) {
    const frame = await handle.contentFrame();
    if (frame && frame.url() !== 'about:blank') return frame;
    await new Promise((wake) => setTimeout(wake, 100));
  }
  throw new Error(`no frame for ${appId}`);
}

/** Text of an element in a frame once it matches. */
export async function frameText(frame: Frame, selector: string, expected: RegExp | string, timeout = 10_000): Promise<string> {
  const test = typeof expected === 'string' ? (text: string) => text === expected : (text: string) => expected.test(text);
  const deadline = Date.now() + timeout;
  let text = '';
  while (Date.now() < deadline) {
    text =
      (await frame
        .locator(selector)
        .textContent()
        .catch(() => '')) ?? '';
    if (test(text)) return text;
    await new Promise((wake) => setTimeout(wake, 100));
  }
  throw new Error(`${selector} in ${frame.url()}: expected ${String(expected)}, last saw "${text}"`);
}

/**
 * A plain page server on another loopback address: `evil.htm` posts whatever it is told to
 * `parent` and `top`; `plain.htm` (a plain website) records every message it gets.
 */
export async function startPlainServer(host: string): Promise<{ url: string; close(): Promise<void> }> {
  const pages: Record<string, string> = {
    '/plain.htm':
      '<!doctype html><title>Plain</title><h1>Plain website</h1><p id="count">0</p>' +
      '<script>window.received=[];addEventListener("message",(e)=>{window.received.push(e.data);document.getElementById("count").textContent=String(window.received.length);});</script>',
    '/evil.htm': '<!doctype html><title>Evil</title><h1>Not the app</h1>',
  };
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path.endsWith('.png')) return response.writeHead(404).end();
    const page = pages[path];
    if (!page) return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'text/html' }).end(page);
  });
  await new Promise<void>((done) => server.listen(0, host, done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((done) => (server.closeAllConnections(), server.close(() => done()))),
  };
}
