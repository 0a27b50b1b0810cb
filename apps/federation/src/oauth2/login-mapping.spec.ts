import { directoryLogins } from './login-mapping';

describe('directoryLogins', () => {
  it('looks a verified email up as itself', () => {
    expect(directoryLogins({ email: 'alice@idp.example' }, null, 'pbx.example')).toEqual(['alice@idp.example']);
  });

  it('never looks a UPN up by itself: it is a name in the provider, not a proven address', () => {
    expect(directoryLogins({ upn: 'admin@pbx.example' }, null, 'pbx.example')).toEqual([]);
    expect(directoryLogins({ upn: 'admin@pbx.example' }, 'ad.example', 'pbx.example')).toEqual([]);
  });

  it('treats users of the OAuth2 domain as members of the PBX domain (seed 001), by email and by UPN', () => {
    expect(directoryLogins({ upn: 'Carol@AD.example' }, 'ad.example', 'pbx.example')).toEqual(['Carol@pbx.example']);
    expect(directoryLogins({ email: 'dave@ad.example', upn: 'dave@ad.example' }, 'ad.example', 'pbx.example')).toEqual([
      'dave@pbx.example',
    ]);
    expect(directoryLogins({ email: 'erin@other.example', upn: 'erin@ad.example' }, 'ad.example', 'pbx.example')).toEqual([
      'erin@other.example',
      'erin@pbx.example',
    ]);
  });
});
