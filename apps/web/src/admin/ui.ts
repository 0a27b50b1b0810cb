import { ApiError } from '../api';
import { h, type Child } from '../dom';
import type { AdminKey } from './i18n/en';
import { at } from './i18n';

export type FieldType = 'text' | 'email' | 'password' | 'number' | 'url' | 'checkbox' | 'select' | 'textarea' | 'datetime-local' | 'pem';

export interface Field {
  name: string;
  label: AdminKey;
  /** Shown instead of the label's words (names that need no translation, e.g. event types). */
  labelText?: string;
  type?: FieldType;
  options?: Array<{ value: string; label: string }>;
  required?: boolean;
  autocomplete?: string;
}

/** A readable sentence for an error code of the API, in the console's language. */
export function errorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return at('errGeneric', { message: String((error as Error)?.message ?? error) });
  const byCode: Partial<Record<string, AdminKey>> = {
    validation_failed: 'errValidation',
    unknown_field: 'errUnknownField',
    forbidden: 'errForbidden',
    not_found: 'errNotFound',
    user_exists: 'errExists',
    app_exists: 'errExists',
    template_exists: 'errExists',
    email_exists: 'errEmailExists',
    weak_password: 'errWeakPassword',
    outbound_not_allowed: 'errOutbound',
    conflict: 'errConflict',
    homescreen_too_large: 'errHomeScreen',
    homescreen_malformed: 'errHomeScreen',
    rate_limited: 'errRateLimited',
    two_factor_lockout: 'errTwoFactorLockout',
    service_unavailable: 'errUnavailable',
    payload_too_large: 'errTooLarge',
  };
  const key = byCode[error.code];
  // The server's own message says which rule the value broke; the code's sentence says what it means.
  return key ? `${at(key)} (${error.code}: ${error.message})` : at('errGeneric', { message: `${error.code}: ${error.message}` });
}

let ids = 0;
const nextId = (name: string) => `f-${name}-${++ids}`;

/**
 * A labelled form whose server errors show beside the field they concern (`details.field`), others
 * above the buttons. `submit` gets the values typed per field type; a resolved string is shown as status.
 */
export function form(
  key: string,
  fields: Field[],
  values: Record<string, unknown>,
  submit: (values: Record<string, unknown>) => Promise<string | void>,
  submitLabel: AdminKey = 'save',
  extra: Child = null,
): HTMLFormElement {
  const inputs = new Map<
    string,
    { input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement; error: HTMLElement; type: FieldType }
  >();
  const general = h('p', { class: 'error', role: 'alert', hidden: true });
  const status = h('p', { class: 'status', role: 'status' });
  const rows = fields.map((field) => {
    const id = nextId(field.name);
    const type = field.type ?? 'text';
    const error = h('span', { class: 'field-error', id: `${id}-error`, hidden: true });
    const value = values[field.name];
    const common = {
      id,
      name: field.name,
      'data-key': `${key}-${field.name}`,
      'aria-describedby': `${id}-error`,
      required: field.required,
    };
    let input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    if (type === 'select') {
      input = h(
        'select',
        common,
        ...(field.options ?? []).map((option) => h('option', { value: option.value, selected: option.value === value }, option.label)),
      );
    } else if (type === 'textarea' || type === 'pem') {
      input = h('textarea', { ...common, rows: 4 }, value === undefined || value === null ? '' : String(value));
    } else {
      input = h('input', {
        ...common,
        type,
        autocomplete: field.autocomplete ?? (type === 'password' ? 'new-password' : 'off'),
        ...(type === 'checkbox' ? { checked: value === true } : { value: value === undefined || value === null ? '' : String(value) }),
      });
    }
    inputs.set(field.name, { input, error, type });
    if (type === 'pem') return pemField(id, field, input as HTMLTextAreaElement, error);
    return type === 'checkbox'
      ? h('div', { class: 'field check' }, input, h('label', { for: id }, field.labelText ?? at(field.label)), error)
      : h('div', { class: 'field' }, h('label', { for: id }, field.labelText ?? at(field.label)), input, error);
  });
  const button = h('button', { type: 'submit', 'data-key': `${key}-submit` }, at(submitLabel));
  const element = h(
    'form',
    { class: 'admin-form', 'data-form': key, novalidate: true },
    ...rows,
    general,
    h('div', { class: 'actions' }, button, extra),
    status,
  );
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    for (const { input, error } of inputs.values()) {
      error.hidden = true;
      input.removeAttribute('aria-invalid');
    }
    general.hidden = true;
    status.textContent = '';
    const collected: Record<string, unknown> = {};
    for (const [name, { input, type }] of inputs) {
      if (type === 'checkbox') collected[name] = (input as HTMLInputElement).checked;
      else if (type === 'number') collected[name] = input.value === '' ? undefined : Number(input.value);
      else collected[name] = input.value;
    }
    button.disabled = true;
    submit(collected)
      .then((message) => {
        status.textContent = message ?? at('saved');
      })
      .catch((error: unknown) => {
        // `details.field` may be a path (`oidc.issuer`, `apps.0`): the input of its first or last part.
        const path = error instanceof ApiError && typeof error.details?.field === 'string' ? error.details.field.split('.') : [];
        const target = inputs.get(path[0] ?? '') ?? inputs.get(path.filter((part) => !/^\d+$/.test(part)).pop() ?? '');
        if (target) {
          target.error.textContent = errorMessage(error);
          target.error.hidden = false;
          target.input.setAttribute('aria-invalid', 'true');
          target.input.focus();
        } else {
          general.textContent = errorMessage(error);
          general.hidden = false;
        }
      })
      .finally(() => (button.disabled = false));
  });
  return element;
}

/** A PEM text area with a file upload beside it: the chosen file's text replaces the area's (nothing leaves the browser until saved). */
function pemField(id: string, field: Field, area: HTMLTextAreaElement, error: HTMLElement): HTMLElement {
  const upload = h('input', {
    id: `${id}-file`,
    type: 'file',
    accept: '.pem,.crt,.cer,application/x-pem-file,application/x-x509-ca-cert',
    'data-key': `${area.dataset.key ?? field.name}-file`,
    onchange: (event: Event) => {
      const file = (event.target as HTMLInputElement).files?.[0];
      if (file) void file.text().then((text) => (area.value = text.trim()));
    },
  });
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, field.labelText ?? at(field.label)),
    area,
    h('label', { for: `${id}-file`, class: 'file-label' }, at('uploadPem')),
    upload,
    error,
  );
}

/** A table with a caption (for screen readers) and one header row. */
export function table(caption: string, headers: string[], rows: Child[][]): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'muted' }, at('none'));
  return h(
    'div',
    { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption },
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, ...headers.map((header) => h('th', { scope: 'col' }, header)))),
      h('tbody', {}, ...rows.map((cells) => h('tr', {}, ...cells.map((cell) => h('td', {}, cell))))),
    ),
  );
}

/** Previous / next under a paged list. */
export function pager(key: string, offset: number, limit: number, total: number, go: (offset: number) => void): HTMLElement {
  const to = Math.min(offset + limit, total);
  return h(
    'nav',
    { class: 'pager', 'aria-label': at('pageOf', { from: total === 0 ? 0 : offset + 1, to, total }) },
    h(
      'button',
      { type: 'button', 'data-key': `${key}-prev`, disabled: offset === 0, onclick: () => go(Math.max(0, offset - limit)) },
      at('previous'),
    ),
    h('span', {}, at('pageOf', { from: total === 0 ? 0 : offset + 1, to, total })),
    h('button', { type: 'button', 'data-key': `${key}-next`, disabled: to >= total, onclick: () => go(offset + limit) }, at('next')),
  );
}

export const list = (value: unknown): string[] =>
  String(value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
