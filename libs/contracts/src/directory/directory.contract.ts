import { z } from 'zod';
import { event, request } from '../contract';
import { HealthPingReq, HealthPingRes, healthSubject } from '../common/health';
import { Domain, IsoDate, Language, Uuid } from '../common/schemas';
import { homeScreenContract } from './home-screen.contract';

export * from './home-screen.contract';

export const DirectorySubjects = {
  health: healthSubject('directory'),
  userGet: 'directory.user.get',
  userFindByLogin: 'directory.user.find-by-login',
  userCreate: 'directory.user.create',
  userCreated: 'directory.user.created',
  userDelete: 'directory.user.delete',
  userDeleted: 'directory.user.deleted',
} as const;

/** A SIP name: what a user types before `@domain`. */
export const Username = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._~!$&'*+=-]+$/, 'must be a SIP user name (letters, digits and . _ ~ ! $ & \' * + = -)');

export const User = z.object({
  id: Uuid,
  domain: Domain,
  username: Username,
  email: z.email().nullable(),
  displayName: z.string(),
  language: Language,
  admin: z.boolean(),
  external: z.boolean(),
  createdAt: IsoDate,
});
export type User = z.infer<typeof User>;

export const UserGetReq = z.object({ userId: Uuid }).strict();
export const UserGetRes = z.object({ user: User.nullable() });

/** `login` is a SIP name, `name@domain` or an email address (seed 000). */
export const UserFindByLoginReq = z.object({ login: z.string().min(1).max(320), defaultDomain: Domain }).strict();
export const UserFindByLoginRes = z.object({ user: User.nullable() });

export const UserCreateReq = z
  .object({
    domain: Domain,
    username: Username,
    email: z.email().optional(),
    displayName: z.string().max(200).optional(),
    language: Language.optional(),
    admin: z.boolean().optional(),
    external: z.boolean().optional(),
  })
  .strict();
export const UserCreateRes = z.object({ user: User });

export const UserCreatedEvent = z.object({ user: User });

export const UserDeleteReq = z.object({ userId: Uuid }).strict();
export const UserDeleteRes = z.object({ deleted: z.boolean() });
/** Owners of per-user data (credentials, sessions, keys) clean up on this. */
export const UserDeletedEvent = z.object({ userId: Uuid, domain: Domain, username: Username, external: z.boolean() });

export const directoryContract = {
  [DirectorySubjects.health]: request(HealthPingReq, HealthPingRes),
  [DirectorySubjects.userGet]: request(UserGetReq, UserGetRes),
  [DirectorySubjects.userFindByLogin]: request(UserFindByLoginReq, UserFindByLoginRes),
  [DirectorySubjects.userCreate]: request(UserCreateReq, UserCreateRes),
  [DirectorySubjects.userCreated]: event(UserCreatedEvent),
  [DirectorySubjects.userDelete]: request(UserDeleteReq, UserDeleteRes),
  [DirectorySubjects.userDeleted]: event(UserDeletedEvent),
  ...homeScreenContract,
};
