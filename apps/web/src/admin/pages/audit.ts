import { h } from '../../dom';
import { AuditOutcomes, AuditTypes } from '@gatehouse/contracts/src/auth/audit-types';
import { formatTime } from '../../i18n';
import type { ApiRoutes, RouteRequest } from '@gatehouse/contracts';
import type { Reply } from '../../api';
import type { PageContext } from '../console';
import { at } from '../i18n';
import { form, pager, table } from '../ui';

type AuditPage = Reply<'GET /admin/audit'>;
type AuditRow = AuditPage['items'][number];
/** The filters of the form; empty ones are left out of the query. */
type AuditFilters = Omit<RouteRequest<ApiRoutes['GET /admin/audit']>['query'], 'offset' | 'limit'>;

const TYPES = AuditTypes;
const OUTCOMES: readonly NonNullable<AuditFilters['outcome']>[] = AuditOutcomes;
const LIMIT = 50;
/** The CSV export reads at most this many rows (the API's page limit, pages joined). */
const EXPORT_MAX = 5000;

const csvCell = (value: unknown): string => {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  // A leading = + - @ would be a formula in a spreadsheet: quoted with an apostrophe.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
};

/** Audit log: filters (user, type, outcome, time range), paging, CSV export; retention for installation admins. */
export function auditPage({ api, role, refresh }: PageContext) {
  let filters: AuditFilters = {};
  /** What the filter form shows (local times as typed). */
  let shown: Record<string, unknown> = {};
  let offset = 0;
  let page: Pick<AuditPage, 'items' | 'total'> = { items: [], total: 0 };
  let retention: Reply<'GET /admin/audit/settings'> | undefined;

  const query = (offset: number, limit: number) => ({ ...filters, offset, limit });
  const load = async () => {
    page = await api.call('GET /admin/audit', { query: query(offset, LIMIT) });
    if (role.installation && !retention) retention = await api.call('GET /admin/audit/settings');
  };
  const exportCsv = async () => {
    const rows: AuditRow[] = [];
    for (let at = 0; at < EXPORT_MAX; at += 500) {
      const chunk = await api.call('GET /admin/audit', { query: query(at, 500) });
      rows.push(...chunk.items);
      if (rows.length >= chunk.total || chunk.items.length === 0) break;
    }
    const header = ['at', 'type', 'outcome', 'domain', 'userId', 'login', 'ip', 'details'];
    const lines = [
      header.join(','),
      ...rows.map((row) => [row.at, row.type, row.outcome, row.domain, row.userId, row.login, row.ip, row.details].map(csvCell).join(',')),
    ];
    const link = h('a', {
      href: URL.createObjectURL(new Blob([`${lines.join('\r\n')}\r\n`], { type: 'text/csv' })),
      download: 'audit.csv',
    });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  };
  const toIso = (local: unknown) => (local ? new Date(String(local)).toISOString() : '');

  return {
    load,
    render() {
      return [
        form(
          'audit-filter',
          [
            { name: 'user', label: 'filterUser' },
            {
              name: 'type',
              label: 'filterType',
              type: 'select',
              options: [{ value: '', label: at('any') }, ...TYPES.map((value) => ({ value, label: value }))],
            },
            {
              name: 'outcome',
              label: 'filterOutcome',
              type: 'select',
              options: [{ value: '', label: at('any') }, ...OUTCOMES.map((value) => ({ value, label: value }))],
            },
            { name: 'from', label: 'filterFrom', type: 'datetime-local' },
            { name: 'to', label: 'filterTo', type: 'datetime-local' },
          ],
          shown,
          async (values) => {
            // The select offers only declared types and outcomes; an empty field is no filter.
            const given = (value: string) => value || undefined;
            filters = {
              user: given(String(values.user ?? '')),
              type: given(String(values.type ?? '')) as AuditFilters['type'],
              outcome: given(String(values.outcome ?? '')) as AuditFilters['outcome'],
              from: given(toIso(values.from)),
              to: given(toIso(values.to)),
            };
            shown = values;
            offset = 0;
            await load();
            refresh();
          },
          'apply',
          h('button', { type: 'button', 'data-key': 'audit-export', onclick: () => void exportCsv() }, at('exportCsv')),
        ),
        table(
          at('navAudit'),
          [at('when'), at('filterType'), at('filterOutcome'), at('filterUser'), at('domain'), 'IP', at('details')],
          page.items.map((row) => [
            formatTime(row.at),
            row.type,
            row.outcome,
            row.login ?? row.userId ?? '',
            row.domain ?? '—',
            row.ip ?? '',
            h('code', {}, row.details ? JSON.stringify(row.details) : ''),
          ]),
        ),
        pager('audit', offset, LIMIT, page.total, (next) => {
          offset = next;
          void load().then(refresh);
        }),
        role.installation && retention
          ? h(
              'section',
              { class: 'panel', 'aria-labelledby': 'retention-title' },
              h('h2', { id: 'retention-title' }, at('retentionDays')),
              form(
                'retention',
                [{ name: 'retentionDays', label: 'retentionDays', type: 'number', required: true }],
                retention,
                async (values) => {
                  retention = await api.call('PUT /admin/audit/settings', { body: { retentionDays: values.retentionDays as number } });
                },
              ),
            )
          : null,
      ];
    },
  };
}
