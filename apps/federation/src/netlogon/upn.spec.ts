import { upnOf } from './netlogon.verifier';

describe('upnOf', () => {
  it('appends the configured domain to an account name and keeps a UPN of that domain', () => {
    expect(upnOf('bob', 'corp.example')).toBe('bob@corp.example');
    expect(upnOf('bob@CORP.example', 'corp.example')).toBe('bob@corp.example');
    expect(upnOf('first.last+tag', 'corp.example')).toBe('first.last+tag@corp.example');
  });

  it('refuses another domain and names that are no account name', () => {
    expect(upnOf('bob@other.example', 'corp.example')).toBeNull();
    expect(upnOf('uid=admin,dc=corp,dc=example', 'corp.example')).toBeNull();
    expect(upnOf('CORP\\bob', 'corp.example')).toBeNull();
    expect(upnOf('a@b@corp.example', 'corp.example')).toBeNull();
    expect(upnOf('@corp.example', 'corp.example')).toBeNull();
  });
});
