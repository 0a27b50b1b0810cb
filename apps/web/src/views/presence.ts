import type { Presence } from '@gatehouse/contracts/src/app-runtime/app-protocol';
import { h } from '../dom';
import { t } from '../i18n';
import type { MessageKey } from '../i18n/en';

const STATUSES: Array<[Presence['status'], MessageKey]> = [
  ['available', 'presenceAvailable'],
  ['away', 'presenceAway'],
  ['busy', 'presenceBusy'],
  ['dnd', 'presenceDnd'],
];

/** The own presence in the header: a status to pick and a note, sent with PUT /me/presence. */
export function presenceControl(presence: Presence | undefined, set: (presence: Presence) => void): HTMLElement {
  const status = presence?.status ?? 'available';
  const select = h(
    'select',
    {
      id: 'presence-status',
      'data-key': 'presence-status',
      onchange: () => set({ status: select.value as Presence['status'], ...(note.value.trim() ? { note: note.value.trim() } : {}) }),
    },
    STATUSES.map(([value, key]) => h('option', { value, selected: value === status }, t(key))),
  );
  const note = h('input', {
    id: 'presence-note',
    'data-key': 'presence-note',
    value: presence?.note ?? '',
    maxlength: 200,
    autocomplete: 'off',
    placeholder: t('presenceNote'),
  });
  return h(
    'form',
    {
      class: 'presence inline',
      'data-testid': 'presence',
      onsubmit: (e: Event) => {
        e.preventDefault();
        set({ status: select.value as Presence['status'], ...(note.value.trim() ? { note: note.value.trim() } : {}) });
      },
    },
    h('span', { class: 'presence-dot', 'data-status': status, 'aria-hidden': 'true' }),
    h('label', { for: 'presence-status', class: 'visually-hidden' }, t('presence')),
    select,
    h('label', { for: 'presence-note', class: 'visually-hidden' }, t('presenceNote')),
    note,
    h('button', { type: 'submit', 'data-key': 'presence-save' }, t('presenceSave')),
  );
}
