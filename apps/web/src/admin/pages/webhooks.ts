import { h } from '../../dom';
import { AuditTypes } from '@gatehouse/contracts/src/auth/audit-types';
import { formatTime } from '../../i18n';
import type { Reply } from '../../api';
import type { PageContext } from '../console';
import { at } from '../i18n';
import { errorMessage, form, table, type Field } from '../ui';

type WebhookRow = Reply<'GET /admin/webhooks'>['items'][number];
type DeliveryRow = Reply<'GET /admin/webhooks/:id/deliveries'>['items'][number];

const TYPES = AuditTypes;

/** Webhooks: endpoints with their event types, the secret shown once, and each endpoint's delivery log. */
export function webhooksPage({ api, refresh }: PageContext) {
  let items: WebhookRow[] = [];
  let creating = false;
  let notice = '';
  let log: { webhook: WebhookRow; deliveries: DeliveryRow[] } | undefined;
  const load = async () => {
    items = (await api.call('GET /admin/webhooks')).items;
  };
  const act = (work: Promise<unknown>) =>
    void work.then(refresh, (error: unknown) => {
      notice = errorMessage(error);
      refresh();
    });
  return {
    load,
    render() {
      return [
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', 'data-key': 'webhook-new', onclick: () => ((creating = true), refresh()) }, at('newWebhook')),
        ),
        notice ? h('p', { class: 'status secret', role: 'status' }, notice) : null,
        table(
          at('navWebhooks'),
          [at('url'), at('domain'), at('eventTypes'), at('enabled'), ''],
          items.map((webhook) => [
            webhook.url,
            webhook.domain ?? '*',
            webhook.eventTypes.join(', '),
            webhook.enabled ? at('yes') : at('no'),
            h(
              'span',
              { class: 'row-actions' },
              h(
                'button',
                {
                  type: 'button',
                  'aria-label': `${at('deliveries')} ${webhook.url}`,
                  onclick: () =>
                    act(
                      api
                        .call('GET /admin/webhooks/:id/deliveries', { params: { id: webhook.id }, query: {} })
                        .then(({ items: deliveries }) => (log = { webhook, deliveries })),
                    ),
                },
                at('deliveries'),
              ),
              h(
                'button',
                {
                  type: 'button',
                  'aria-label': `${at('rotateSecret')} ${webhook.url}`,
                  onclick: () =>
                    act(
                      api
                        .call('POST /admin/webhooks/:id/rotate-secret', { params: { id: webhook.id } })
                        .then(({ secret }) => (notice = at('secretOnce', { secret }))),
                    ),
                },
                at('rotateSecret'),
              ),
              h(
                'button',
                {
                  type: 'button',
                  class: 'danger',
                  'aria-label': `${at('delete')} ${webhook.url}`,
                  onclick: () => act(api.call('DELETE /admin/webhooks/:id', { params: { id: webhook.id } }).then(load)),
                },
                at('delete'),
              ),
            ),
          ]),
        ),
        creating
          ? h(
              'section',
              { class: 'panel', 'aria-labelledby': 'webhook-form-title' },
              h('h2', { id: 'webhook-form-title' }, at('newWebhook')),
              form(
                'webhook',
                [
                  { name: 'url', label: 'url', type: 'url', required: true },
                  ...TYPES.map((type): Field => ({ name: `type:${type}`, label: 'eventTypes', labelText: type, type: 'checkbox' })),
                ],
                { 'type:login': true },
                async (values) => {
                  const eventTypes = TYPES.filter((type) => values[`type:${type}`] === true);
                  const made = await api.call('POST /admin/webhooks', { body: { url: values.url as string, eventTypes } });
                  notice = at('secretOnce', { secret: made.secret });
                  creating = false;
                  await load();
                  refresh();
                },
                'create',
              ),
            )
          : null,
        log
          ? h(
              'section',
              { class: 'panel', 'aria-labelledby': 'deliveries-title' },
              h('h2', { id: 'deliveries-title' }, `${at('deliveries')}: ${log.webhook.url}`),
              table(
                at('deliveries'),
                [at('when'), at('filterType'), at('status'), at('attempts'), at('answer')],
                log.deliveries.map((delivery) => [
                  formatTime(delivery.createdAt),
                  delivery.eventType,
                  delivery.status,
                  delivery.attempts,
                  `${delivery.lastStatus ?? ''} ${delivery.lastError ?? ''}`.trim(),
                ]),
              ),
            )
          : null,
      ];
    },
  };
}
