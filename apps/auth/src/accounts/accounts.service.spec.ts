import { AccountsSubjects, DirectorySubjects } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import type { NatsClient } from '@gatehouse/platform';
import type { PasswordsService } from '../passwords/passwords.service';
import { AccountsService } from './accounts.service';

const ACTOR = { kind: 'admin', userId: '00000000-0000-4000-8000-000000000001', domain: 'tenant.example' } as const;
const USER_ID = '00000000-0000-4000-8000-000000000002';
const DETAILS = { id: USER_ID, domain: 'tenant.example', username: 'newbie', templates: [], apps: [], devices: [] };

/** directory as a fake: answers by subject; `refuse` makes one subject fail with a code. */
function setup({ refuse = {} as Record<string, string>, weakPassword = false } = {}) {
  const sent: [string, unknown][] = [];
  const nats = {
    send: jest.fn(async (subject: string, payload: unknown) => {
      sent.push([subject, payload]);
      if (refuse[subject]) throw new AppError(refuse[subject] as 'not_found', 'refused');
      if (subject === DirectorySubjects.userCreate) return { user: { id: USER_ID } };
      return { user: DETAILS };
    }),
  };
  const passwords = {
    set: jest.fn(async () => {
      if (weakPassword) throw new AppError('weak_password', 'too weak');
    }),
  };
  const sut = new AccountsService(nats as unknown as NatsClient, passwords as unknown as PasswordsService);
  return { sut, sent, passwords };
}

describe(`AccountsService (${AccountsSubjects.create}, ${AccountsSubjects.update})`, () => {
  it("creates the user in the administrator's own domain with the actor, then sets the password", async () => {
    const { sut, sent, passwords } = setup();
    expect(await sut.create({ actor: ACTOR, username: 'newbie', password: 'a long enough secret' })).toEqual(DETAILS);
    expect(sent[0]).toEqual([DirectorySubjects.userCreate, { actor: ACTOR, username: 'newbie', domain: 'tenant.example' }]);
    expect(passwords.set).toHaveBeenCalledWith(USER_ID, 'a long enough secret');
  });

  it('deletes the new user again when the password is refused, and answers the refusal', async () => {
    const { sut, sent } = setup({ weakPassword: true });
    await expect(sut.create({ actor: ACTOR, username: 'newbie', password: 'short' })).rejects.toMatchObject({ code: 'weak_password' });
    expect(sent.map(([subject]) => subject)).toEqual([DirectorySubjects.userCreate, DirectorySubjects.userDelete]);
    expect(sent[1][1]).toEqual({ userId: USER_ID });
  });

  it('sets no password for a user the administrator does not reach', async () => {
    const { sut, sent, passwords } = setup({ refuse: { [DirectorySubjects.userDetailsGet]: 'not_found' } });
    await expect(sut.update({ actor: ACTOR, userId: USER_ID, patch: { password: 'a long enough secret' } })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(passwords.set).not.toHaveBeenCalled();
    expect(sent.map(([subject]) => subject)).toEqual([DirectorySubjects.userDetailsGet]);
  });

  it('sets the password before the profile, so a refused password changes nothing', async () => {
    const { sut, sent } = setup({ weakPassword: true });
    await expect(sut.update({ actor: ACTOR, userId: USER_ID, patch: { displayName: 'X', password: 'short' } })).rejects.toMatchObject({
      code: 'weak_password',
    });
    expect(sent.map(([subject]) => subject)).not.toContain(DirectorySubjects.userUpdate);
  });

  it('leaves the password alone when an administrator takes away their own admin flag (directory refuses that)', async () => {
    const { sut, passwords, sent } = setup({ refuse: { [DirectorySubjects.userUpdate]: 'forbidden' } });
    const own = { actor: ACTOR, userId: ACTOR.userId, patch: { admin: false, password: 'a long enough secret' } };
    await expect(sut.update(own)).rejects.toMatchObject({ code: 'forbidden' });
    expect(passwords.set).not.toHaveBeenCalled();
    expect(sent.at(-1)).toEqual([DirectorySubjects.userUpdate, { actor: ACTOR, userId: ACTOR.userId, patch: { admin: false } }]);
  });

  it('changes a profile without a password in one request', async () => {
    const { sut, sent } = setup();
    await sut.update({ actor: ACTOR, userId: USER_ID, patch: { displayName: 'Renamed' } });
    expect(sent).toEqual([[DirectorySubjects.userUpdate, { actor: ACTOR, userId: USER_ID, patch: { displayName: 'Renamed' } }]]);
  });
});
