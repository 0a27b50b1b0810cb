import { h } from '../../dom';
import { formatTime } from '../../i18n';
import type { PageContext } from '../console';
import { at } from '../i18n';
import { errorMessage, form, list, pager, table, type Field } from '../ui';
import { homeScreenSection, type HomeScreen } from './home-editor';
import { apiKeysSection, devicesSection, lockSection, type DeviceRow } from './user-access';

interface UserRow {
  id: string;
  username: string;
  domain: string;
  email: string | null;
  displayName: string;
  admin: boolean;
  templates: string[];
  apps: string[];
  external?: boolean;
  devices?: DeviceRow[];
}
interface SessionRow {
  id: string;
  device: { name: string; platform: string };
  lastUsedAt?: string | null;
  createdAt: string;
  ip?: string | null;
}

const LIMIT = 20;
const profileFields: Field[] = [
  { name: 'displayName', label: 'displayName' },
  { name: 'email', label: 'email', type: 'email' },
  { name: 'admin', label: 'admin', type: 'checkbox' },
  { name: 'templates', label: 'templatesField' },
  { name: 'apps', label: 'appsField' },
];

/** Users: search and paging, create with templates and apps, edit, sessions with remote logout, reset mail, raw home screen. */
export function usersPage({ api, refresh }: PageContext) {
  let q = '';
  let offset = 0;
  let page: { items: UserRow[]; total: number } = { items: [], total: 0 };
  let selected: { user: UserRow; sessions: SessionRow[]; home: HomeScreen; appIds: string[]; sections?: HTMLElement[] } | undefined;
  let creating = false;
  let notice = '';

  const load = async () => {
    page = await api.request('GET', `/admin/users?offset=${offset}&limit=${LIMIT}${q ? `&q=${encodeURIComponent(q)}` : ''}`);
  };
  const open = async (id: string) => {
    const [user, sessions, home] = await Promise.all([
      api.request<UserRow>('GET', `/admin/users/${id}`),
      api.request<{ sessions: SessionRow[] } | SessionRow[]>('GET', `/admin/users/${id}/sessions`),
      api.request<HomeScreen>('GET', `/admin/users/${id}/homescreen`).catch(() => ({ raw: '', groups: [] })),
    ]);
    const apps = await api
      .request<{ items: Array<{ id: string }> }>('GET', `/admin/apps?limit=200&domain=${encodeURIComponent(user.domain)}`)
      .catch(() => ({ items: [] }));
    selected = {
      user,
      sessions: Array.isArray(sessions) ? sessions : sessions.sessions,
      home,
      appIds: apps.items.map((app) => app.id),
    };
    creating = false;
    notice = '';
    refresh();
    document.getElementById('user-detail')?.focus();
  };
  const run = (work: Promise<unknown>) =>
    void work.then(refresh, (error: unknown) => {
      notice = errorMessage(error);
      refresh();
    });

  const searchForm = () => {
    const input = h('input', { id: 'user-search', type: 'search', value: q, 'data-key': 'user-search' });
    return h(
      'form',
      {
        class: 'inline-form',
        role: 'search',
        onsubmit: (event: SubmitEvent) => {
          event.preventDefault();
          q = input.value;
          offset = 0;
          run(load());
        },
      },
      h('label', { for: 'user-search' }, at('search')),
      input,
      h('button', { type: 'submit' }, at('search')),
      h(
        'button',
        { type: 'button', 'data-key': 'user-new', onclick: () => ((creating = true), (selected = undefined), refresh()) },
        at('newUser'),
      ),
    );
  };

  const createForm = () =>
    h(
      'section',
      { 'aria-labelledby': 'user-new-title', class: 'panel' },
      h('h2', { id: 'user-new-title' }, at('newUser')),
      form(
        'user-create',
        [
          { name: 'username', label: 'userName', required: true },
          ...profileFields.slice(0, 2),
          { name: 'password', label: 'initialPassword', type: 'password' },
          ...profileFields.slice(2),
        ],
        {},
        async (values) => {
          const body = {
            username: values.username,
            ...(values.displayName ? { displayName: values.displayName } : {}),
            ...(values.email ? { email: values.email } : {}),
            ...(values.password ? { password: values.password } : {}),
            admin: values.admin,
            templates: list(values.templates),
            apps: list(values.apps),
          };
          const user = await api.request<UserRow>('POST', '/admin/users', { body });
          await load();
          await open(user.id);
        },
        'create',
      ),
    );

  const detail = (current: NonNullable<typeof selected>) => {
    const { user } = current;
    return h(
      'section',
      { id: 'user-detail', class: 'panel', tabindex: '-1', 'aria-labelledby': 'user-detail-title' },
      h('h2', { id: 'user-detail-title' }, `${user.username}@${user.domain}`),
      form('user-edit', profileFields, { ...user, templates: user.templates.join(', '), apps: user.apps.join(', ') }, async (values) => {
        const body = {
          displayName: values.displayName,
          email: values.email || null,
          admin: values.admin,
          templates: list(values.templates),
          apps: list(values.apps),
        };
        const saved = await api.request<UserRow>('PATCH', `/admin/users/${user.id}`, { body });
        current.user = saved;
        await load();
      }),
      h('h3', {}, at('sessions')),
      table(
        at('sessions'),
        [at('name'), at('when'), ''],
        current.sessions.map((session) => [
          session.device.name,
          formatTime(session.lastUsedAt ?? session.createdAt),
          h(
            'button',
            {
              type: 'button',
              class: 'danger',
              'data-key': `revoke-${session.id}`,
              'aria-label': at('revokeSession', { device: session.device.name }),
              onclick: () => run(api.request('DELETE', `/admin/users/${user.id}/sessions/${session.id}`).then(() => open(user.id))),
            },
            at('revoke'),
          ),
        ]),
      ),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            'data-key': 'send-reset',
            onclick: () =>
              run(
                api
                  .request('POST', '/auth/password-reset', { auth: false, body: { login: `${user.username}@${user.domain}` } })
                  .then(() => {
                    notice = at('resetSent');
                  }),
              ),
          },
          at('sendReset'),
        ),
      ),
      // Sections that keep their own state: made once per opened user, so a refresh of the page keeps what is typed in them.
      ...(current.sections ??= [
        devicesSection(api, user, (devices) => (current.user = { ...current.user, devices })),
        homeScreenSection(api, user.id, current.home, current.appIds),
        lockSection(api, user.id),
        apiKeysSection(api, user.id),
      ]),
    );
  };

  return {
    load,
    render() {
      return [
        searchForm(),
        notice ? h('p', { class: 'status', role: 'status' }, notice) : null,
        table(
          at('navUsers'),
          [at('userName'), at('displayName'), at('email'), at('admin'), ''],
          page.items.map((user) => [
            `${user.username}@${user.domain}`,
            user.displayName,
            user.email ?? '',
            user.admin ? at('yes') : at('no'),
            h(
              'button',
              {
                type: 'button',
                'data-key': `edit-${user.id}`,
                'aria-label': `${at('edit')} ${user.username}`,
                onclick: () => run(open(user.id)),
              },
              at('edit'),
            ),
          ]),
        ),
        pager('users', offset, LIMIT, page.total, (next) => {
          offset = next;
          run(load());
        }),
        creating ? createForm() : null,
        selected ? detail(selected) : null,
      ];
    },
  };
}
