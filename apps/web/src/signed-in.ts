import { ApprovalPrompt } from './approval-prompt';
import type { Api } from './api';
import { h, replace } from './dom';
import * as edit from './home-screen';
import { t } from './i18n';
import type { Theme } from './prefs';
import { parseRoute, type Route } from './route';
import { SessionSocket, type ServerMessage } from './socket';
import type { ApprovalView, ClientConfig, HomeScreenGroup, HomeScreenView, SessionView, UserAppView } from './types';
import { appBar, appFrameView, appPageUrl } from './views/app-frame';
import { appsView } from './views/apps';
import { errorText } from './views/errors';
import { homeView } from './views/home';
import { securityView } from './views/security';
import { settingsControls, type SettingsActions } from './views/settings';

export interface SignedInHost {
  api: Api;
  settings: SettingsActions;
  /** The session ended: back to the login screen, saying so when it was not this tab's own logout. */
  sessionEnded(elsewhere: boolean): void;
  /** The user's own or the domain's defaults, used while this browser has made no choice. */
  suggest(defaults: { theme?: unknown; language?: unknown }): void;
}

interface Profile {
  username: string;
  displayName: string;
  language: string;
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
  private route: Route = parseRoute(location.hash);
  private homeWrites: Promise<unknown> = Promise.resolve();
  private readonly socket: SessionSocket;
  private readonly approvals: ApprovalPrompt;
  private readonly header = h('header', { class: 'top' });
  private readonly banner = h('p', { class: 'banner', role: 'status', hidden: true });
  private readonly main = h('main', { id: 'main', tabindex: '-1' });
  private readonly onHashChange = () => this.navigate();

  constructor(
    private readonly host: SignedInHost,
    private readonly root: HTMLElement,
  ) {
    this.approvals = new ApprovalPrompt(host.api);
    this.socket = new SessionSocket(host.api, {
      message: (message) => this.onMessage(message),
      revoked: () => host.sessionEnded(!this.loggingOut),
      online: (online) => this.onOnline(online),
    });
  }

  start(): void {
    replace(this.root, this.header, this.banner, this.main);
    window.addEventListener('hashchange', this.onHashChange);
    this.socket.start();
    this.render();
    void this.loadAll();
  }

  stop(): void {
    window.removeEventListener('hashchange', this.onHashChange);
    this.socket.stop();
    this.approvals.destroy();
  }

  render(): void {
    this.renderHeader();
    this.renderMain();
    this.approvals.render();
  }

  /** Tells a running app the new color scheme, as myApps does with a window message. */
  themeChanged(theme: Theme): void {
    const frame = this.main.querySelector<HTMLIFrameElement>('iframe.app-frame');
    if (frame?.contentWindow) frame.contentWindow.postMessage({ type: 'colorScheme', scheme: theme }, new URL(frame.src).origin);
  }

  private async loadAll(): Promise<void> {
    await Promise.all([
      this.loadApps(),
      this.loadHome(),
      this.route.name === 'security' ? this.loadSessions() : undefined,
      this.approvals.refresh().catch(() => undefined),
      this.loadProfile(),
    ]);
  }

  private async load<T>(what: 'apps' | 'home' | 'sessions', path: string, keep: (value: T) => void): Promise<void> {
    try {
      keep(await this.host.api.request<T>('GET', path));
      delete this.errors[what];
    } catch (error) {
      this.errors[what] = errorText(error);
    }
    this.renderMain();
  }

  private loadApps = () => this.load<{ apps: UserAppView[] }>('apps', '/me/apps', ({ apps }) => (this.apps = apps));
  private loadHome = () => this.load<HomeScreenView>('home', '/me/homescreen', (home) => (this.home = home));
  private loadSessions = () => this.load<{ sessions: SessionView[] }>('sessions', '/me/sessions', ({ sessions }) => (this.sessions = sessions));

  private async loadProfile(): Promise<void> {
    try {
      const [profile, clientConfig] = await Promise.all([
        this.host.api.request<Profile>('GET', '/me'),
        this.host.api.request<ClientConfig>('GET', '/me/client-config').catch(() => undefined),
      ]);
      this.profile = profile;
      this.clientConfig = clientConfig;
      this.host.suggest({ theme: clientConfig?.defaults.theme, language: profile.language ?? clientConfig?.defaults.language });
      this.renderHeader();
    } catch {
      // the menu simply shows no name
    }
  }

  private onMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'approval.requested':
        this.approvals.add(message as unknown as ApprovalView);
        break;
      case 'approval.decided':
        this.approvals.drop(String(message.pendingId));
        if (message.status === 'approved' && this.route.name === 'security') void this.loadSessions();
        break;
      case 'homescreen.changed':
        this.home = { raw: String(message.raw), groups: message.groups as HomeScreenGroup[] };
        this.renderMain();
        break;
      case 'apps.changed':
        void Promise.all([this.loadApps(), this.loadHome()]);
        break;
      default:
        break;
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
      h('nav', { 'aria-label': t('menu') }, link('#/home', 'home', t('navHome')), link('#/apps', 'apps', t('navApps')), link('#/security', 'security', t('navSecurity'))),
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
          editProfile ? h('a', { href: `#/app/${encodeURIComponent(editProfile.id)}`, 'data-key': 'menu-profile' }, t('editProfile')) : null,
          settingsControls(this.host.settings),
          h('button', { type: 'button', 'data-key': 'menu-logout', onclick: () => this.logOut('current') }, t('logOut')),
        ),
      ),
    );
  }

  private renderMain(): void {
    const route = this.route;
    switch (route.name) {
      case 'home':
        return this.show('home', homeView({ groups: this.home?.groups, apps: this.apps, editing: this.editing, error: this.errors.home }, this.homeActions));
      case 'apps':
        return this.show(
          'apps',
          appsView(
            { apps: this.apps, pinned: (appId) => edit.isPinned(this.home?.groups ?? [], appId), error: this.errors.apps ?? this.errors.home },
            { togglePin: (appId) => this.changeHome((groups) => (edit.isPinned(groups, appId) ? edit.unpin(groups, appId) : edit.pin(groups, appId))) },
          ),
        );
      case 'security':
        return this.show('security', securityView({ sessions: this.sessions, error: this.errors.sessions }, { logOut: (session) => void this.logOut(session.current ? 'current' : session.id) }));
      case 'app': {
        const app = this.apps?.find((candidate) => candidate.id === route.appId) ?? (this.clientConfig?.editProfile?.id === route.appId ? this.clientConfig.editProfile : undefined);
        const src = app ? appPageUrl(app, route.query, route.fragment) : undefined;
        const key = `app:${src ?? route.appId}`;
        // The same app stays loaded: only the bar above it is redrawn.
        if (this.main.dataset.view === key && src) {
          this.main.querySelector('.app-bar')?.replaceWith(appBar(app));
          return;
        }
        return this.show(key, appFrameView(app, src, this.apps !== undefined));
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
  };

  /** One change at a time, each on the latest home screen; the answer is what every session now shows. */
  private changeHome(change: (groups: HomeScreenGroup[]) => HomeScreenGroup[]): void {
    this.homeWrites = this.homeWrites.then(async () => {
      try {
        this.home = await this.host.api.request<HomeScreenView>('PUT', '/me/homescreen', { body: { groups: change(this.home?.groups ?? []) } });
        delete this.errors.home;
      } catch (error) {
        this.errors.home = errorText(error);
      }
      this.renderMain();
    });
  }

  private async logOut(sessionId: string): Promise<void> {
    if (sessionId === 'current') this.loggingOut = true;
    try {
      await this.host.api.request('DELETE', `/me/sessions/${sessionId}`);
    } catch (error) {
      if (sessionId !== 'current') {
        this.errors.sessions = errorText(error);
        return this.renderMain();
      }
      // Logging out this device ends it here even when the server cannot be told.
    }
    if (sessionId === 'current') this.host.sessionEnded(false);
    else await this.loadSessions();
  }
}
