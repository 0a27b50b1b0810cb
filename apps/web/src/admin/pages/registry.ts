import { h } from '../../dom';
import type { Reply } from '../../api';
import type { PageContext } from '../console';
import { at } from '../i18n';
import { errorMessage, form, list, pager, table } from '../ui';

type TemplateRow = Reply<'GET /admin/templates'>['items'][number];
type AppRow = Reply<'GET /admin/apps'>['items'][number];

const LIMIT = 50;

/** Templates: name and the apps they grant. */
export function templatesPage({ api, refresh }: PageContext) {
  let offset = 0;
  let page: Pick<Reply<'GET /admin/templates'>, 'items' | 'total'> = { items: [], total: 0 };
  let editing: TemplateRow | null | undefined;
  const load = async () => {
    page = await api.call('GET /admin/templates', { query: { offset, limit: LIMIT } });
  };
  return {
    load,
    render() {
      return [
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', 'data-key': 'template-new', onclick: () => ((editing = null), refresh()) }, at('newTemplate')),
        ),
        table(
          at('navTemplates'),
          [at('name'), at('navApps'), ''],
          page.items.map((template) => [
            template.name,
            template.apps.join(', '),
            h(
              'span',
              { class: 'row-actions' },
              h(
                'button',
                { type: 'button', 'aria-label': `${at('edit')} ${template.name}`, onclick: () => ((editing = template), refresh()) },
                at('edit'),
              ),
              h(
                'button',
                {
                  type: 'button',
                  class: 'danger',
                  'aria-label': `${at('delete')} ${template.name}`,
                  onclick: () =>
                    void api
                      .call('DELETE /admin/templates/:id', { params: { id: template.id }, query: {} })
                      .then(load)
                      .then(refresh),
                },
                at('delete'),
              ),
            ),
          ]),
        ),
        pager('templates', offset, LIMIT, page.total, (next) => {
          offset = next;
          void load().then(refresh);
        }),
        editing === undefined
          ? null
          : h(
              'section',
              { class: 'panel', 'aria-labelledby': 'template-form-title' },
              h('h2', { id: 'template-form-title' }, editing ? editing.name : at('newTemplate')),
              form(
                'template',
                [...(editing ? [] : [{ name: 'name', label: 'name' as const, required: true }]), { name: 'apps', label: 'appsField' }],
                { apps: editing?.apps.join(', ') ?? '' },
                async (values) => {
                  if (editing)
                    await api.call('PATCH /admin/templates/:id', {
                      params: { id: editing.id },
                      query: {},
                      body: { apps: list(values.apps) },
                    });
                  else await api.call('POST /admin/templates', { body: { name: values.name as string, apps: list(values.apps) } });
                  editing = undefined;
                  await load();
                  refresh();
                },
                editing ? 'save' : 'create',
              ),
            ),
      ];
    },
  };
}

/** 32 random bytes, base64url: a new shared secret made in the browser, sent once and shown once. */
const newSecret = (): string => {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
};

/** Apps: every flag of seed 000, provided APIs, and a new shared secret shown once. */
export function appsPage({ api, refresh }: PageContext) {
  let offset = 0;
  let page: Pick<Reply<'GET /admin/apps'>, 'items' | 'total'> = { items: [], total: 0 };
  let editing: AppRow | null | undefined;
  let notice = '';
  const load = async () => {
    page = await api.call('GET /admin/apps', { query: { offset, limit: LIMIT } });
  };
  const rotate = async (app: AppRow) => {
    const secret = newSecret();
    try {
      await api.call('PATCH /admin/apps/:id', { params: { id: app.id }, query: {}, body: { secret } });
      notice = at('secretOnce', { secret });
      await load();
    } catch (error) {
      notice = errorMessage(error);
    }
    refresh();
  };
  return {
    load,
    render() {
      return [
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', 'data-key': 'app-new', onclick: () => ((editing = null), refresh()) }, at('newApp')),
        ),
        notice ? h('p', { class: 'status secret', role: 'status' }, notice) : null,
        table(
          at('navApps'),
          [at('appId'), at('name'), at('url'), at('hidden'), at('apis'), ''],
          page.items.map((app) => [
            app.id,
            app.name,
            app.url,
            app.hidden ? at('yes') : at('no'),
            app.apis.join(', '),
            h(
              'span',
              { class: 'row-actions' },
              h(
                'button',
                { type: 'button', 'aria-label': `${at('edit')} ${app.id}`, onclick: () => ((editing = app), refresh()) },
                at('edit'),
              ),
              h(
                'button',
                { type: 'button', 'aria-label': `${at('rotateSecret')} ${app.id}`, onclick: () => void rotate(app) },
                at('rotateSecret'),
              ),
              h(
                'button',
                {
                  type: 'button',
                  class: 'danger',
                  'aria-label': `${at('delete')} ${app.id}`,
                  onclick: () =>
                    void api
                      .call('DELETE /admin/apps/:id', { params: { id: app.id }, query: {} })
                      .then(load)
                      .then(refresh),
                },
                at('delete'),
              ),
            ),
          ]),
        ),
        pager('apps', offset, LIMIT, page.total, (next) => {
          offset = next;
          void load().then(refresh);
        }),
        editing === undefined
          ? null
          : h(
              'section',
              { class: 'panel', 'aria-labelledby': 'app-form-title' },
              h('h2', { id: 'app-form-title' }, editing ? editing.id : at('newApp')),
              form(
                'app',
                [
                  ...(editing ? [] : [{ name: 'id', label: 'appId' as const, required: true }]),
                  { name: 'name', label: 'name', required: true },
                  { name: 'url', label: 'url', type: 'url', required: true },
                  { name: 'hidden', label: 'hidden', type: 'checkbox' },
                  { name: 'plainWebsite', label: 'plainWebsite', type: 'checkbox' },
                  { name: 'websocket', label: 'websocket', type: 'checkbox' },
                  { name: 'deviceApp', label: 'deviceApp', type: 'checkbox' },
                  { name: 'apis', label: 'apis' },
                ],
                { ...(editing ?? {}), apis: editing?.apis.join(', ') ?? '' },
                async (values) => {
                  const body = {
                    name: values.name as string,
                    url: values.url as string,
                    hidden: values.hidden as boolean,
                    plainWebsite: values.plainWebsite as boolean,
                    websocket: values.websocket as boolean,
                    deviceApp: values.deviceApp as boolean,
                    apis: list(values.apis),
                  };
                  if (editing) await api.call('PATCH /admin/apps/:id', { params: { id: editing.id }, query: {}, body });
                  else await api.call('POST /admin/apps', { body: { id: values.id as string, ...body } });
                  editing = undefined;
                  await load();
                  refresh();
                },
                editing ? 'save' : 'create',
              ),
            ),
      ];
    },
  };
}
