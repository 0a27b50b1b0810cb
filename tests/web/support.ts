import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';
import { GOOD_PASSWORD } from '../auth/support';
import type { TestSystem } from '../support/system';

const ROOT = resolve(__dirname, '../..');
const WEB = join(ROOT, 'apps/web');
const DIST_INDEX = join(WEB, 'dist/index.html');
const ARTIFACTS = join(ROOT, 'tests/artifacts');

/** Debian's Chromium (scripts/ensure-tools.sh installs it). */
export const CHROMIUM = '/usr/bin/chromium';

/** User agents of the two "devices": the client names itself from them ("Chrome on Windows"). */
export const DESKTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
export const PHONE =
  'Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36';

/** The newest modification time under a path (a file, or a folder and everything in it). */
export const newestChange = (path: string): number => {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
};

const isBuilt = () => {
  try {
    return (
      statSync(DIST_INDEX).mtimeMs >=
      Math.max(
        ...['src', 'public', 'index.html', 'vite.config.ts'].map((p) => newestChange(join(WEB, p))),
        // The client keeps its session through the login library's source (libs/gatehouse-sdk/src).
        newestChange(join(ROOT, 'libs/gatehouse-sdk/src')),
      )
    );
  } catch {
    return false;
  }
};

/**
 * `npm test` builds the client before Jest; a single `npx jest tests/web` run builds it here when
 * the sources are newer than the build. A directory lock keeps two test workers from building at once.
 */
export async function ensureWebClientBuilt(): Promise<void> {
  await buildWhenStale(WEB, isBuilt, 'warn');
}

/**
 * Runs `vite build <dir>` until `isBuilt()` holds; a directory lock (`<dir>/.build-lock`) keeps two
 * test workers from building at once. The web client, the app library and the login library use it.
 */
export async function buildWhenStale(dir: string, isBuilt: () => boolean, logLevel: 'warn' | 'error'): Promise<void> {
  const lock = join(dir, '.build-lock');
  const deadline = Date.now() + 120_000;
  while (!isBuilt()) {
    try {
      mkdirSync(lock);
    } catch {
      if (Date.now() > deadline) throw new Error(`${lock} held for two minutes: remove it if no build runs`);
      await new Promise((wake) => setTimeout(wake, 250));
      continue;
    }
    try {
      if (!isBuilt())
        execFileSync(
          process.execPath,
          [join(dirname(require.resolve('vite/package.json')), 'bin/vite.js'), 'build', dir, '--logLevel', logLevel],
          { cwd: ROOT, stdio: 'inherit' },
        );
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** One headless Chromium per test file; each "device" is a browser context of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-background-networking'] });
}

/** Closes the browser, waiting at most 10 s (an afterAll once hung in CI; this says so instead). */
export async function closeBrowser(browser: Browser | undefined): Promise<void> {
  if (!browser) return;
  const closed = browser.close().then(() => true);
  const inTime = await Promise.race([closed, new Promise<false>((resolve) => setTimeout(() => resolve(false), 10_000).unref())]);
  if (!inTime) console.warn('chromium did not close within 10 s; going on without it');
}

export interface Device {
  context: BrowserContext;
  page: Page;
}

export async function openDevice(browser: Browser, system: TestSystem, userAgent = DESKTOP, width = 1024): Promise<Device> {
  const context = await browser.newContext({ userAgent, viewport: { width, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  // Well inside Jest's 60 s, so a missing element fails with the locator's own message; a sign-in
  // stretches the password by OPAQUE in the page (about a second, several on a loaded machine).
  page.setDefaultTimeout(20_000);
  await page.goto(system.url);
  return { context, page };
}

/** Fills the login form and signs in; the caller waits for what should follow. */
export async function signIn(page: Page, username: string, password = GOOD_PASSWORD): Promise<void> {
  await page.getByLabel('Username or email').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** A value of the page's local storage (the root tsconfig has no DOM types: the page runs a string). */
export const stored = (page: Page, key: string) => page.evaluate<string | null>(`localStorage.getItem(${JSON.stringify(key)})`);

/** Marks the page's window; `isSamePage` is true only while the page was not reloaded since. */
export const markPage = (page: Page) => page.evaluate('window.__notReloaded = true');
export const isSamePage = (page: Page) => page.evaluate<boolean>('window.__notReloaded === true');

/** Every test leaves a picture of where it ended (tests/artifacts/ is git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

// A 1×1 PNG: what an app's `url` + `.png` answers.
const ICON = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** A stand-in app server: `<name>.htm` is a page that says which app it is, `<name>.png` its icon. */
export async function startAppServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://apps').pathname;
    if (path.endsWith('.png')) return response.writeHead(200, { 'content-type': 'image/png' }).end(ICON);
    if (path.endsWith('.htm')) {
      const name = path.slice(1, -'.htm'.length);
      // The page shows the color scheme myApps last told it (a window message, seed 000 "App runtime").
      const listen = `<script>addEventListener('message', (e) => { document.getElementById('scheme').textContent = e.data.scheme; });</script>`;
      return response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<!doctype html><title>${name}</title><h1 id="app-name">App ${name}</h1><p id="scheme">none</p>${listen}`);
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
