import { h } from '../dom';
import { icon } from '../icons';
import { decodePart, itemLabel, itemRoute } from '../home-screen';
import { t } from '../i18n';
import type { HomeScreenGroup, UserAppView } from '../types';

export interface HomeActions {
  toggleEditing(): void;
  toggleGroup(groupIndex: number): void;
  removeItem(groupIndex: number, itemIndex: number): void;
  addItem(groupIndex: number, appId: string): void;
  addGroup(name: string): void;
  deleteGroup(groupIndex: number): void;
  /** The tile's context action (long press, right click): opens its menu, or closes it with undefined. */
  openTileMenu?(tile: { g: number; i: number } | undefined): void;
  /** Makes the app this device's standard app for the API (seed 000: long press on a phone tile). */
  makeStandard?(api: string, appId: string): void;
}

export interface HomeState {
  groups: HomeScreenGroup[] | undefined;
  apps: UserAppView[] | undefined;
  editing: boolean;
  error?: string;
  /** Counts the apps set with setBadge (app-host.ts), by app id. */
  badges?: ReadonlyMap<string, number>;
  /** Presence the apps set for their items (`appId?query`). */
  itemPresence?: ReadonlyMap<string, string>;
  /** The tile whose context menu is open. */
  tileMenu?: { g: number; i: number };
  /** This device's standard phone app. */
  standardPhone?: string;
}

/** Tiles in groups that collapse; in edit mode items and groups are added and removed. */
export function homeView(state: HomeState, actions: HomeActions): HTMLElement {
  const { groups, apps, editing } = state;
  const appsById = new Map((apps ?? []).map((app) => [app.id, app]));
  return h(
    'section',
    { class: 'view', 'aria-labelledby': 'view-title' },
    h(
      'div',
      { class: 'view-head' },
      h('h1', { id: 'view-title' }, t('navHome')),
      groups
        ? h(
            'button',
            { type: 'button', 'data-key': 'home-edit', 'aria-pressed': String(editing), onclick: () => actions.toggleEditing() },
            editing ? t('done') : t('edit'),
          )
        : null,
    ),
    state.error ? h('p', { class: 'error', role: 'alert' }, state.error) : null,
    !groups ? h('p', { role: 'status' }, t('loading')) : null,
    groups && groups.length === 0 ? h('p', { class: 'empty' }, t('homeEmpty')) : null,
    (groups ?? []).map((group, g) => groupView(group, g, appsById, editing, actions, state)),
    editing ? newGroupForm(actions) : null,
  );
}

function groupView(
  group: HomeScreenGroup,
  g: number,
  appsById: Map<string, UserAppView>,
  editing: boolean,
  actions: HomeActions,
  state: HomeState,
): HTMLElement {
  const name = group.name === null ? null : decodePart(group.name);
  const listId = `home-group-${g}`;
  const expanded = !group.collapsed || group.name === null;
  return h(
    'section',
    { class: 'group', 'data-testid': 'home-group', 'aria-label': name ?? t('navHome') },
    name === null
      ? null
      : h(
          'div',
          { class: 'group-head' },
          h(
            'h2',
            {},
            h(
              'button',
              {
                type: 'button',
                class: 'group-toggle',
                'data-key': `group-toggle-${g}`,
                'aria-expanded': String(expanded),
                'aria-controls': listId,
                onclick: () => actions.toggleGroup(g),
              },
              h('span', { class: 'chevron', 'aria-hidden': 'true' }),
              name,
            ),
          ),
          editing
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'icon danger',
                  'data-key': `group-delete-${g}`,
                  'aria-label': t('deleteGroup', { group: name }),
                  title: t('deleteGroup', { group: name }),
                  onclick: () => actions.deleteGroup(g),
                },
                icon('trash'),
              )
            : null,
        ),
    expanded
      ? h(
          'ul',
          { class: 'tiles', id: listId },
          group.items.map((item, i) => {
            const app = appsById.get(item.app);
            const label = itemLabel(item, app?.name);
            const badge = state.badges?.get(item.app);
            const presence = state.itemPresence?.get(`${item.app}?${item.query ?? ''}`);
            const phone = app?.apis.includes('phone') ?? false;
            const menuOpen = state.tileMenu?.g === g && state.tileMenu.i === i;
            return h(
              'li',
              {
                class: 'tile',
                'data-testid': 'home-tile',
                'data-app': item.app,
                oncontextmenu: (e: Event) => {
                  if (!actions.openTileMenu) return;
                  e.preventDefault();
                  actions.openTileMenu(menuOpen ? undefined : { g, i });
                },
              },
              h(
                'a',
                { href: itemRoute(item), 'data-key': `tile-${g}-${i}` },
                appIcon(app),
                h(
                  'span',
                  { class: 'tile-label' },
                  presence
                    ? h('span', { class: 'presence-dot', 'data-status': presence, 'data-testid': 'tile-presence', title: presence })
                    : null,
                  label,
                ),
              ),
              badge
                ? h(
                    'span',
                    { class: 'badge', 'data-testid': 'tile-badge', 'aria-label': t('badge', { count: badge }) },
                    badge > 99 ? '99+' : badge,
                  )
                : null,
              phone && state.standardPhone === item.app ? h('span', { class: 'tile-standard' }, t('standardPhone')) : null,
              menuOpen
                ? h(
                    'div',
                    { class: 'tile-menu', role: 'group', 'aria-label': label },
                    phone && actions.makeStandard && state.standardPhone !== item.app
                      ? h(
                          'button',
                          {
                            type: 'button',
                            'data-key': `tile-standard-${g}-${i}`,
                            onclick: () => (actions.makeStandard!('phone', item.app), actions.openTileMenu?.(undefined)),
                          },
                          t('makeStandardPhone'),
                        )
                      : null,
                    h(
                      'button',
                      {
                        type: 'button',
                        'data-key': `tile-unpin-${g}-${i}`,
                        onclick: () => (actions.removeItem(g, i), actions.openTileMenu?.(undefined)),
                      },
                      t('removeItem', { name: label }),
                    ),
                  )
                : null,
              editing
                ? h(
                    'button',
                    {
                      type: 'button',
                      class: 'icon remove',
                      'data-key': `tile-remove-${g}-${i}`,
                      'aria-label': t('removeItem', { name: label }),
                      title: t('removeItem', { name: label }),
                      onclick: () => actions.removeItem(g, i),
                    },
                    icon('close'),
                  )
                : null,
            );
          }),
        )
      : null,
    editing && expanded ? addItemForm(g, name ?? t('navHome'), [...appsById.values()], actions) : null,
  );
}

export function appIcon(app: UserAppView | undefined): HTMLElement {
  // Icons come from the app's own server; a broken one leaves the initial letter.
  const letter = h('span', { class: 'icon-letter', 'aria-hidden': 'true' }, (app?.name ?? '?').slice(0, 1).toUpperCase());
  if (!app) return h('span', { class: 'app-icon' }, letter);
  const img = h('img', { src: app.iconUrl, alt: '', width: 48, height: 48, loading: 'lazy', referrerpolicy: 'no-referrer' });
  img.addEventListener('error', () => img.remove());
  return h('span', { class: 'app-icon' }, letter, img);
}

function addItemForm(g: number, groupName: string, apps: UserAppView[], actions: HomeActions): HTMLElement | null {
  if (apps.length === 0) return null;
  const id = `home-add-${g}`;
  const select = h(
    'select',
    { id, 'data-key': id },
    apps.map((app) => h('option', { value: app.id }, app.name)),
  );
  return h(
    'form',
    { class: 'inline', onsubmit: (e: Event) => (e.preventDefault(), actions.addItem(g, select.value)) },
    h('label', { for: id }, t('addApp', { group: groupName })),
    select,
    h('button', { type: 'submit', 'data-key': `${id}-submit` }, t('add')),
  );
}

function newGroupForm(actions: HomeActions): HTMLElement {
  const input = h('input', { id: 'home-new-group', 'data-key': 'home-new-group', required: true, maxlength: 200, autocomplete: 'off' });
  return h(
    'form',
    {
      class: 'inline new-group',
      onsubmit: (e: Event) => {
        e.preventDefault();
        if (input.value.trim()) actions.addGroup(input.value);
      },
    },
    h('label', { for: 'home-new-group' }, t('groupName')),
    input,
    h('button', { type: 'submit', 'data-key': 'home-new-group-submit' }, t('newGroup')),
  );
}
