import './styles.css';
import type { OAuth2ActiveFragment, OAuth2PendingFragment } from '@gatehouse/contracts';
import { API_BASE, Api, ApiError } from './api';
import { thisDevice } from './device';
import { replace } from './dom';
import { browserLanguage, currentLanguage, isLanguage, setLanguage, t, type Language } from './i18n';
import { watchPending } from './pending';
import { applyTheme, preferredTheme, readConfig, writeConfig, type Theme } from './prefs';
import { forgetSession, isSessionKey, storeSession, storedSession } from './session';
import { SignedInScreen } from './signed-in';
import type { ActiveLogin, AuthMethods, PendingLogin } from './types';
import { errorText } from './views/errors';
import { LoginScreen, unavailableScreen } from './views/login';
import { autofillSupported, passkeysSupported, signInWithPasskey } from './passkeys';
import type { SettingsActions } from './views/settings';
import { waitingScreen } from './views/waiting';
import { signedOutEmailConfirm } from './views/email-confirm';

type Screen =
  { kind: 'login'; login: LoginScreen } | { kind: 'other'; render: () => HTMLElement } | { kind: 'signedIn'; signedIn: SignedInScreen };

/** Which screen shows, and the moves between them: login → (waiting for approval) → signed in → login. */
class Client {
  private readonly api = new Api(() => this.sessionEnded(true));
  private screen?: Screen;
  private methods?: AuthMethods;
  private stopWaiting?: () => void;
  /** The administration console (#/admin), loaded on first use as a bundle of its own. */
  private adminConsole?: import('./admin/console').AdminConsole;

  private readonly settings: SettingsActions = {
    setTheme: (theme: Theme) => {
      writeConfig({ theme });
      applyTheme(theme);
      if (this.screen?.kind === 'signedIn') this.screen.signedIn.themeChanged(theme);
      this.render();
    },
    setLanguage: (language: Language) => {
      writeConfig({ language });
      void setLanguage(language).then(() => (this.adminConsole ? this.adminConsole.relabel() : this.render()));
    },
  };

  constructor(private readonly root: HTMLElement) {}

  async start(): Promise<void> {
    window.addEventListener('storage', (event) => this.onStorage(event));
    window.addEventListener('hashchange', () => this.onAdminRoute());
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
      if (!readConfig().theme) applyTheme(preferredTheme());
    });
    const returned = takeOAuth2Return();
    if (returned && 'pendingId' in returned) return this.showWaiting(returned);
    if (returned) this.signedIn(returned);
    else if (storedSession()) this.showSignedIn();
    else {
      // A new email address's mailed link opened on a signed-out device (views/email-confirm.ts).
      const confirm = signedOutEmailConfirm(
        this.api,
        this.settings,
        () => this.render(),
        () => void this.showLogin(),
      );
      if (confirm) this.setScreen({ kind: 'other', render: confirm });
      else await this.showLogin();
    }
  }

  private render(): void {
    const screen = this.screen;
    if (!screen) return;
    if (screen.kind === 'signedIn') screen.signedIn.render();
    else replace(this.root, screen.kind === 'login' ? screen.login.render() : screen.render());
  }

  private setScreen(screen: Screen): void {
    this.stopWaiting?.();
    this.stopWaiting = undefined;
    this.adminConsole?.stop();
    this.adminConsole = undefined;
    if (this.screen?.kind === 'signedIn') this.screen.signedIn.stop();
    this.screen = screen;
    this.render();
  }

  private async showLogin(notice?: string): Promise<void> {
    let methods: AuthMethods;
    try {
      methods = await this.api.call('GET /auth/methods', { auth: false });
    } catch (error) {
      const retry = () => void this.showLogin(notice);
      return this.setScreen({ kind: 'other', render: () => unavailableScreen(errorText(error), { ...this.settings, retry }) });
    }
    this.methods = methods;
    if (!crypto.subtle) notice = t('errorInsecure');
    const login: LoginScreen = new LoginScreen(
      methods,
      {
        ...this.settings,
        signIn: (username, password, keep) => this.signIn(username, password, keep),
        signInWithPasskey: passkeysSupported() ? (keep, autofill) => this.signInWithPasskey(keep, autofill) : null,
        requestReset: (name) => this.api.call('POST /auth/password-reset', { auth: false, body: { login: name } }).then(() => undefined),
        oauth2Url: (keep) =>
          `${API_BASE}/auth/oauth2/start?returnTo=${encodeURIComponent(`${location.origin}/`)}&application=${keep ? 'longLogin' : 'refreshable'}`,
        oauth2Starting: () => sessionStorage.setItem(OAUTH2_STARTED, '1'),
      },
      () => this.screen?.kind === 'login' && this.screen.login === login && this.render(),
      notice,
    );
    this.setScreen({ kind: 'login', login });
    document.getElementById('login-username')?.focus();
    if (passkeysSupported() && (await autofillSupported()) && this.screen?.kind === 'login' && this.screen.login === login)
      login.offerPasskeyAutofill();
  }

  private async signInWithPasskey(keep: boolean, autofill: boolean): Promise<void> {
    const reply = await signInWithPasskey(this.api, keep, autofill);
    if (reply.status === 'active') this.signedIn(reply);
    else this.showWaiting(reply);
  }

  private async signIn(username: string, password: string, keep: boolean): Promise<void> {
    const finish = { device: thisDevice(), application: keep ? ('longLogin' as const) : ('refreshable' as const) };
    // PBX passwords sign in by OPAQUE: the password stays in this browser (issue 22).
    const opaque = this.methods?.password ? await (await import('./opaque-login')).opaqueLogin(this.api, username, password, finish) : null;
    // The plain route only for what OPAQUE cannot do: a Windows password (Netlogon), or a PBX password
    // still kept as a hash (its first plain login makes it a record) while the policy keeps that route open.
    const plainAllowed = this.methods?.netlogon || this.methods?.pbxPlainLogin !== false;
    if (!opaque && !plainAllowed) throw new ApiError('invalid_credentials', 'Wrong username or password', 401);
    const reply =
      opaque ??
      (await this.api.call('POST /auth/login', {
        auth: false,
        body: { username, password, ...finish },
      }));
    if (reply.status === 'active') this.signedIn(reply);
    else this.showWaiting(reply);
  }

  private showWaiting(pending: PendingLogin): void {
    const cancel = () => {
      this.stopWaiting?.();
      // Withdraw it, so the devices asked to approve it stop asking; the login form shows either way.
      void this.api
        .call('DELETE /auth/login/pending/:id', {
          params: { id: pending.pendingId },
          auth: false,
          headers: { authorization: `Pending ${pending.pollToken}` },
        })
        .catch(() => undefined);
      void this.showLogin();
    };
    this.setScreen({ kind: 'other', render: () => waitingScreen(pending, { ...this.settings, cancel }) });
    this.stopWaiting = watchPending(this.api, pending, (outcome) => {
      if (outcome.status === 'approved') this.signedIn(outcome.login);
      else
        void this.showLogin(
          outcome.status === 'rejected' ? t('waitRejected') : outcome.status === 'expired' ? t('waitExpired') : undefined,
        );
    });
  }

  private signedIn(login: Pick<ActiveLogin, 'session' | 'accessToken' | 'expiresAt'>): void {
    storeSession(login.session);
    this.api.useLogin(login);
    this.showSignedIn();
  }

  /** `#/admin…` opens the console in place of the signed-in client; leaving it returns there. */
  private onAdminRoute(): void {
    const wanted = isAdminRoute();
    if (wanted && this.screen?.kind === 'signedIn') void this.showConsole();
    else if (!wanted && this.adminConsole) this.showSignedIn();
  }

  private async showConsole(): Promise<void> {
    const { AdminConsole } = await import('./admin/console');
    const adminConsole = new AdminConsole(this.api);
    this.setScreen({ kind: 'other', render: () => adminConsole.element });
    this.adminConsole = adminConsole;
    await adminConsole.start();
  }

  private showSignedIn(): void {
    if (isAdminRoute()) return void this.showConsole();
    const signedIn = new SignedInScreen(
      {
        api: this.api,
        settings: this.settings,
        sessionEnded: (elsewhere) => this.sessionEnded(elsewhere),
        suggest: (defaults) => void this.suggest(defaults),
      },
      this.root,
    );
    this.setScreen({ kind: 'signedIn', signedIn });
    signedIn.start();
  }

  private sessionEnded(elsewhere: boolean): void {
    forgetSession();
    this.api.forgetToken();
    if (this.adminConsole) return void this.showLogin(elsewhere ? t('signedOutRemotely') : undefined);
    if (this.screen?.kind !== 'signedIn') return;
    // Socket and dialog end now, not once the login form has loaded.
    this.screen.signedIn.stop();
    this.screen = undefined;
    void this.showLogin(elsewhere ? t('signedOutRemotely') : undefined);
  }

  /** Defaults from the user's profile or the domain, while this browser has made no choice of its own. */
  private async suggest({ theme, language }: { theme?: unknown; language?: unknown }): Promise<void> {
    const own = readConfig();
    if (!own.theme && (theme === 'light' || theme === 'dark')) applyTheme(theme);
    if (!own.language && isLanguage(language) && language !== currentLanguage()) await setLanguage(language);
    this.render();
  }

  /** Another tab of this browser signed in or out, or changed a setting: follow it. */
  private onStorage(event: StorageEvent): void {
    if (event.storageArea !== localStorage) return;
    if (isSessionKey(event.key)) {
      const stored = storedSession();
      if (!stored && this.screen?.kind === 'signedIn') this.sessionEnded(false);
      else if (stored && this.screen?.kind !== 'signedIn') this.showSignedIn();
      return;
    }
    const config = readConfig();
    applyTheme(preferredTheme());
    void setLanguage(config.language ?? currentLanguage()).then(() => this.render());
  }
}

const OAUTH2_STARTED = 'gatehouse-oauth2-started';

const isAdminRoute = (): boolean => /^#\/admin(\/|$)/.test(location.hash);

/**
 * After an OAuth2 login the gateway sends the browser back with its session (or pending login) in
 * the fragment. Taken only when this tab went to the provider: a link carrying someone else's
 * session must not sign this browser in to their account.
 */
function takeOAuth2Return(): Pick<ActiveLogin, 'session' | 'accessToken' | 'expiresAt'> | PendingLogin | undefined {
  const params = new URLSearchParams(location.hash.slice(1));
  const read = (name: keyof OAuth2ActiveFragment | keyof OAuth2PendingFragment) => params.get(name) ?? '';
  if (!params.has('sessionId') && !params.has('pendingId')) return undefined;
  // The secrets leave the address bar and the history at once.
  history.replaceState(null, '', location.pathname + location.search);
  const started = sessionStorage.getItem(OAUTH2_STARTED) !== null;
  sessionStorage.removeItem(OAUTH2_STARTED);
  if (!started) return undefined;
  if (params.has('sessionId')) {
    return {
      session: { id: read('sessionId'), password: read('sessionPassword') },
      accessToken: read('accessToken'),
      expiresAt: read('expiresAt'),
    };
  }
  return { pendingId: read('pendingId'), pollToken: read('pollToken'), securityCode: read('securityCode'), expiresAt: read('expiresAt') };
}

async function main(): Promise<void> {
  applyTheme(preferredTheme());
  await setLanguage(readConfig().language ?? browserLanguage());
  await new Client(document.getElementById('app')!).start();
}

void main();
