import type { Api } from '../api';
import { h } from '../dom';
import { formatTime, t } from '../i18n';
import { addPasskey, passkeysSupported } from '../passkeys';
import type { PasskeyView } from '../types';
import { errorText } from './errors';

/** Account security's passkeys: add one by name, each with when it was added and last used, remove it. */
export class PasskeysPanel {
  private passkeys?: PasskeyView[];
  private error?: string;
  private busy = false;
  private name = '';

  constructor(
    private readonly api: Api,
    private readonly rerender: () => void,
  ) {}

  async load(): Promise<void> {
    try {
      this.passkeys = (await this.api.call('GET /me/passkeys')).passkeys;
      this.error = undefined;
    } catch (error) {
      this.error = errorText(error);
    }
    this.rerender();
  }

  render(): HTMLElement {
    return h(
      'section',
      { class: 'passkeys', 'aria-labelledby': 'passkeys-title' },
      h('h2', { id: 'passkeys-title' }, t('passkeysTitle')),
      h('p', {}, t('passkeysIntro')),
      this.error ? h('p', { class: 'error', role: 'alert' }, this.error) : null,
      this.passkeys && this.passkeys.length === 0 ? h('p', {}, t('passkeyNone')) : null,
      h(
        'ul',
        { class: 'sessions' },
        (this.passkeys ?? []).map((passkey) =>
          h(
            'li',
            { class: 'session', 'data-testid': 'passkey', 'data-passkey': passkey.id },
            h('div', { class: 'session-head' }, h('strong', {}, passkey.name)),
            h(
              'dl',
              { class: 'facts' },
              h('dt', {}, t('passkeyAdded')),
              h('dd', {}, h('time', { datetime: passkey.createdAt }, formatTime(passkey.createdAt))),
              h('dt', {}, t('lastUsed')),
              h(
                'dd',
                {},
                passkey.lastUsedAt ? h('time', { datetime: passkey.lastUsedAt }, formatTime(passkey.lastUsedAt)) : t('passkeyNeverUsed'),
              ),
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'danger',
                'data-key': `passkey-remove-${passkey.id}`,
                'aria-label': t('passkeyRemoveNamed', { name: passkey.name }),
                onclick: () => void this.remove(passkey),
              },
              t('passkeyRemove'),
            ),
          ),
        ),
      ),
      passkeysSupported()
        ? h(
            'form',
            { class: 'stack', onsubmit: (e: Event) => void this.add(e) },
            h('label', { for: 'passkey-name' }, t('passkeyName')),
            h('input', {
              id: 'passkey-name',
              'data-key': 'passkey-name',
              required: true,
              maxlength: 100,
              value: this.name,
              oninput: (e: Event) => (this.name = (e.target as HTMLInputElement).value),
            }),
            h('button', { type: 'submit', class: 'primary', 'data-key': 'passkey-add', disabled: this.busy }, t('passkeyAdd')),
          )
        : null,
    );
  }

  private async add(event: Event): Promise<void> {
    event.preventDefault();
    await this.run(async () => {
      await addPasskey(this.api, this.name.trim());
      this.name = '';
    });
  }

  private async remove(passkey: PasskeyView): Promise<void> {
    await this.run(() => this.api.call('DELETE /me/passkeys/:id', { params: { id: passkey.id } }));
  }

  private async run(action: () => Promise<unknown>): Promise<void> {
    this.busy = true;
    this.error = undefined;
    this.rerender();
    try {
      await action();
    } catch (error) {
      this.error = errorText(error);
    } finally {
      this.busy = false;
    }
    await this.load();
  }
}
