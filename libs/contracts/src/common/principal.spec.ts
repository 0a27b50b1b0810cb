import { principalOf } from './principal';

describe('principalOf', () => {
  const user = { id: '6f1c1c1e-6c3a-4c1e-9a53-2d1f9f1d1a01', domain: 'example.com', username: 'ann', admin: true, external: false };

  it('keeps an ordinary administrator an administrator', () => {
    expect(principalOf(user)).toEqual({ userId: user.id, domain: 'example.com', username: 'ann', admin: true, external: false });
  });

  it('never makes an external user an administrator, whatever their row says', () => {
    expect(principalOf({ ...user, external: true })).toMatchObject({ admin: false, external: true });
  });

  it('reads a snapshot that names the user by userId', () => {
    const { id, ...rest } = user;
    expect(principalOf({ ...rest, userId: id, external: true })).toEqual({
      userId: id,
      domain: 'example.com',
      username: 'ann',
      admin: false,
      external: true,
    });
  });
});
