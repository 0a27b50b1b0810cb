import type { Api, Reply } from '../../api';
import { h, replace } from '../../dom';
import { at } from '../i18n';
import { errorMessage, form } from '../ui';

export type HomeScreen = Reply<'GET /admin/users/:id/homescreen'>;
type Group = HomeScreen['groups'][number];

const clone = (groups: Group[]): Group[] => groups.map((group) => ({ ...group, items: group.items.map((item) => ({ ...item })) }));

/**
 * A user's home screen ("Home Screen Apps") edited as groups and items, with the stored string beside
 * it: saving either side answers both forms, so each shows what the other did. Items of apps the user
 * lost stay (the admin sees the string as stored); an item's query and fragment are kept as they were.
 */
export function homeScreenSection(api: Api, userId: string, initial: HomeScreen, appIds: string[]): HTMLElement {
  let home: HomeScreen = { raw: initial.raw, groups: clone(initial.groups) };
  let groups = clone(home.groups);
  const structured = h('div', { class: 'home-groups' });
  const rawSide = h('div', { class: 'home-raw' });
  const status = h('p', { class: 'status', role: 'status', 'data-status': 'home' });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const datalist = h('datalist', { id: 'home-app-ids' }, ...appIds.map((id) => h('option', { value: id })));

  /** Both forms as the server answered; the side that was saved keeps its element (and its status line). */
  const saved = (next: HomeScreen, side: 'groups' | 'raw') => {
    home = next;
    groups = clone(next.groups);
    if (side === 'groups') draw();
    else drawGroups();
  };

  const move = <T>(list: T[], index: number, by: number) => {
    const target = index + by;
    if (target < 0 || target >= list.length) return;
    [list[index], list[target]] = [list[target]!, list[index]!];
  };

  const drawGroups = () => {
    replace(
      structured,
      datalist,
      ...groups.map((group, g) => {
        const label = group.name || at('untitledGroup', { n: g + 1 });
        return h(
          'fieldset',
          { class: 'home-group', 'data-group': String(g) },
          h('legend', {}, label),
          h(
            'div',
            { class: 'field' },
            h('label', { for: `home-g${g}-name` }, at('groupName')),
            h('input', {
              id: `home-g${g}-name`,
              'data-key': `home-g${g}-name`,
              value: group.name ?? '',
              autocomplete: 'off',
              oninput: (event: Event) => (group.name = (event.target as HTMLInputElement).value || null),
            }),
          ),
          h(
            'div',
            { class: 'field check' },
            h('input', {
              id: `home-g${g}-collapsed`,
              type: 'checkbox',
              'data-key': `home-g${g}-collapsed`,
              checked: group.collapsed,
              onchange: (event: Event) => (group.collapsed = (event.target as HTMLInputElement).checked),
            }),
            h('label', { for: `home-g${g}-collapsed` }, at('collapsed')),
          ),
          h(
            'ul',
            { class: 'edit-list' },
            ...group.items.map((item, i) =>
              h(
                'li',
                { class: 'edit-row' },
                h(
                  'div',
                  { class: 'field' },
                  h('label', { for: `home-g${g}-i${i}` }, at('itemApp')),
                  h('input', {
                    id: `home-g${g}-i${i}`,
                    'data-key': `home-g${g}-i${i}`,
                    list: 'home-app-ids',
                    value: item.app,
                    autocomplete: 'off',
                    oninput: (event: Event) => (item.app = (event.target as HTMLInputElement).value.trim()),
                  }),
                ),
                h(
                  'span',
                  { class: 'row-actions' },
                  h(
                    'button',
                    {
                      type: 'button',
                      'data-key': `home-g${g}-i${i}-up`,
                      'aria-label': at('moveUp', { name: item.app }),
                      disabled: i === 0,
                      onclick: () => (move(group.items, i, -1), drawGroups()),
                    },
                    '↑',
                  ),
                  h(
                    'button',
                    {
                      type: 'button',
                      'data-key': `home-g${g}-i${i}-down`,
                      'aria-label': at('moveDown', { name: item.app }),
                      disabled: i === group.items.length - 1,
                      onclick: () => (move(group.items, i, 1), drawGroups()),
                    },
                    '↓',
                  ),
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'danger',
                      'data-key': `home-g${g}-i${i}-remove`,
                      'aria-label': at('removeItem', { name: item.app }),
                      onclick: () => (group.items.splice(i, 1), drawGroups()),
                    },
                    at('delete'),
                  ),
                ),
              ),
            ),
          ),
          h(
            'div',
            { class: 'actions' },
            h(
              'button',
              {
                type: 'button',
                'data-key': `home-g${g}-add`,
                'aria-label': at('addItemTo', { name: label }),
                onclick: () => {
                  group.items.push({ app: '' });
                  drawGroups();
                  structured.querySelector<HTMLInputElement>(`#home-g${g}-i${group.items.length - 1}`)?.focus();
                },
              },
              at('addItem'),
            ),
            h(
              'button',
              {
                type: 'button',
                'data-key': `home-g${g}-up`,
                'aria-label': at('moveUp', { name: label }),
                disabled: g === 0,
                onclick: () => (move(groups, g, -1), drawGroups()),
              },
              '↑',
            ),
            h(
              'button',
              {
                type: 'button',
                'data-key': `home-g${g}-down`,
                'aria-label': at('moveDown', { name: label }),
                disabled: g === groups.length - 1,
                onclick: () => (move(groups, g, 1), drawGroups()),
              },
              '↓',
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'danger',
                'data-key': `home-g${g}-remove`,
                onclick: () => (groups.splice(g, 1), drawGroups()),
              },
              // Named in full: beside the items' own Delete buttons it must say what goes.
              at('removeGroup', { name: label }),
            ),
          ),
        );
      }),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            'data-key': 'home-add-group',
            onclick: () => {
              groups.push({ name: null, collapsed: false, items: [] });
              drawGroups();
              structured.querySelector<HTMLInputElement>(`#home-g${groups.length - 1}-name`)?.focus();
            },
          },
          at('addGroup'),
        ),
        h('button', { type: 'button', 'data-key': 'home-save-groups', onclick: () => void saveGroups() }, at('saveGroups')),
      ),
      error,
    );
  };

  const saveGroups = async () => {
    error.hidden = true;
    status.textContent = '';
    try {
      const body = { groups: groups.map((group) => ({ ...group, items: group.items.filter((item) => item.app !== '') })) };
      saved(await api.call('PUT /admin/users/:id/homescreen', { params: { id: userId }, body }), 'groups');
      status.textContent = at('saved');
    } catch (failure) {
      error.textContent = errorMessage(failure);
      error.hidden = false;
    }
  };

  const draw = () => {
    drawGroups();
    replace(
      rawSide,
      form('user-home', [{ name: 'raw', label: 'homeScreen', type: 'textarea' }], { raw: home.raw }, async ({ raw }) => {
        saved(await api.call('PUT /admin/users/:id/homescreen', { params: { id: userId }, body: { raw: raw as string } }), 'raw');
      }),
    );
  };
  draw();
  return h(
    'section',
    { class: 'subpanel', 'aria-labelledby': 'home-title', 'data-section': 'home' },
    h('h3', { id: 'home-title' }, at('homeScreenTitle')),
    h('div', { class: 'home-editor' }, structured, rawSide),
    status,
  );
}
