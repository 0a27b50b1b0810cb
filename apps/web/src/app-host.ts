import {
  APP_PROTOCOL,
  AppToClient,
  type AppError,
  type AppErrorCode,
  type ClientToApp,
  type ConnectResult,
  type Presence,
} from '@gatehouse/contracts/src/app-runtime/app-protocol';
import { ApiError, type Api } from './api';
import { h } from './dom';
import { standardApp } from './standard-apps';
import type { UserAppView } from './types';
import { appSandbox } from './views/app-sandbox';
import './app-host.css';

/** What the host needs from the signed-in screen. */
export interface AppHostContext {
  api: Api;
  /** The signed-in user as apps see them (waits for the profile). */
  user(): Promise<ConnectResult['user']>;
  colorScheme(): 'light' | 'dark';
  language(): string;
  presence(): Presence | undefined;
  /** Puts an item of `appId` on the home screen. */
  attach(appId: string, item: { query?: string; fragment?: string }): Promise<void>;
  badge(appId: string, count: number): void;
  itemPresence(appId: string, query: string | undefined, status: Presence['status'] | null): void;
  /** Several providers and no standard app: the user picks one (undefined: cancelled). */
  choose(api: string, providers: UserAppView[]): Promise<{ app: UserAppView; always: boolean } | undefined>;
  /** The user chose "always use this app". */
  remember(api: string, appId: string): void;
}

interface Waiter {
  resolve(value: unknown): void;
  reject(error: AppError): void;
  timer: number;
}

/** One app's iframe, alive while it is open (visible or not). */
interface OpenApp {
  app: UserAppView;
  frame: HTMLIFrameElement;
  /** The only origin its messages may come from and ours may go to: that of its registered page. */
  origin: string;
  connected: boolean;
  provides: Set<string>;
  /** Deliveries waiting for the app to say `provide` for an API. */
  providing: Map<string, Array<() => void>>;
  /** Requests delivered to it, by id, waiting for its `result`. */
  results: Map<string, Waiter>;
}

/** How long a provider may take to load and say `provide`, and to answer a request. */
const PROVIDER_READY_MS = 15_000;
const PROVIDER_ANSWER_MS = 30_000;

class HostError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The client's side of the window-message protocol (libs/contracts app-runtime): keeps apps open
 * in iframes (several at once, hidden when not shown), accepts a message only from an app's own
 * frame and registered origin, answers `connect`, `login`, `call`, `attach` and `badge`, delivers
 * calls to provider apps (loading a hidden provider invisibly) and tells every open app the color
 * scheme, the language and the user's presence. Plain websites get nothing and are not heard.
 */
export class AppHost {
  /** Holds the frames; never re-rendered, since moving an iframe reloads it. */
  readonly deck = h('div', { class: 'app-deck', hidden: true });
  private readonly open = new Map<string, OpenApp>();
  private counter = 0;
  private told = { colorScheme: '', language: '' };

  constructor(private readonly context: AppHostContext) {
    window.addEventListener('message', this.onMessage);
  }

  destroy(): void {
    window.removeEventListener('message', this.onMessage);
    for (const appId of [...this.open.keys()]) this.close(appId);
  }

  /** Shows the app (opening it when needed, at `src`); every other open app stays loaded, hidden. */
  show(app: UserAppView, src: string): void {
    let entry = this.open.get(app.id);
    if (entry && entry.frame.getAttribute('src') !== src) {
      this.close(app.id);
      entry = undefined;
    }
    entry ??= this.load(app, src);
    for (const other of this.open.values()) this.setVisible(other, other === entry);
    this.deck.hidden = false;
  }

  hideAll(): void {
    for (const entry of this.open.values()) this.setVisible(entry, false);
    this.deck.hidden = true;
  }

  close(appId: string): void {
    const entry = this.open.get(appId);
    if (!entry) return;
    this.open.delete(appId);
    for (const waiter of entry.results.values()) {
      window.clearTimeout(waiter.timer);
      waiter.reject({ code: 'provider_error', message: `${entry.app.name} was closed` });
    }
    entry.frame.remove();
  }

  /** The apps the user opened (hidden providers loaded for a call are not listed). */
  openApps(): UserAppView[] {
    return [...this.open.values()].filter((entry) => entry.frame.dataset.shown === '1').map((entry) => entry.app);
  }

  /** Apps the user may no longer run are closed. */
  retain(allowed: (appId: string) => boolean): void {
    for (const appId of [...this.open.keys()]) if (!allowed(appId)) this.close(appId);
  }

  /** Sends the color scheme and the language to every open app when either changed since last told. */
  sync(): void {
    const colorScheme = this.context.colorScheme();
    const language = this.context.language();
    if (colorScheme !== this.told.colorScheme) this.broadcast({ gatehouse: APP_PROTOCOL, type: 'colorScheme', scheme: colorScheme });
    if (language !== this.told.language) this.broadcast({ gatehouse: APP_PROTOCOL, type: 'language', language });
    this.told = { colorScheme, language };
  }

  presenceChanged(presence: Presence): void {
    this.broadcast({ gatehouse: APP_PROTOCOL, type: 'presence', presence });
  }

  private load(app: UserAppView, src: string): OpenApp {
    const frame = h('iframe', {
      class: 'app-frame-hidden',
      // Before src: the flags apply to the navigation that inserting the frame starts.
      sandbox: appSandbox(src, location.origin),
      src,
      title: app.name,
      referrerpolicy: 'no-referrer',
      'data-app': app.id,
      hidden: true,
    });
    const entry: OpenApp = {
      app,
      frame,
      origin: new URL(src, location.origin).origin,
      connected: false,
      provides: new Set(),
      providing: new Map(),
      results: new Map(),
    };
    this.open.set(app.id, entry);
    this.deck.append(frame);
    return entry;
  }

  private setVisible(entry: OpenApp, visible: boolean): void {
    entry.frame.hidden = !visible;
    // The frame on screen is `app-frame`; the others keep running out of sight.
    entry.frame.className = visible ? 'app-frame' : 'app-frame-hidden';
    if (visible) {
      entry.frame.dataset.testid = 'app-frame';
      entry.frame.dataset.shown = '1';
    } else delete entry.frame.dataset.testid;
  }

  /** Only to apps (never plain websites), only to the origin of the page registered for them. */
  private post(entry: OpenApp, message: ClientToApp): void {
    if (entry.app.plainWebsite) return;
    entry.frame.contentWindow?.postMessage(message, entry.origin);
  }

  private broadcast(message: ClientToApp): void {
    for (const entry of this.open.values()) this.post(entry, message);
  }

  private readonly onMessage = (event: MessageEvent): void => {
    let entry: OpenApp | undefined;
    for (const candidate of this.open.values())
      if (event.source !== null && candidate.frame.contentWindow === event.source) entry = candidate;
    // Another window, another origin than the app's own, or a plain website: not heard.
    if (!entry || entry.app.plainWebsite || event.origin !== entry.origin) return;
    const parsed = AppToClient.safeParse(event.data);
    if (!parsed.success) {
      const id = (event.data as { id?: unknown } | null)?.id;
      if (typeof id === 'string' && id.length <= 64)
        this.reply(entry, id, undefined, { code: 'invalid_message', message: 'The message does not follow the app protocol' });
      return;
    }
    void this.handle(entry, parsed.data);
  };

  private reply(entry: OpenApp, id: string, result: unknown, error?: AppError): void {
    this.post(
      entry,
      error ? { gatehouse: APP_PROTOCOL, type: 'reply', id, error } : { gatehouse: APP_PROTOCOL, type: 'reply', id, result },
    );
  }

  private async handle(entry: OpenApp, message: AppToClient): Promise<void> {
    if (message.type === 'result') return this.settle(entry, message.id, message.result, message.error);
    try {
      if (message.type !== 'connect' && !entry.connected) throw new HostError('not_connected', 'Call connect() first');
      this.reply(entry, message.id, await this.answer(entry, message));
    } catch (error) {
      this.reply(entry, message.id, undefined, toAppError(error));
    }
  }

  private async answer(entry: OpenApp, message: Exclude<AppToClient, { type: 'result' }>): Promise<unknown> {
    const { api } = this.context;
    switch (message.type) {
      case 'connect': {
        const user = await this.context.user();
        entry.connected = true;
        const presence = this.context.presence();
        return {
          user,
          appId: entry.app.id,
          colorScheme: this.context.colorScheme(),
          language: this.context.language(),
          ...(presence ? { presence } : {}),
        } satisfies ConnectResult;
      }
      case 'login':
        try {
          return await api.call('POST /me/apps/:appId/login', { params: { appId: entry.app.id }, body: { challenge: message.challenge } });
        } catch (error) {
          // 404: the user may not run this app; 422: it has no shared secret.
          if (error instanceof ApiError) throw new HostError(error.status === 404 ? 'not_permitted' : 'login_failed', error.message);
          throw error;
        }
      case 'provide': {
        const providers = await this.providers(message.api);
        if (!providers.some((app) => app.id === entry.app.id))
          throw new HostError('not_permitted', `${entry.app.name} is not registered as a provider of ${message.api}`);
        entry.provides.add(message.api);
        for (const wake of entry.providing.get(message.api) ?? []) wake();
        entry.providing.delete(message.api);
        return {};
      }
      case 'call':
        return this.call(entry, message.api, message.message, message.target);
      case 'attach': {
        const label = `d=${encodeURIComponent(message.label)}`;
        await this.context.attach(entry.app.id, {
          query: message.query,
          fragment: message.fragment ? `${message.fragment}&${label}` : label,
        });
        return {};
      }
      case 'badge':
        this.context.badge(entry.app.id, message.count);
        return {};
      case 'itemPresence':
        this.context.itemPresence(entry.app.id, message.query, message.status);
        return {};
    }
  }

  private async providers(apiName: string): Promise<UserAppView[]> {
    const { apps } = await this.context.api.call('GET /me/api-providers/:api', { params: { api: apiName } });
    return apps.filter((app) => !app.plainWebsite);
  }

  private async call(caller: OpenApp, apiName: string, message: unknown, target: string): Promise<unknown> {
    const providers = await this.providers(apiName);
    if (providers.length === 0) throw new HostError('no_provider', `No app provides ${apiName}`);
    if (target === 'all') {
      return Promise.all(
        providers.map((app) =>
          this.deliver(app, apiName, message, caller.app.id).then(
            (result) => ({ app: app.id, result }),
            (error: unknown) => ({ app: app.id, error: toAppError(error) }),
          ),
        ),
      );
    }
    if (target !== 'ask') {
      const app = providers.find((candidate) => candidate.id === target);
      if (!app) throw new HostError('no_provider', `${target} does not provide ${apiName}`);
      return this.deliver(app, apiName, message, caller.app.id);
    }
    const standard = standardApp(apiName);
    let chosen = providers.length === 1 ? providers[0] : providers.find((app) => app.id === standard);
    if (!chosen) {
      const choice = await this.context.choose(apiName, providers);
      if (!choice) throw new HostError('cancelled', 'The user chose no app');
      if (choice.always) this.context.remember(apiName, choice.app.id);
      chosen = choice.app;
    }
    return this.deliver(chosen, apiName, message, caller.app.id);
  }

  /** Hands a call to a provider, loading it invisibly when it is not open, and waits for its result. */
  private async deliver(app: UserAppView, apiName: string, message: unknown, from: string): Promise<unknown> {
    const entry = this.open.get(app.id) ?? this.load(app, app.htmlUrl);
    if (!entry.provides.has(apiName)) {
      await new Promise<void>((resolve, reject) => {
        const timer = window.setTimeout(
          () => reject(new HostError('timeout', `${app.name} did not start providing ${apiName}`)),
          PROVIDER_READY_MS,
        );
        const waiting = entry.providing.get(apiName) ?? [];
        waiting.push(() => (window.clearTimeout(timer), resolve()));
        entry.providing.set(apiName, waiting);
      });
    }
    const id = `r${++this.counter}-${Date.now().toString(36)}`;
    return new Promise((resolve, reject) => {
      const timer = window.setTimeout(() => {
        entry.results.delete(id);
        reject(new HostError('timeout', `${app.name} did not answer`));
      }, PROVIDER_ANSWER_MS);
      entry.results.set(id, { resolve, reject: (error) => reject(new HostError(error.code, error.message)), timer });
      this.post(entry, { gatehouse: APP_PROTOCOL, type: 'request', id, api: apiName, from, message });
    });
  }

  private settle(entry: OpenApp, id: string, result: unknown, error: string | undefined): void {
    const waiter = entry.results.get(id);
    if (!waiter) return;
    entry.results.delete(id);
    window.clearTimeout(waiter.timer);
    if (error !== undefined) waiter.reject({ code: 'provider_error', message: error });
    else waiter.resolve(result);
  }
}

function toAppError(error: unknown): AppError {
  if (error instanceof HostError) return { code: error.code, message: error.message };
  if (error instanceof ApiError)
    return { code: error.status === 404 || error.status === 403 ? 'not_permitted' : 'provider_error', message: error.message };
  return { code: 'provider_error', message: error instanceof Error ? error.message : String(error) };
}
