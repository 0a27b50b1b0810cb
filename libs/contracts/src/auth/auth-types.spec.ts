import { AuthType } from './auth-settings.contract';
import { AUTH_TYPE_ALLOWS } from './auth-types';

describe('AUTH_TYPE_ALLOWS', () => {
  it('has a row for every authentication type, and each type allows what its name says', () => {
    expect(Object.keys(AUTH_TYPE_ALLOWS).sort()).toEqual([...AuthType.options].sort());
    for (const type of AuthType.options) {
      const allows = AUTH_TYPE_ALLOWS[type];
      expect(allows.pbxPassword).toBe(type.split('+').includes('pbx'));
      expect(allows.windowsPassword).toBe(type.includes('netlogon'));
      expect(allows.oauth2).toBe(type.includes('oauth2'));
    }
  });

  it('offers the password form (and so the reset) whenever some password is accepted', () => {
    for (const allows of Object.values(AUTH_TYPE_ALLOWS)) expect(allows.passwordForm).toBe(allows.pbxPassword || allows.windowsPassword);
    expect(AUTH_TYPE_ALLOWS.oauth2.passwordForm).toBe(false);
  });
});
