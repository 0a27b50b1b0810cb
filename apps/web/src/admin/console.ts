import './console.css';
import type { Api } from '../api';
import { h, replace, type Child } from '../dom';
import { at, loadAdminLanguage } from './i18n';
import type { AdminKey } from './i18n/en';
import { errorMessage } from './ui';
import { authenticationPage, emailPage, myAppsPage } from './pages/settings';
import { usersPage } from './pages/users';
import { appsPage, templatesPage } from './pages/registry';
import { auditPage } from './pages/audit';
import { webhooksPage } from './pages/webhooks';
import { externalUsersPage } from './pages/external-users';

/** What a page gets: the API, who is looking, and a way to render itself again. */
export interface PageContext {
  api: Api;
  role: Role;
  /** Re-renders the current page from its state. */
  refresh(): void;
}

export interface Role {
  installation: boolean;
  domain: string;
}

interface PageDef {
  id: string;
  label: AdminKey;
  /** Installation-wide settings: never offered to domain administrators (the API refuses them too). */
  installationOnly?: boolean;
  make(context: PageContext): { render(): Child; load(): Promise<void> };
}

const PAGES: PageDef[] = [
  { id: 'users', label: 'navUsers', make: usersPage },
  { id: 'external', label: 'navExternal', make: externalUsersPage },
  { id: 'templates', label: 'navTemplates', make: templatesPage },
  { id: 'apps', label: 'navApps', make: appsPage },
  { id: 'myapps', label: 'navMyApps', make: myAppsPage },
  { id: 'authentication', label: 'navAuthentication', installationOnly: true, make: authenticationPage },
  { id: 'email', label: 'navEmail', installationOnly: true, make: emailPage },
  { id: 'audit', label: 'navAudit', make: auditPage },
  { id: 'webhooks', label: 'navWebhooks', make: webhooksPage },
];

/** `#/admin/<page>`: the page id, or null when the hash is not the console's. */
export const consolePage = (hash: string): string | null => {
  const match = /^#\/admin(?:\/([a-z]+))?\/?$/.exec(hash.split('?')[0] ?? '');
  return match ? (match[1] ?? '') : null;
};

/**
 * The administration console: a lazily loaded part of the web client (its own bundle and words).
 * Shows each administrator only the pages of their role; the services refuse the rest anyway.
 */
export class AdminConsole {
  readonly element = h('div', { class: 'admin' });
  private role?: Role;
  private page?: { def: PageDef; view: { render(): Child; load(): Promise<void> } };
  private error?: string;
  private readonly onHashChange = () => void this.open();

  constructor(private readonly api: Api) {}

  async start(): Promise<void> {
    await loadAdminLanguage();
    window.addEventListener('hashchange', this.onHashChange);
    try {
      const me = await this.api.call('GET /me');
      if (!me.admin) {
        this.error = at('notAdmin');
      } else {
        // Only installation administrators may read the installation's authentication settings.
        const installation = await this.api.call('GET /admin/config/authentication').then(
          () => true,
          () => false,
        );
        this.role = { installation, domain: me.domain };
      }
    } catch (error) {
      this.error = errorMessage(error);
    }
    await this.open();
  }

  stop(): void {
    window.removeEventListener('hashchange', this.onHashChange);
  }

  /** After a language change: the console's words follow the client's. */
  async relabel(): Promise<void> {
    await loadAdminLanguage();
    this.render();
  }

  private pages(): PageDef[] {
    return PAGES.filter((page) => !page.installationOnly || this.role?.installation);
  }

  private async open(): Promise<void> {
    const id = consolePage(location.hash);
    if (id === null || !this.role) return this.render();
    const def = this.pages().find((page) => page.id === id) ?? this.pages()[0]!;
    if (this.page?.def !== def) {
      const context: PageContext = { api: this.api, role: this.role, refresh: () => this.renderMain() };
      this.page = { def, view: def.make(context) };
      this.error = undefined;
      this.render();
      this.main.setAttribute('aria-busy', 'true');
      await this.page.view.load().catch((error: unknown) => {
        this.error = errorMessage(error);
      });
      this.main.removeAttribute('aria-busy');
      this.renderMain();
      document.getElementById('admin-main')?.focus();
    }
  }

  private readonly main = h('main', { id: 'admin-main', class: 'admin-main', tabindex: '-1' });

  render(): void {
    const role = this.role;
    const current = this.page?.def.id;
    replace(
      this.element,
      h(
        'a',
        { class: 'skip', href: '#admin-main', onclick: (event: MouseEvent) => (event.preventDefault(), this.main.focus()) },
        at('title'),
      ),
      h(
        'header',
        { class: 'admin-top' },
        h('p', { class: 'admin-title' }, at('title')),
        role
          ? h('p', { class: 'muted admin-role' }, role.installation ? at('roleInstallation') : at('roleDomain', { domain: role.domain }))
          : null,
        h('a', { href: '#/home', class: 'admin-back' }, at('backToApps')),
      ),
      role
        ? h(
            'nav',
            { class: 'admin-nav', 'aria-label': at('title') },
            h(
              'ul',
              {},
              ...this.pages().map((page) =>
                h(
                  'li',
                  {},
                  h(
                    'a',
                    { href: `#/admin/${page.id}`, 'aria-current': page.id === current ? 'page' : undefined, 'data-key': `nav-${page.id}` },
                    at(page.label),
                  ),
                ),
              ),
            ),
          )
        : null,
      this.main,
    );
    this.renderMain();
  }

  private renderMain(): void {
    const def = this.page?.def;
    replace(
      this.main,
      def ? h('h1', { id: 'admin-heading' }, at(def.label)) : h('h1', { id: 'admin-heading' }, at('title')),
      this.error ? h('p', { class: 'error', role: 'alert' }, this.error) : null,
      this.page ? this.page.view.render() : this.role ? null : h('p', {}, this.error ? null : '…'),
    );
  }
}
