import { h } from '../../dom';
import { formatTime } from '../../i18n';
import type { PageContext } from '../console';
import { at } from '../i18n';
import { form, pager, table } from '../ui';

interface AuditRow {
  id: string;
  type: string;
  outcome: string;
  userId: string | null;
  login: string | null;
  ip: string | null;
  domain: string | null;
  details: Record<string, unknown> | null;
  at: string;
}

const TYPES = ['login', 'lockout', 'approval', 'password_reset', 'external_user.deleted', 'admin.change', 'passkey', 'operator'];
const OUTCOMES = [
  'success',
  'failure',
  'throttled',
  'locked',
  'done',
  'requested',
  'approved',
  'rejected',
  'wrong_code',
  'changed',
  'cancelled',
  'unavailable',
  'refused',
  'registered',
  'removed',
  'cloned',
];
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
  let filters: Record<string, string> = {};
  /** What the filter form shows (local times as typed). */
  let shown: Record<string, unknown> = {};
  let offset = 0;
  let page: { items: AuditRow[]; total: number } = { items: [], total: 0 };
  let retention: { retentionDays: number } | undefined;

  const query = (extra: Record<string, string | number>) => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries({ ...filters, ...extra }))
      if (value !== '' && value !== undefined) params.set(name, String(value));
    return params.toString();
  };
  const load = async () => {
    page = await api.request('GET', `/admin/audit?${query({ offset, limit: LIMIT })}`);
    if (role.installation && !retention) retention = await api.request('GET', '/admin/audit/settings');
  };
  const exportCsv = async () => {
    const rows: AuditRow[] = [];
    for (let at = 0; at < EXPORT_MAX; at += 500) {
      const chunk = await api.request<{ items: AuditRow[]; total: number }>('GET', `/admin/audit?${query({ offset: at, limit: 500 })}`);
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
            filters = {
              user: String(values.user ?? ''),
              type: String(values.type ?? ''),
              outcome: String(values.outcome ?? ''),
              from: toIso(values.from),
              to: toIso(values.to),
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
                  retention = await api.request('PUT', '/admin/audit/settings', { body: { retentionDays: values.retentionDays } });
                },
              ),
            )
          : null,
      ];
    },
  };
}
