import { ApiError, type Api, type Reply } from '../../api';
import { h, replace } from '../../dom';
import { formatTime } from '../../i18n';
import { at } from '../i18n';
import { errorMessage, table } from '../ui';

type LockView = Reply<'GET /admin/users/:id/lock'>;
export type DeviceRow = Reply<'GET /admin/users/:id'>['devices'][number];
type AppRow = Reply<'GET /admin/apps'>['items'][number];

/** A section that draws itself again after each change; `status` is announced to screen readers. */
function section(key: string, title: string) {
  const body = h('div', {});
  const status = h('p', { class: 'status', role: 'status', 'data-status': key });
  const element = h(
    'section',
    { class: 'subpanel', 'aria-labelledby': `${key}-title`, 'data-section': key },
    h('h3', { id: `${key}-title` }, title),
    body,
    status,
  );
  return { element, body, status };
}

/** The user's login waits, and "Lift the lock" (DELETE /admin/users/:id/lock). */
export function lockSection(api: Api, userId: string): HTMLElement {
  const { element, body, status } = section('lock', at('lockTitle'));
  let lock: LockView | undefined;
  const draw = () => {
    if (!lock) return;
    const scopes = [lock.accountLocked ? at('lockAccount') : null, lock.loginLocks > 0 ? at('lockLogin', { count: lock.loginLocks }) : null]
      .filter(Boolean)
      .join('; ');
    replace(
      body,
      h(
        'p',
        { 'data-key': 'lock-state' },
        lock.locked && lock.lockedUntil
          ? at('lockedUntil', { time: formatTime(lock.lockedUntil), scope: scopes, count: lock.accountFailures })
          : at('notLocked', { count: lock.accountFailures }),
      ),
      h(
        'button',
        {
          type: 'button',
          'data-key': 'lock-lift',
          disabled: !lock.locked && lock.accountFailures === 0,
          onclick: () =>
            void api.call('DELETE /admin/users/:id/lock', { params: { id: userId } }).then(
              async ({ lifted }) => {
                await load();
                status.textContent = lifted ? at('lockLifted') : at('nothingToLift');
              },
              (error: unknown) => (status.textContent = errorMessage(error)),
            ),
        },
        at('liftLock'),
      ),
    );
  };
  const load = async () => {
    try {
      lock = await api.call('GET /admin/users/:id/lock', { params: { id: userId } });
      draw();
    } catch (error) {
      status.textContent = errorMessage(error);
    }
  };
  void load();
  return element;
}

/** The user's API keys: name, dates, and Revoke (the user makes keys; the admin sees and ends them). */
export function apiKeysSection(api: Api, userId: string): HTMLElement {
  const { element, body, status } = section('api-keys', at('apiKeys'));
  const load = async () => {
    try {
      const { apiKeys } = await api.call('GET /admin/users/:id/api-keys', { params: { id: userId } });
      replace(
        body,
        table(
          at('apiKeys'),
          [at('name'), at('createdAt'), at('expires'), at('lastUsed'), ''],
          apiKeys.map((key) => [
            key.name,
            formatTime(key.createdAt),
            formatTime(key.expiresAt),
            key.lastUsedAt ? formatTime(key.lastUsedAt) : at('never'),
            h(
              'button',
              {
                type: 'button',
                class: 'danger',
                'data-key': `api-key-revoke-${key.id}`,
                'aria-label': at('revokeKey', { name: key.name }),
                onclick: () =>
                  void api.call('DELETE /admin/users/:id/api-keys/:keyId', { params: { id: userId, keyId: key.id } }).then(
                    async () => {
                      await load();
                      status.textContent = at('keyRevoked', { name: key.name });
                    },
                    (error: unknown) => (status.textContent = errorMessage(error)),
                  ),
              },
              at('revokeShort'),
            ),
          ]),
        ),
      );
    } catch (error) {
      status.textContent = errorMessage(error);
    }
  };
  void load();
  return element;
}

/**
 * Devices with their phone app (seed 000 "Special case: phone apps"): one row per device, the app chosen
 * among the domain's phone apps. Saved as `devices` of PATCH /admin/users/:id; a refused row shows its error beside it.
 */
export function devicesSection(
  api: Api,
  user: Pick<Reply<'GET /admin/users/:id'>, 'id' | 'domain' | 'devices'>,
  saved: (devices: DeviceRow[]) => void,
): HTMLElement {
  const { element, body, status } = section('devices', at('devices'));
  let rows: DeviceRow[] = user.devices.map((row) => ({ ...row }));
  let phoneApps: Array<Pick<AppRow, 'id' | 'name'>> = [];
  let errors = new Map<string, string>();
  let general = '';

  const draw = () => {
    const appOptions = (current: string) => {
      const ids = phoneApps.map((app) => app.id);
      const options = current && !ids.includes(current) ? [{ id: current, name: current }, ...phoneApps] : phoneApps;
      return [
        h('option', { value: '' }, '—'),
        ...options.map((app) => h('option', { value: app.id, selected: app.id === current }, `${app.name} (${app.id})`)),
      ];
    };
    replace(
      body,
      phoneApps.length === 0 ? h('p', { class: 'muted' }, at('noPhoneApps')) : null,
      rows.length === 0 ? h('p', { class: 'muted' }, at('none')) : null,
      h(
        'ul',
        { class: 'edit-list' },
        ...rows.map((row, index) => {
          const deviceId = `device-${index}-name`;
          const appId = `device-${index}-app`;
          const deviceError = errors.get(`${index}.device`);
          const appError = errors.get(`${index}.app`) ?? errors.get(`${index}`);
          return h(
            'li',
            { class: 'edit-row' },
            h(
              'div',
              { class: 'field' },
              h('label', { for: deviceId }, at('deviceName')),
              h('input', {
                id: deviceId,
                'data-key': deviceId,
                value: row.device,
                autocomplete: 'off',
                'aria-invalid': deviceError ? 'true' : undefined,
                'aria-describedby': `${deviceId}-error`,
                oninput: (event: Event) => (row.device = (event.target as HTMLInputElement).value),
              }),
              h('span', { class: 'field-error', id: `${deviceId}-error`, hidden: !deviceError }, deviceError ?? ''),
            ),
            h(
              'div',
              { class: 'field' },
              h('label', { for: appId }, at('phoneApp')),
              h(
                'select',
                {
                  id: appId,
                  'data-key': appId,
                  'aria-invalid': appError ? 'true' : undefined,
                  'aria-describedby': `${appId}-error`,
                  onchange: (event: Event) => (row.app = (event.target as HTMLSelectElement).value),
                },
                ...appOptions(row.app),
              ),
              h('span', { class: 'field-error', id: `${appId}-error`, hidden: !appError }, appError ?? ''),
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'danger',
                'data-key': `device-${index}-remove`,
                'aria-label': at('removeDevice', { device: row.device || String(index + 1) }),
                onclick: () => {
                  rows.splice(index, 1);
                  draw();
                },
              },
              at('delete'),
            ),
          );
        }),
      ),
      general ? h('p', { class: 'error', role: 'alert' }, general) : null,
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            'data-key': 'device-add',
            onclick: () => {
              rows.push({ device: '', app: phoneApps[0]?.id ?? '' });
              draw();
              body.querySelector<HTMLInputElement>(`#device-${rows.length - 1}-name`)?.focus();
            },
          },
          at('addDevice'),
        ),
        h('button', { type: 'button', 'data-key': 'devices-save', onclick: () => void save() }, at('save')),
      ),
    );
  };

  const save = async () => {
    errors = new Map();
    general = '';
    status.textContent = '';
    try {
      const updated = await api.call('PATCH /admin/users/:id', {
        params: { id: user.id },
        body: { devices: rows.map((row) => ({ device: row.device, app: row.app })) },
      });
      rows = updated.devices.map((row) => ({ ...row }));
      saved(updated.devices);
      draw();
      status.textContent = at('saved');
    } catch (error) {
      // `details.field`: `devices.0.app` names the row and its input.
      const field = error instanceof ApiError && typeof error.details?.field === 'string' ? error.details.field : '';
      const match = /^devices\.(\d+)(?:\.(device|app))?/.exec(field);
      if (match) errors.set(match[2] ? `${match[1]}.${match[2]}` : match[1]!, errorMessage(error));
      else general = errorMessage(error);
      draw();
      const invalid = body.querySelector<HTMLElement>('[aria-invalid="true"]');
      invalid?.focus();
    }
  };

  void api
    .call('GET /admin/apps', { query: { limit: 200, domain: user.domain } })
    .then(
      ({ items }) => (phoneApps = items.filter((app) => app.deviceApp)),
      () => undefined,
    )
    .finally(draw);
  draw();
  return element;
}
