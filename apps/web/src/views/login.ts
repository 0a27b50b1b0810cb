import { ApiError } from '../api';
import { h, type Child } from '../dom';
import { t } from '../i18n';
import type { AuthMethods } from '../types';
import { errorText } from './errors';
import { authPage } from './auth-page';
import type { SettingsActions } from './settings';

export interface LoginActions extends SettingsActions {
  /** `keep`: "Keep me signed in", a longLogin session (seed 002) instead of a refreshable one. */
  signIn(username: string, password: string, keep: boolean): Promise<void>;
  /** `autofill`: conditional UI (the browser offers passkeys in the username field); null when the browser has no passkeys. */
  signInWithPasskey: ((keep: boolean, autofill: boolean) => Promise<void>) | null;
  requestReset(login: string): Promise<void>;
  /** `keep` as for signIn. */
  oauth2Url(keep: boolean): string;
  /** Called as the browser leaves for the provider. */
  oauth2Starting(): void;
}

/** The login screen as `GET /auth/methods` describes it, and the "Forgot password?" form. */
export class LoginScreen {
  private mode: 'signIn' | 'reset' | 'resetSent' = 'signIn';
  private username = '';
  /** Kept across redraws (an error shown while the user types must not empty the field); dropped when a sign-in fails. */
  private password = '';
  private keep = false;
  private error?: string;
  private busy = false;

  constructor(
    private readonly methods: AuthMethods,
    private readonly actions: LoginActions,
    private readonly rerender: () => void,
    private notice?: string,
  ) {}

  render(): HTMLElement {
    return this.mode === 'signIn'
      ? authPage(t('signInTitle'), this.actions, this.signInForm())
      : authPage(t('resetTitle'), this.actions, this.resetForm());
  }

  private signInForm(): Child[] {
    const { password, netlogon, oauth2, passwordReset, resetPasswordPage } = this.methods;
    const usesPassword = password || netlogon;
    const form = usesPassword
      ? h(
          'form',
          { class: 'stack', onsubmit: (e: Event) => this.submitSignIn(e) },
          h('label', { for: 'login-username' }, t('username')),
          h('input', {
            id: 'login-username',
            name: 'username',
            'data-key': 'login-username',
            // `webauthn`: the browser may offer passkeys among the suggestions (conditional UI).
            autocomplete: 'username webauthn',
            autocapitalize: 'none',
            spellcheck: 'false',
            required: true,
            value: this.username,
            oninput: (e: Event) => (this.username = (e.target as HTMLInputElement).value),
          }),
          h('label', { for: 'login-password' }, t('password')),
          this.passwordField(),
          this.keepChoice(),
          h('button', { type: 'submit', class: 'primary', 'data-key': 'login-submit', disabled: this.busy }, t('signIn')),
        )
      : null;
    return [
      this.notice ? h('p', { class: 'notice', role: 'status' }, this.notice) : null,
      this.error ? h('p', { class: 'error', role: 'alert' }, this.error) : null,
      form,
      usesPassword && oauth2 ? h('p', { class: 'or' }, t('or')) : null,
      // With no password form, the choice stands on its own above the provider's button.
      !usesPassword && oauth2 ? h('div', { class: 'stack' }, this.keepChoice()) : null,
      oauth2
        ? h(
            'a',
            {
              class: 'button',
              href: this.actions.oauth2Url(this.keep),
              'data-key': 'login-oauth2',
              // the box may have changed since this was drawn: the link carries its state when followed
              onclick: (e: Event) => {
                (e.currentTarget as HTMLAnchorElement).href = this.actions.oauth2Url(this.keep);
                this.actions.oauth2Starting();
              },
            },
            t('signInWith', { provider: oauth2.providerName }),
          )
        : null,
      this.actions.signInWithPasskey
        ? h(
            'button',
            { type: 'button', class: 'button', 'data-key': 'login-passkey', disabled: this.busy, onclick: () => void this.passkeySignIn() },
            t('signInWithPasskey'),
          )
        : null,
      !usesPassword && !oauth2 && !this.actions.signInWithPasskey ? h('p', {}, t('noMethods')) : null,
      // Seed 000: a configured "Reset Password Page" replaces the built-in form.
      usesPassword && passwordReset && resetPasswordPage
        ? h('p', {}, h('a', { href: resetPasswordPage, rel: 'noopener noreferrer', 'data-key': 'login-forgot' }, t('forgotPassword')))
        : usesPassword && passwordReset
          ? h(
              'p',
              {},
              h(
                'button',
                { type: 'button', class: 'link', 'data-key': 'login-forgot', onclick: () => this.show('reset') },
                t('forgotPassword'),
              ),
            )
          : null,
    ];
  }

  /** "Keep me signed in": for password and OAuth2 logins alike. */
  private keepChoice(): Child[] {
    return [
      h(
        'label',
        { class: 'check' },
        h('input', {
          type: 'checkbox',
          name: 'keep',
          'data-key': 'login-keep',
          'aria-describedby': 'login-keep-hint',
          checked: this.keep,
          onchange: (e: Event) => (this.keep = (e.target as HTMLInputElement).checked),
        }),
        t('keepSignedIn'),
      ),
      h('small', { id: 'login-keep-hint', class: 'hint' }, t('keepSignedInHint')),
    ];
  }

  private resetForm(): Child[] {
    const sent = this.mode === 'resetSent';
    return [
      sent
        ? h('p', { class: 'notice', role: 'status' }, t('resetSent'))
        : h(
            'form',
            { class: 'stack', onsubmit: (e: Event) => this.submitReset(e) },
            h('p', {}, t('resetIntro')),
            this.error ? h('p', { class: 'error', role: 'alert' }, this.error) : null,
            h('label', { for: 'reset-login' }, t('username')),
            h('input', {
              id: 'reset-login',
              name: 'login',
              'data-key': 'reset-login',
              autocomplete: 'username',
              autocapitalize: 'none',
              required: true,
              value: this.username,
              oninput: (e: Event) => (this.username = (e.target as HTMLInputElement).value),
            }),
            h('button', { type: 'submit', class: 'primary', 'data-key': 'reset-submit', disabled: this.busy }, t('resetSend')),
          ),
      h(
        'p',
        {},
        h('button', { type: 'button', class: 'link', 'data-key': 'reset-back', onclick: () => this.show('signIn') }, t('backToSignIn')),
      ),
    ];
  }

  private show(mode: 'signIn' | 'reset'): void {
    this.mode = mode;
    this.error = undefined;
    this.notice = undefined;
    this.rerender();
    document.getElementById(mode === 'reset' ? 'reset-login' : 'login-username')?.focus();
  }

  private passwordField(): HTMLInputElement {
    const field = h('input', {
      id: 'login-password',
      name: 'password',
      type: 'password',
      'data-key': 'login-password',
      autocomplete: 'current-password',
      required: true,
      oninput: (e: Event) => (this.password = (e.target as HTMLInputElement).value),
    });
    // The property, not the attribute: a password in the markup could be matched by CSS selectors.
    field.value = this.password;
    return field;
  }

  private async submitSignIn(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const password = (form.elements.namedItem('password') as HTMLInputElement).value;
    await this.run(() => this.actions.signIn(this.username.trim(), password, this.keep));
  }

  private async passkeySignIn(): Promise<void> {
    const signIn = this.actions.signInWithPasskey;
    if (signIn) await this.run(() => signIn(this.keep, false));
  }

  /** Conditional UI: waits in the background for a passkey picked from the username field's suggestions. */
  offerPasskeyAutofill(): void {
    const signIn = this.actions.signInWithPasskey;
    if (!signIn) return;
    signIn(this.keep, true).catch((error: unknown) => {
      // Only the server's answer to a picked passkey is the user's to read. The browser's own refusal of the
      // background request (aborted by a later ceremony, cancelled, or this origin outside WEBAUTHN_RP_ID) is
      // nothing they did: the form stays as typed, and the console tells whoever runs the site.
      if (!(error instanceof ApiError)) {
        if (!(error instanceof Error && error.name === 'AbortError'))
          console.warn('Passkey autofill is not available here:', String(error));
        return;
      }
      this.error = errorText(error);
      this.rerender();
    });
  }

  private async submitReset(event: Event): Promise<void> {
    event.preventDefault();
    await this.run(() => this.actions.requestReset(this.username.trim()));
    if (!this.error) {
      this.mode = 'resetSent';
      this.rerender();
    }
  }

  private async run(action: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = undefined;
    this.notice = undefined;
    this.rerender();
    try {
      await action();
    } catch (error) {
      this.error = errorText(error);
      this.password = '';
    } finally {
      this.busy = false;
    }
    this.rerender();
    if (this.error) document.getElementById(this.mode === 'signIn' ? 'login-password' : 'reset-login')?.focus();
  }
}

/** When even the login form cannot be had (the server is away): say so, offer to try again. */
export function unavailableScreen(message: string, actions: SettingsActions & { retry(): void }): HTMLElement {
  return authPage(
    t('signInTitle'),
    actions,
    h('p', { class: 'error', role: 'alert' }, message),
    h('button', { type: 'button', class: 'primary', 'data-key': 'retry', onclick: () => actions.retry() }, t('retry')),
  );
}
