import { AppHost } from './app-host';
import { ApprovalPrompt } from './approval-prompt';
import type { Api } from './api';
import { h, replace } from './dom';
import * as edit from './home-screen';
import { currentLanguage, t } from './i18n';
import { currentTheme, type Theme } from './prefs';
import { parseRoute, type Route } from './route';
import { SessionSocket, type PushMessage } from './socket';
import type { ClientConfig, HomeScreenGroup, HomeScreenView, Presence, Profile, SessionView, UserAppView } from './types';
import { appBar, appFrameView, appPageUrl } from './views/app-frame';
import { appsView } from './views/apps';
import { errorText } from './views/errors';
import { homeView } from './views/home';
import { chooseProvider } from './views/provider-chooser';
import { securityView } from './views/security';
import type { AccountSettingsPanel } from './views/account-settings';
import { EmailConfirmPage, emailConfirmView } from './views/email-confirm';
import { PasskeysPanel } from './views/passkeys-panel';
import { setStandardApp, standardApps } from './standard-apps';
import { presenceControl } from './views/presence';
import { standardAppsControls } from './views/standard-apps';
import { settingsControls, type SettingsActions } from './views/settings';

export interface SignedInHost {
  api: Api;
  settings: SettingsActions;
  /** The session ended: back to the login screen, saying so when it was not this tab's own logout. */
  sessionEnded(elsewhere: boolean): void;
  /** The user's own or the domain's defaults, used while this browser has made no choice. */
  suggest(defaults: { theme?: unknown; language?: unknown }): void;
}

/**
 * Everything after sign-in: the live socket, the approval dialog, the data of the views and the
 * shell around them. Views are re-rendered from this state; pushes update it.
 */
export class SignedInScreen {
  private apps?: UserAppView[];
  private home?: HomeScreenView;
  private sessions?: SessionView[];
  private profile?: Profile;
  private clientConfig?: ClientConfig;
  private readonly errors: Partial<Record<'apps' | 'home' | 'sessions', string>> = {};
  private editing = false;
  private loggingOut = false;
  /** Stopped: this screen's session ended and another screen (the login form, a new session) has taken over. */
  private stopped = false;
  private route: Route = parseRoute(location.hash);
  private homeWrites: Promise<unknown> = Promise.resolve();
  private readonly socket: SessionSocket;
  private readonly approvals: ApprovalPrompt;
  private readonly header = h('header', { class: 'top' });
  private readonly banner = h('p', { class: 'banner', role: 'status', hidden: true });
  private readonly main = h('main', { id: 'main', tabindex: '-1' });
  private readonly onHashChange = () => this.navigate();
  /** Open apps and their window messages (app-host.ts); badges the apps set, by app id. */
  private readonly appHost: AppHost;
  private readonly badges = new Map<string, number>();
  /** Presence the apps show on their tiles, by `appId?query`. */
  private readonly itemPresence = new Map<string, Presence['status']>();
  private presence?: Presence;
  private tileMenu?: { g: number; i: number };
  /** Providers of the client APIs the user's apps offer, for "Standard apps" in the menu. */
  private readonly providers = new Map<string, UserAppView[]>();
  private readonly passkeys: PasskeysPanel;
  /** The account's own settings: their own chunk, loaded when Account security first opens. */
  private account?: AccountSettingsPanel;
  private emailConfirm?: EmailConfirmPage;

  constructor(
    private readonly host: SignedInHost,
    private readonly root: HTMLElement,
  ) {
    this.approvals = new ApprovalPrompt(host.api);
    this.passkeys = new PasskeysPanel(host.api, () => this.route.name === 'security' && this.renderMain());
    this.socket = new SessionSocket(host.api, {
      message: (message) => this.onMessage(message),
      revoked: () => host.sessionEnded(!this.loggingOut),
      online: (online) => this.onOnline(online),
    });
    this.appHost = new AppHost({
      api: host.api,
      user: async () => {
        const profile = this.profile ?? (await host.api.call('GET /me'));
        return { username: profile.username, domain: profile.domain, displayName: profile.displayName || profile.username };
      },
      colorScheme: currentTheme,
      language: currentLanguage,
      presence: () => this.presence,
      attach: (appId, item) => this.attachItem(appId, item),
      badge: (appId, count) => {
        if (count > 0) this.badges.set(appId, count);
        else this.badges.delete(appId);
        if (this.route.name === 'home') this.renderMain();
      },
      itemPresence: (appId, query, status) => {
        const key = `${appId}?${query ?? ''}`;
        if (status) this.itemPresence.set(key, status);
        else this.itemPresence.delete(key);
        if (this.route.name === 'home') this.renderMain();
      },
      choose: chooseProvider,
      remember: (api, appId) => {
        setStandardApp(api, appId);
        this.renderHeader();
      },
    });
  }

  start(): void {
    replace(this.root, this.header, this.banner, this.main, this.appHost.deck);
    window.addEventListener('hashchange', this.onHashChange);
    this.socket.start();
    this.render();
    void this.loadAll();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('hashchange', this.onHashChange);
    this.socket.stop();
    this.approvals.destroy();
    this.appHost.destroy();
  }

  render(): void {
    this.renderHeader();
    this.renderMain();
    this.approvals.render();
    this.appHost.sync();
  }

  /** Tells every open app the new color scheme, as myApps does with a window message. */
  themeChanged(_theme: Theme): void {
    this.appHost.sync();
  }

  private async loadAll(): Promise<void> {
    await Promise.all([
      this.loadApps(),
      this.loadHome(),
      this.route.name === 'security' ? this.loadSessions() : undefined,
      this.route.name === 'security' ? this.passkeys.load() : undefined,
      this.route.name === 'security' ? this.loadAccount() : undefined,
      this.approvals.refresh().catch(() => undefined),
      this.loadProfile(),
      this.loadPresence(),
    ]);
    await this.loadProviders();
  }

  private async loadPresence(): Promise<void> {
    try {
      this.presence = await this.host.api.call('GET /me/presence');
      this.renderHeader();
    } catch {
      // the header shows "available" until the next push
    }
  }

  private async setPresence(presence: Presence): Promise<void> {
    try {
      this.presence = await this.host.api.call('PUT /me/presence', { body: presence });
    } catch {
      // the push of the other sessions never came: the control shows the stored presence again
    }
    this.renderHeader();
  }

  /** Which apps provide each API the user's apps offer, and those with a standard app on this device. */
  private async loadProviders(): Promise<void> {
    const apis = new Set([...(this.apps ?? []).flatMap((app) => app.apis), ...Object.keys(standardApps())]);
    await Promise.all(
      [...apis].map(async (api) => {
        try {
          const { apps } = await this.host.api.call('GET /me/api-providers/:api', { params: { api } });
          this.providers.set(api, apps);
        } catch {
          this.providers.delete(api);
        }
      }),
    );
    this.renderHeader();
  }

  private async load<T>(what: 'apps' | 'home' | 'sessions', read: () => Promise<T>, keep: (value: T) => void): Promise<void> {
    try {
      keep(await read());
      delete this.errors[what];
    } catch (error) {
      this.errors[what] = errorText(error);
    }
    this.renderMain();
  }

  private loadApps = () =>
    this.load(
      'apps',
      () => this.host.api.call('GET /me/apps'),
      ({ apps }) => (this.apps = apps),
    );
  private loadHome = () =>
    this.load(
      'home',
      () => this.host.api.call('GET /me/homescreen'),
      (home) => (this.home = home),
    );
  private loadSessions = () =>
    this.load(
      'sessions',
      () => this.host.api.call('GET /me/sessions'),
      ({ sessions }) => (this.sessions = sessions),
    );

  private async loadAccount(): Promise<void> {
    if (!this.account) {
      // Not loaded (offline): the sessions and passkeys still show; the next visit tries again.
      const loaded = await import('./views/account-settings').catch(() => undefined);
      if (!loaded) return;
      this.account ??= new loaded.AccountSettingsPanel(this.host.api, {
        rerender: () => this.route.name === 'security' && this.renderMain(),
        sessionsChanged: () => void this.loadSessions(),
        profileChanged: (profile) => ((this.profile = profile), this.renderHeader()),
        setLanguage: (language) => this.host.settings.setLanguage(language),
      });
    }
    await this.account.load();
  }

  private async loadProfile(): Promise<void> {
    try {
      const [profile, clientConfig] = await Promise.all([
        this.host.api.call('GET /me'),
        this.host.api.call('GET /me/client-config').catch(() => undefined),
      ]);
      this.profile = profile;
      this.clientConfig = clientConfig;
      this.host.suggest({ theme: clientConfig?.defaults.theme, language: profile.language ?? clientConfig?.defaults.language });
      this.renderHeader();
    } catch {
      // the menu simply shows no name
    }
  }

  private onMessage(message: PushMessage): void {
    switch (message.type) {
      case 'approval.requested':
        this.approvals.add(message);
        break;
      case 'approval.decided':
        this.approvals.drop(message.pendingId);
        if (message.status === 'approved' && this.route.name === 'security') void this.loadSessions();
        break;
      case 'homescreen.changed':
        this.home = { raw: message.raw, groups: message.groups };
        this.renderMain();
        break;
      case 'presence.changed':
        this.presence = message.presence;
        this.renderHeader();
        this.appHost.presenceChanged(this.presence);
        break;
      case 'apps.changed':
        void Promise.all([this.loadApps(), this.loadHome()]).then(() => {
          void this.loadProviders();
          // Apps the user may no longer run are closed; hidden providers are checked at their next call.
          const allowed = new Set((this.apps ?? []).map((app) => app.id));
          if (this.clientConfig?.editProfile) allowed.add(this.clientConfig.editProfile.id);
          const opened = new Set(this.appHost.openApps().map((app) => app.id));
          this.appHost.retain((appId) => allowed.has(appId) || !opened.has(appId));
        });
        break;
      case 'error':
        break; // the socket closes next, and reconnects
    }
  }

  private onOnline(online: boolean): void {
    this.banner.hidden = online;
    this.banner.textContent = online ? '' : t('reconnecting');
    // Back online: what was pushed meanwhile is read again.
    if (online) void this.loadAll();
  }

  private navigate(): void {
    const previous = this.route.name;
    this.closeMenu();
    this.route = parseRoute(location.hash);
    if (this.route.name === 'security') void this.loadSessions();
    if (this.route.name === 'security' && previous !== 'security') void Promise.all([this.passkeys.load(), this.loadAccount()]);
    this.render();
    if (previous !== this.route.name) this.main.focus({ preventScroll: true });
  }

  private menu(): HTMLDetailsElement | null {
    return this.header.querySelector<HTMLDetailsElement>('details.menu');
  }

  private closeMenu(): void {
    const menu = this.menu();
    if (menu) menu.open = false;
  }

  private renderHeader(): void {
    const menuOpen = this.menu()?.open ?? false;
    const link = (href: string, name: Route['name'], label: string) =>
      h('a', { href, 'data-key': `nav-${name}`, 'aria-current': this.route.name === name ? 'page' : undefined }, label);
    const editProfile = this.clientConfig?.editProfile;
    replace(
      this.header,
      h('a', { class: 'skip', href: '#main', onclick: (e: Event) => (e.preventDefault(), this.main.focus()) }, t('skipToContent')),
      h('a', { class: 'brand', href: '#/home' }, 'Gatehouse'),
      h(
        'nav',
        { 'aria-label': t('menu') },
        link('#/home', 'home', t('navHome')),
        link('#/apps', 'apps', t('navApps')),
        link('#/security', 'security', t('navSecurity')),
      ),
      presenceControl(this.presence, (presence) => void this.setPresence(presence)),
      h(
        'details',
        {
          class: 'menu',
          // Stays open while a setting in it changes (the header is redrawn): the open state is read
          // from the element itself, never from its late `toggle` event. Escape closes it.
          open: menuOpen,
          onkeydown: (e: KeyboardEvent) => {
            if (e.key !== 'Escape' || !this.menu()?.open) return;
            this.closeMenu();
            this.renderHeader();
            this.header.querySelector<HTMLElement>('[data-key="menu"]')?.focus();
          },
        },
        h('summary', { 'data-key': 'menu' }, t('menu')),
        h(
          'div',
          { class: 'menu-body' },
          this.profile ? h('p', { class: 'who' }, t('signedInAs', { name: this.profile.displayName || this.profile.username })) : null,
          editProfile
            ? h('a', { href: `#/app/${encodeURIComponent(editProfile.id)}`, 'data-key': 'menu-profile' }, t('editProfile'))
            : null,
          // Administrators reach the console (#/admin, its own bundle) from here.
          this.profile?.admin ? h('a', { href: '#/admin', 'data-key': 'menu-admin' }, t('menuAdmin')) : null,
          settingsControls(this.host.settings),
          standardAppsControls(this.providers, standardApps(), (api, appId) => {
            setStandardApp(api, appId);
            this.renderHeader();
          }),
          h('button', { type: 'button', 'data-key': 'menu-logout', onclick: () => this.logOut('current') }, t('logOut')),
        ),
      ),
    );
  }

  private renderMain(): void {
    const route = this.route;
    if (route.name !== 'app') this.appHost.hideAll();
    switch (route.name) {
      case 'home':
        return this.show(
          'home',
          homeView(
            {
              groups: this.home?.groups,
              apps: this.apps,
              editing: this.editing,
              error: this.errors.home,
              badges: this.badges,
              itemPresence: this.itemPresence,
              tileMenu: this.tileMenu,
              standardPhone: standardApps().phone,
            },
            this.homeActions,
          ),
        );
      case 'apps':
        return this.show(
          'apps',
          appsView(
            {
              apps: this.apps,
              pinned: (appId) => edit.isPinned(this.home?.groups ?? [], appId),
              error: this.errors.apps ?? this.errors.home,
            },
            {
              togglePin: (appId) =>
                this.changeHome((groups) => (edit.isPinned(groups, appId) ? edit.unpin(groups, appId) : edit.pin(groups, appId))),
            },
          ),
        );
      case 'security':
        return this.show(
          'security',
          securityView(
            { sessions: this.sessions, error: this.errors.sessions },
            { logOut: (session) => void this.logOut(session.current ? 'current' : session.id) },
            this.passkeys.render(),
            this.account?.render(this.sessions),
          ),
        );
      case 'email-confirm':
        if (this.emailConfirm?.token !== route.token)
          this.emailConfirm = new EmailConfirmPage(
            this.host.api,
            route.token,
            () => this.route.name === 'email-confirm' && this.renderMain(),
            () => void this.loadProfile(),
          );
        return this.show('email-confirm', emailConfirmView(this.emailConfirm));
      case 'app': {
        const app =
          this.apps?.find((candidate) => candidate.id === route.appId) ??
          (this.clientConfig?.editProfile?.id === route.appId ? this.clientConfig.editProfile : undefined);
        const src = app ? appPageUrl(app, route.query, route.fragment) : undefined;
        const key = `app:${src ?? route.appId}`;
        const close = () => {
          if (app) this.appHost.close(app.id);
          location.hash = '#/home';
        };
        // Open apps stay loaded in the AppHost's deck; only the bar above is drawn here.
        if (app && src) this.appHost.show(app, src);
        else this.appHost.hideAll();
        if (this.main.dataset.view === key && src) {
          this.main.querySelector('.app-bar')?.replaceWith(appBar(app, close));
          return;
        }
        return this.show(key, appFrameView(app, src, this.apps !== undefined, close));
      }
    }
  }

  private show(key: string, view: HTMLElement): void {
    this.main.dataset.view = key;
    replace(this.main, view);
  }

  private readonly homeActions = {
    toggleEditing: () => {
      this.editing = !this.editing;
      this.renderMain();
    },
    toggleGroup: (g: number) => this.changeHome((groups) => edit.toggleGroup(groups, g)),
    removeItem: (g: number, i: number) => this.changeHome((groups) => edit.removeItem(groups, g, i)),
    addItem: (g: number, appId: string) => this.changeHome((groups) => edit.addItem(groups, g, appId)),
    addGroup: (name: string) => this.changeHome((groups) => edit.addGroup(groups, name)),
    deleteGroup: (g: number) => this.changeHome((groups) => edit.deleteGroup(groups, g)),
    openTileMenu: (tile: { g: number; i: number } | undefined) => {
      this.tileMenu = tile;
      this.renderMain();
    },
    makeStandard: (api: string, appId: string) => {
      setStandardApp(api, appId);
      this.renderHeader();
    },
  };

  /** One change at a time, each on the latest home screen; the answer is what every session now shows. */
  private changeHome(change: (groups: HomeScreenGroup[]) => HomeScreenGroup[]): void {
    this.homeWrites = this.homeWrites.then(async () => {
      try {
        this.home = await this.host.api.call('PUT /me/homescreen', { body: { groups: change(this.home?.groups ?? []) } });
        delete this.errors.home;
      } catch (error) {
        this.errors.home = errorText(error);
      }
      this.renderMain();
    });
  }

  /** An app's `attach`: its item goes to the end of the first group, as the home symbol does. */
  private attachItem(appId: string, item: { query?: string; fragment?: string }): Promise<void> {
    return new Promise((resolve, reject) => {
      this.homeWrites = this.homeWrites.then(async () => {
        try {
          const groups = this.home?.groups ?? [];
          const entry = {
            app: appId,
            ...(item.query !== undefined ? { query: item.query } : {}),
            ...(item.fragment !== undefined ? { fragment: item.fragment } : {}),
          };
          const next =
            groups.length === 0
              ? [{ name: null, collapsed: false, items: [entry] }]
              : groups.map((group, g) => (g === 0 ? { ...group, items: [...group.items, entry] } : group));
          this.home = await this.host.api.call('PUT /me/homescreen', { body: { groups: next } });
          resolve();
        } catch (error) {
          reject(error);
        }
        this.renderMain();
      });
    });
  }

  private async logOut(sessionId: string): Promise<void> {
    if (sessionId === 'current') this.loggingOut = true;
    try {
      await this.host.api.call('DELETE /me/sessions/:id', { params: { id: sessionId } });
    } catch (error) {
      if (sessionId !== 'current') {
        this.errors.sessions = errorText(error);
        return this.renderMain();
      }
      // Logging out this device ends it here even when the server cannot be told.
    }
    // The socket's `session.revoked` may have ended this screen while the DELETE was answered, and the
    // login form may have signed in anew since (a passkey's autofill does at once): that session is not ours to end.
    if (sessionId === 'current') {
      if (!this.stopped) this.host.sessionEnded(false);
    } else await this.loadSessions();
  }
}
