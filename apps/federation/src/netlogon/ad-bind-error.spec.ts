import { adSubCode, refusalOf } from './ad-bind-error';

describe('AD bind sub-codes', () => {
  it("reads the data sub-code of Active Directory's bind error", () => {
    expect(adSubCode('80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 533, v1db1 Code: 0x31')).toBe('533');
    expect(adSubCode('80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 52E, v4563')).toBe('52e');
    expect(adSubCode('Invalid credentials')).toBeUndefined();
  });

  it('tells an account state only where AD reports it after checking the password', () => {
    expect(refusalOf('52e')).toBeNull();
    expect(refusalOf(undefined)).toBeNull();
    expect(refusalOf('533')).toEqual({ code: 'account_disabled', adCode: '533', proven: true });
    expect(refusalOf('773')).toEqual({ code: 'password_must_change', adCode: '773', proven: true });
    expect(refusalOf('532')).toEqual({ code: 'password_expired', adCode: '532', proven: true });
    expect(refusalOf('701')).toEqual({ code: 'account_expired', adCode: '701', proven: true });
    expect(refusalOf('530')).toMatchObject({ code: 'account_restricted', proven: true });
    expect(refusalOf('531')).toMatchObject({ code: 'account_restricted', proven: true });
    // AD answers 775 for any password once the account is locked, and 525 before looking at one.
    expect(refusalOf('775')).toEqual({ code: 'account_locked', adCode: '775', proven: false });
    expect(refusalOf('525')).toEqual({ code: 'no_such_account', adCode: '525', proven: false });
  });
});
