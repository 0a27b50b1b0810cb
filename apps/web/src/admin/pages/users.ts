import { h } from '../../dom';
import { formatTime } from '../../i18n';
import type { Reply } from '../../api';
import type { PageContext } from '../console';
import { at } from '../i18n';
import { errorMessage, form, list, pager, table, type Field } from '../ui';
import { homeScreenSection, type HomeScreen } from './home-editor';
import { apiKeysSection, devicesSection, lockSection } from './user-access';

type UserRow = Reply<'GET /admin/users'>['items'][number];
type SessionRow = Reply<'GET /admin/users/:id/sessions'>['sessions'][number];

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
  let page: Pick<Reply<'GET /admin/users'>, 'items' | 'total'> = { items: [], total: 0 };
  let selected: { user: UserRow; sessions: SessionRow[]; home: HomeScreen; appIds: string[]; sections?: HTMLElement[] } | undefined;
  let creating = false;
  let notice = '';

  const load = async () => {
    page = await api.call('GET /admin/users', { query: { offset, limit: LIMIT, q: q || undefined } });
  };
  const open = async (id: string) => {
    const [user, sessions, home] = await Promise.all([
      api.call('GET /admin/users/:id', { params: { id } }),
      api.call('GET /admin/users/:id/sessions', { params: { id } }),
      api.call('GET /admin/users/:id/homescreen', { params: { id } }).catch((): HomeScreen => ({ raw: '', groups: [] })),
    ]);
    const apps = await api
      .call('GET /admin/apps', { query: { limit: 200, domain: user.domain } })
      .catch((): Pick<Reply<'GET /admin/apps'>, 'items'> => ({ items: [] }));
    selected = {
      user,
      sessions: sessions.sessions,
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
            username: values.username as string,
            ...(values.displayName ? { displayName: values.displayName as string } : {}),
            ...(values.email ? { email: values.email as string } : {}),
            ...(values.password ? { password: values.password as string } : {}),
            admin: values.admin as boolean,
            templates: list(values.templates),
            apps: list(values.apps),
          };
          const user = await api.call('POST /admin/users', { body });
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
          displayName: values.displayName as string,
          email: (values.email as string) || null,
          admin: values.admin as boolean,
          templates: list(values.templates),
          apps: list(values.apps),
        };
        const saved = await api.call('PATCH /admin/users/:id', { params: { id: user.id }, body });
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
              onclick: () =>
                run(
                  api
                    .call('DELETE /admin/users/:id/sessions/:sessionId', { params: { id: user.id, sessionId: session.id } })
                    .then(() => open(user.id)),
                ),
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
                api.call('POST /auth/password-reset', { auth: false, body: { login: `${user.username}@${user.domain}` } }).then(() => {
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
