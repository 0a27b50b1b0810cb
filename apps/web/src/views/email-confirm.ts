import { ApiError, type Api } from '../api';
import { h, type Child } from '../dom';
import { t } from '../i18n';
import { parseRoute } from '../route';
import { authPage } from './auth-page';
import { errorText } from './errors';
import type { SettingsActions } from './settings';

type State = { kind: 'ready' | 'busy' } | { kind: 'done'; email: string } | { kind: 'failed'; error: unknown };

/**
 * `#/account/email/<token>`: a new email address confirmed by its mailed link. Opening the page
 * changes nothing (mail scanners open links); the button sends POST /account/email/:token. The
 * token stays in the fragment, which no server log sees.
 */
export class EmailConfirmPage {
  private state: State = { kind: 'ready' };

  constructor(
    private readonly api: Api,
    readonly token: string,
    private readonly rerender: () => void,
    private readonly confirmed: (email: string) => void = () => undefined,
  ) {}

  /** The page's words and its button, or the outcome. */
  body(): Child[] {
    const state = this.state;
    switch (state.kind) {
      case 'ready':
      case 'busy':
        return [
          h('p', {}, t('emailConfirmIntro')),
          h(
            'button',
            {
              type: 'button',
              class: 'primary',
              'data-key': 'email-confirm',
              disabled: state.kind === 'busy',
              onclick: () => void this.confirm(),
            },
            t('emailConfirm'),
          ),
        ];
      case 'done':
        return [
          h(
            'p',
            { class: 'notice', role: 'status', tabindex: -1, 'data-testid': 'email-confirm-result' },
            t('emailConfirmed', { email: state.email }),
          ),
        ];
      case 'failed':
        return [h('p', { class: 'error', role: 'alert', tabindex: -1, 'data-testid': 'email-confirm-result' }, confirmError(state.error))];
    }
  }

  private async confirm(): Promise<void> {
    this.state = { kind: 'busy' };
    this.rerender();
    try {
      const { email } = await this.api.call('POST /account/email/:token', { params: { token: this.token }, body: {}, auth: false });
      this.state = { kind: 'done', email };
      this.confirmed(email);
    } catch (error) {
      this.state = { kind: 'failed', error };
    }
    this.rerender();
    // The button is gone: the outcome takes the focus, so it is read out and the next step is near.
    document.querySelector<HTMLElement>('[data-testid="email-confirm-result"]')?.focus();
  }
}

function confirmError(error: unknown): string {
  if (error instanceof ApiError && error.code === 'not_found') return t('emailLinkInvalid');
  if (error instanceof ApiError && error.code === 'email_exists') return t('emailTakenNow');
  return errorText(error);
}

/** Inside the signed-in client: the page with a way on to Account security. */
export function emailConfirmView(page: EmailConfirmPage): HTMLElement {
  return h(
    'section',
    { class: 'view', 'aria-labelledby': 'view-title' },
    h('div', { class: 'view-head' }, h('h1', { id: 'view-title' }, t('emailConfirmTitle'))),
    h('div', { class: 'stack email-confirm' }, page.body()),
    h('p', {}, h('a', { href: '#/security', 'data-key': 'email-confirm-security' }, t('toSecurity'))),
  );
}

/**
 * Before sign-in (the link opened on a device that is signed out): the page in the login screens'
 * frame, or undefined when the address is not such a link. `done` goes on to the login form.
 */
export function signedOutEmailConfirm(
  api: Api,
  settings: SettingsActions,
  rerender: () => void,
  done: () => void,
): (() => HTMLElement) | undefined {
  const route = parseRoute(location.hash);
  if (route.name !== 'email-confirm') return undefined;
  const page = new EmailConfirmPage(api, route.token, rerender);
  const toSignIn = () => {
    // Signed in afterwards, the client starts at home, not on this used link.
    history.replaceState(null, '', location.pathname + location.search);
    done();
  };
  return () =>
    authPage(
      t('emailConfirmTitle'),
      settings,
      h('div', { class: 'stack email-confirm' }, page.body()),
      h('p', {}, h('button', { type: 'button', class: 'link', 'data-key': 'email-confirm-signin', onclick: toSignIn }, t('backToSignIn'))),
    );
}
