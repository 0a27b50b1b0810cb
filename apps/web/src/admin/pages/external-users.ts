import { h } from '../../dom';
import { formatTime } from '../../i18n';
import type { Reply } from '../../api';
import type { PageContext } from '../console';
import { at } from '../i18n';
import { form } from '../ui';

type Created = Reply<'POST /admin/external-users'>;

/**
 * External users (seed 002): a one-time guest account with a generated name. The answer is shown once
 * as the name to sign in with; the account goes after its session ends or when it expires unused.
 */
export function externalUsersPage({ api, role }: PageContext) {
  const made: Created[] = [];
  const result = h('div', { 'aria-live': 'polite', 'data-key': 'external-result' });
  const show = () =>
    result.replaceChildren(
      ...made.map((item) => {
        const login = `${item.user.username}@${item.user.domain}`;
        return h(
          'p',
          { class: 'secret-once' },
          at('externalCreated', { login, time: formatTime(item.expiresAt) }),
          ' ',
          h('code', { 'data-key': 'external-login' }, login),
        );
      }),
    );
  return {
    async load() {},
    render() {
      show();
      return [
        h('p', {}, at('externalIntro')),
        form(
          'external-user',
          [{ name: 'displayName', label: 'displayName' }, ...(role.installation ? [{ name: 'domain', label: 'domain' as const }] : [])],
          {},
          async (values) => {
            const body = {
              ...(values.displayName ? { displayName: values.displayName as string } : {}),
              ...(values.domain ? { domain: values.domain as string } : {}),
            };
            made.unshift(await api.call('POST /admin/external-users', { body }));
            show();
            return at('externalDone');
          },
          'newExternal',
        ),
        result,
      ];
    },
  };
}
