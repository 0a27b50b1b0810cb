import { ApiError, type Api } from '../api';
import { h, type Child } from '../dom';
import { LANGUAGES, currentLanguage, isLanguage, t, type Language } from '../i18n';
import type { Profile, SessionView } from '../types';
import { errorText } from './errors';

/** RECENT_SIGN_IN_MS of the contracts (a value import would bring zod into the bundle): the server decides either way. */
const RECENT_SIGN_IN_MS = 5 * 60_000;

type Section = 'password' | 'others' | 'profile' | 'email' | 'autodelete';
/** Said in the language on screen at each redraw, so a language change retells it. */
type Message = { ok: boolean; text: () => string };

export interface AccountSettingsActions {
  /** Redraws the Account security view. */
  rerender(): void;
  /** Other sessions ended: the sessions list is read again. */
  sessionsChanged(): void;
  /** The saved profile: the header's name, and the language applied to the UI. */
  profileChanged(profile: Profile): void;
  setLanguage(language: Language): void;
}

/**
 * The account's own settings in "Account security" (issue 19): the password, "Log out all other
 * devices", display name and language, the email address (changed by a mailed link), and an
 * external user's autodelete. Typed values live here, so a redraw (a push, a reload of the sessions)
 * keeps them; passwords are dropped once sent.
 */
export class AccountSettingsPanel {
  private profile?: Profile;
  private autodelete?: boolean;
  private loadError?: string;
  private readonly messages: Partial<Record<Section, Message>> = {};
  private readonly busy = new Set<Section>();
  private password = { current: '', next: '', again: '', endOthers: false };
  /** The server asked for the current password though this session looked recent. */
  private currentRequired = false;
  private confirmingOthers = false;
  private draft: { displayName?: string; language?: Language; email: string } = { email: '' };

  constructor(
    private readonly api: Api,
    private readonly actions: AccountSettingsActions,
  ) {}

  async load(): Promise<void> {
    try {
      this.profile = await this.api.call('GET /me');
      if (this.profile.external) this.autodelete = (await this.api.call('GET /me/autodelete')).autodelete;
      this.loadError = undefined;
    } catch (error) {
      this.loadError = errorText(error);
    }
    this.actions.rerender();
  }

  /** The button beside the sessions list, and the sections after it. */
  render(sessions: SessionView[] | undefined): { afterSessions: HTMLElement; sections: HTMLElement[] } {
    const profile = this.profile;
    return {
      afterSessions: this.othersSection(sessions),
      sections: [
        this.loadError ? h('p', { class: 'error', role: 'alert' }, this.loadError) : null,
        profile && !profile.external ? this.passwordSection(sessions) : null,
        profile ? this.profileSection(profile) : null,
        profile && !profile.external ? this.emailSection(profile) : null,
        profile?.external && this.autodelete !== undefined ? this.autodeleteSection(this.autodelete) : null,
      ].filter((section): section is HTMLElement => section !== null),
    };
  }

  private message(section: Section): Child {
    const message = this.messages[section];
    if (!message) return null;
    return h(
      'p',
      { class: message.ok ? 'notice' : 'error', role: message.ok ? 'status' : 'alert', 'data-testid': `${section}-message` },
      message.text(),
    );
  }

  private othersSection(sessions: SessionView[] | undefined): HTMLElement {
    const others = sessions?.filter((session) => !session.current).length;
    return h(
      'div',
      { class: 'stack account-others' },
      h('p', { class: 'muted', id: 'others-intro' }, t('logOutOthersIntro')),
      this.message('others'),
      this.confirmingOthers
        ? h(
            'div',
            { class: 'confirm', role: 'group', 'aria-labelledby': 'others-question' },
            h('p', { id: 'others-question' }, t('logOutOthersConfirm', { count: others ?? '?' })),
            h(
              'div',
              { class: 'actions' },
              h('button', { type: 'button', 'data-key': 'others-cancel', onclick: () => this.confirmOthers(false) }, t('cancel')),
              h(
                'button',
                {
                  type: 'button',
                  class: 'primary danger-fill',
                  'data-key': 'others-yes',
                  disabled: this.busy.has('others'),
                  onclick: () => void this.logOutOthers(),
                },
                t('logOutOthersYes'),
              ),
            ),
          )
        : h(
            'button',
            {
              type: 'button',
              class: 'danger',
              'data-key': 'others-ask',
              'aria-describedby': 'others-intro',
              onclick: () => this.confirmOthers(true),
            },
            t('logOutOthers'),
          ),
    );
  }

  private passwordSection(sessions: SessionView[] | undefined): HTMLElement {
    const current = sessions?.find((session) => session.current);
    const recent = !this.currentRequired && !!current && Date.now() - Date.parse(current.createdAt) < RECENT_SIGN_IN_MS;
    const field = (key: 'current' | 'next' | 'again', id: string, autocomplete: string, required: boolean, hint?: string) =>
      h('input', {
        id,
        type: 'password',
        'data-key': id,
        autocomplete,
        required,
        maxlength: 1024,
        'aria-describedby': hint,
        value: this.password[key],
        oninput: (e: Event) => (this.password[key] = (e.target as HTMLInputElement).value),
      });
    return h(
      'section',
      { class: 'account-section', 'aria-labelledby': 'password-title' },
      h('h2', { id: 'password-title' }, t('accountPassword')),
      h(
        'form',
        { class: 'stack', 'data-testid': 'password-form', onsubmit: (e: Event) => void this.changePassword(e, recent) },
        // For password managers: whose password this is.
        h('input', { type: 'text', autocomplete: 'username', value: this.profile?.username ?? '', hidden: true, readonly: true }),
        h('label', { for: 'password-current' }, t('currentPassword')),
        field('current', 'password-current', 'current-password', !recent, recent ? 'password-current-hint' : undefined),
        recent ? h('small', { id: 'password-current-hint', class: 'hint' }, t('currentPasswordRecent')) : null,
        h('label', { for: 'password-new' }, t('newPassword')),
        field('next', 'password-new', 'new-password', true, 'password-new-hint'),
        h('small', { id: 'password-new-hint', class: 'hint' }, t('newPasswordHint')),
        h('label', { for: 'password-again' }, t('newPasswordAgain')),
        field('again', 'password-again', 'new-password', true),
        h(
          'label',
          { class: 'check' },
          h('input', {
            type: 'checkbox',
            'data-key': 'password-end-others',
            checked: this.password.endOthers,
            onchange: (e: Event) => (this.password.endOthers = (e.target as HTMLInputElement).checked),
          }),
          t('logOutOtherDevices'),
        ),
        this.message('password'),
        h(
          'button',
          { type: 'submit', class: 'primary', 'data-key': 'password-save', disabled: this.busy.has('password') },
          t('passwordSave'),
        ),
      ),
    );
  }

  private profileSection(profile: Profile): HTMLElement {
    const language = this.draft.language ?? (isLanguage(profile.language) ? profile.language : currentLanguage());
    return h(
      'section',
      { class: 'account-section', 'aria-labelledby': 'profile-title' },
      h('h2', { id: 'profile-title' }, t('profileTitle')),
      h(
        'form',
        { class: 'stack', 'data-testid': 'profile-form', onsubmit: (e: Event) => void this.saveProfile(e) },
        h('label', { for: 'profile-name' }, t('displayName')),
        h('input', {
          id: 'profile-name',
          'data-key': 'profile-name',
          autocomplete: 'name',
          maxlength: 200,
          value: this.draft.displayName ?? profile.displayName,
          oninput: (e: Event) => (this.draft.displayName = (e.target as HTMLInputElement).value),
        }),
        h('label', { for: 'profile-language' }, t('profileLanguage')),
        h(
          'select',
          {
            id: 'profile-language',
            'data-key': 'profile-language',
            onchange: (e: Event) => {
              const value = (e.target as HTMLSelectElement).value;
              if (isLanguage(value)) this.draft.language = value;
            },
          },
          Object.entries(LANGUAGES).map(([code, name]) => h('option', { value: code, lang: code, selected: code === language }, name)),
        ),
        this.message('profile'),
        h('button', { type: 'submit', class: 'primary', 'data-key': 'profile-save', disabled: this.busy.has('profile') }, t('save')),
      ),
    );
  }

  private emailSection(profile: Profile): HTMLElement {
    return h(
      'section',
      { class: 'account-section', 'aria-labelledby': 'email-title' },
      h('h2', { id: 'email-title' }, t('emailTitle')),
      h('p', { 'data-testid': 'email-current' }, profile.email ? t('emailCurrent', { email: profile.email }) : t('emailNone')),
      h(
        'form',
        { class: 'stack', 'data-testid': 'email-form', onsubmit: (e: Event) => void this.requestEmail(e) },
        h('label', { for: 'email-new' }, t('emailNew')),
        h('input', {
          id: 'email-new',
          type: 'email',
          'data-key': 'email-new',
          autocomplete: 'email',
          required: true,
          maxlength: 320,
          value: this.draft.email,
          oninput: (e: Event) => (this.draft.email = (e.target as HTMLInputElement).value),
        }),
        this.message('email'),
        h('button', { type: 'submit', class: 'primary', 'data-key': 'email-send', disabled: this.busy.has('email') }, t('emailSend')),
      ),
    );
  }

  private autodeleteSection(autodelete: boolean): HTMLElement {
    return h(
      'section',
      { class: 'account-section', 'aria-labelledby': 'autodelete-title' },
      h('h2', { id: 'autodelete-title' }, t('autodeleteTitle')),
      h(
        'div',
        { class: 'stack' },
        h(
          'label',
          { class: 'check' },
          h('input', {
            type: 'checkbox',
            'data-key': 'autodelete',
            'aria-describedby': 'autodelete-hint',
            checked: autodelete,
            disabled: this.busy.has('autodelete'),
            onchange: (e: Event) => void this.setAutodelete((e.target as HTMLInputElement).checked),
          }),
          t('autodeleteLabel'),
        ),
        h('small', { id: 'autodelete-hint', class: 'hint' }, t('autodeleteHint')),
        this.message('autodelete'),
      ),
    );
  }

  private confirmOthers(open: boolean): void {
    this.confirmingOthers = open;
    delete this.messages.others;
    this.actions.rerender();
    document.querySelector<HTMLElement>(`[data-key="${open ? 'others-yes' : 'others-ask'}"]`)?.focus();
  }

  private async logOutOthers(): Promise<void> {
    const ok = await this.run('others', async () => {
      const { sessionsEnded } = await this.api.call('POST /me/logout-others');
      return () => (sessionsEnded === 0 ? t('logOutOthersNone') : t('logOutOthersDone', { count: sessionsEnded }));
    });
    this.confirmingOthers = false;
    this.actions.rerender();
    document.querySelector<HTMLElement>('[data-key="others-ask"]')?.focus();
    if (ok) this.actions.sessionsChanged();
  }

  private async changePassword(event: Event, recent: boolean): Promise<void> {
    event.preventDefault();
    const { current, next, again, endOthers } = this.password;
    if (next !== again) {
      this.messages.password = { ok: false, text: () => t('passwordMismatch') };
      return this.actions.rerender();
    }
    const ok = await this.run(
      'password',
      async () => {
        const body = { newPassword: next, endOtherSessions: endOthers, ...(current || !recent ? { currentPassword: current } : {}) };
        const { sessionsEnded } = await this.api.call('POST /me/password', { body });
        return () => (endOthers ? t('passwordChangedEnded', { count: sessionsEnded }) : t('passwordChanged'));
      },
      (error) => {
        if (error instanceof ApiError && error.details?.reason === 'current_password_required') this.currentRequired = true;
        return () => passwordError(error);
      },
    );
    if (ok) {
      this.password = { current: '', next: '', again: '', endOthers: false };
      this.currentRequired = false;
      this.actions.rerender();
      if (endOthers) this.actions.sessionsChanged();
    }
  }

  private async saveProfile(event: Event): Promise<void> {
    event.preventDefault();
    const profile = this.profile;
    if (!profile) return;
    const language = this.draft.language ?? (isLanguage(profile.language) ? profile.language : undefined);
    const saved = await this.run('profile', async () => {
      const body = { displayName: (this.draft.displayName ?? profile.displayName).trim(), ...(language ? { language } : {}) };
      this.profile = await this.api.call('PATCH /me/profile', { body });
      return () => t('profileSaved');
    });
    if (!saved || !this.profile) return;
    this.draft.displayName = undefined;
    this.draft.language = undefined;
    this.actions.profileChanged(this.profile);
    // The saved language becomes this browser's too: the client redraws in it.
    if (language && language !== currentLanguage()) this.actions.setLanguage(language);
  }

  private async requestEmail(event: Event): Promise<void> {
    event.preventDefault();
    const email = this.draft.email.trim();
    if (this.profile?.email && this.profile.email.toLowerCase() === email.toLowerCase()) {
      this.messages.email = { ok: false, text: () => t('emailSame') };
      return this.actions.rerender();
    }
    const ok = await this.run(
      'email',
      async () => {
        const { pendingEmail } = await this.api.call('POST /me/email', { body: { email } });
        return () => t('emailSent', { email: pendingEmail });
      },
      (error) => () => emailError(error),
    );
    if (ok) {
      this.draft.email = '';
      this.actions.rerender();
    }
  }

  private async setAutodelete(autodelete: boolean): Promise<void> {
    await this.run('autodelete', async () => {
      this.autodelete = (await this.api.call('PUT /me/autodelete', { body: { autodelete } })).autodelete;
      return () => t('autodeleteSaved');
    });
  }

  /** One request of a section: busy meanwhile, then its message; true when it succeeded. */
  private async run(
    section: Section,
    action: () => Promise<() => string>,
    describe: (error: unknown) => () => string = (error) => () => errorText(error),
  ): Promise<boolean> {
    this.busy.add(section);
    delete this.messages[section];
    this.actions.rerender();
    let ok = false;
    try {
      this.messages[section] = { ok: true, text: await action() };
      ok = true;
    } catch (error) {
      this.messages[section] = { ok: false, text: describe(error) };
    } finally {
      this.busy.delete(section);
    }
    this.actions.rerender();
    return ok;
  }
}

/** A sentence for each error code POST /me/password declares. */
function passwordError(error: unknown): string {
  if (!(error instanceof ApiError)) return errorText(error);
  switch (error.code) {
    case 'invalid_credentials':
      return t('passwordCurrentWrong');
    case 'forbidden':
      return error.details?.reason === 'current_password_required' ? t('passwordCurrentNeeded') : t('notFromHere');
    case 'weak_password':
      if (error.details?.rule === 'min_length') return t('passwordTooShort', { min: Number(error.details.min) });
      if (error.details?.rule === 'max_length') return t('passwordTooLong', { max: Number(error.details.max) });
      return t('passwordTooCommon');
    case 'unprocessable':
      return t('passwordElsewhere');
    default:
      return errorText(error); // rate_limited says how long to wait (Retry-After)
  }
}

/** A sentence for each error code POST /me/email declares. */
function emailError(error: unknown): string {
  if (!(error instanceof ApiError)) return errorText(error);
  switch (error.code) {
    case 'email_exists':
      return t('emailTaken');
    case 'validation_failed':
      return t('emailInvalid');
    case 'forbidden':
      return t('notFromHere');
    case 'unprocessable':
      return t('emailExternal');
    default:
      return errorText(error);
  }
}
