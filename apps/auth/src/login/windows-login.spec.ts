import { windowsLogin } from './login-user-finder';

describe('windowsLogin', () => {
  it('splits DOMAIN\\user and user@domain into account and domain', () => {
    expect(windowsLogin('CORP\\alice')).toEqual({ account: 'alice', domain: 'CORP' });
    expect(windowsLogin('frank.smith@corp.example')).toEqual({ account: 'frank.smith', domain: 'corp.example' });
  });

  it('refuses names that are no Windows login', () => {
    for (const login of ['alice', '\\alice', 'CORP\\', 'CORP\\a\\b', 'CORP\\a@b', '@corp.example', 'alice@', 'a@b@c'])
      expect(windowsLogin(login)).toBeNull();
  });
});
