import { z } from 'zod';
import { event, request } from '../contract';
import { Actor } from '../common/actor';
import { HealthPingReq, HealthPingRes, healthSubject } from '../common/health';
import { Domain, IsoDate, Language, Uuid } from '../common/schemas';
import { appsContract } from './apps.contract';
import { clientSettingsContract } from './client-settings.contract';
import { homeScreenContract } from './home-screen.contract';
import { presenceContract } from './presence.contract';
import { AppId, DeviceAssignment, DomainScope, PageReq, page } from './registry.schemas';
import { TemplateName, templatesContract } from './templates.contract';

export * from './registry.schemas';
export * from './apps.contract';
export * from './templates.contract';
export * from './client-settings.contract';
export * from './home-screen.contract';
export * from './presence.contract';

export const DirectorySubjects = {
  health: healthSubject('directory'),
  userGet: 'directory.user.get',
  userFindByLogin: 'directory.user.find-by-login',
  userCreate: 'directory.user.create',
  userCreated: 'directory.user.created',
  userDelete: 'directory.user.delete',
  userDeleted: 'directory.user.deleted',
  userDetailsGet: 'directory.user-details.get',
  userList: 'directory.user.list',
  userUpdate: 'directory.user.update',
  userUpdated: 'directory.user.updated',
} as const;

/** A SIP name: what a user types before `@domain`. */
export const Username = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._~!$&'*+=-]+$/, "must be a SIP user name (letters, digits and . _ ~ ! $ & ' * + = -)");

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

/**
 * `actor`: an administrator's request (the gateway's); directory refuses a domain it may not act in.
 * Left out by services acting for the installation (first admin, operator, external users).
 */
const ActedBy = { actor: Actor.optional() };

export const UserCreateReq = z
  .object({
    ...ActedBy,
    domain: Domain,
    username: Username,
    email: z.email().optional(),
    displayName: z.string().max(200).optional(),
    language: Language.optional(),
    admin: z.boolean().optional(),
    external: z.boolean().optional(),
    /** Permissions: templates by name and apps by id, both of the user's domain. */
    templates: z.array(TemplateName).max(1000).optional(),
    apps: z.array(AppId).max(1000).optional(),
    /** Phone apps assigned to the user's devices. */
    devices: z.array(DeviceAssignment).max(100).optional(),
  })
  .strict();
export const UserCreateRes = z.object({ user: User });

/** A user as the admin sees them: the profile, the SIP URI and every permission. */
export const UserDetails = User.extend({
  sipUri: z.string(),
  templates: z.array(TemplateName),
  apps: z.array(AppId),
  devices: z.array(DeviceAssignment),
});
export type UserDetails = z.infer<typeof UserDetails>;

/** Changes an admin may make; lists replace the old ones; `email: null` removes the address. */
export const UserPatch = z
  .object({
    email: z.email().nullable().optional(),
    displayName: z.string().max(200).optional(),
    language: Language.optional(),
    admin: z.boolean().optional(),
    templates: z.array(TemplateName).max(1000).optional(),
    apps: z.array(AppId).max(1000).optional(),
    devices: z.array(DeviceAssignment).max(100).optional(),
  })
  .strict();
export type UserPatch = z.infer<typeof UserPatch>;

/** An administrator's view of one user: a user outside the actor's domains answers not_found. */
export const UserDetailsGetReq = z.object({ actor: Actor, userId: Uuid }).strict();
export const UserDetailsRes = z.object({ user: UserDetails });
/** `q` matches the name, display name or email (case-insensitive substring). */
export const UserListReq = z.object({ ...DomainScope, ...PageReq, q: z.string().max(200).optional() }).strict();
export const UserListRes = page(UserDetails);
/**
 * With an `actor`, a user outside its domains answers not_found and an administrator cannot take
 * away their own admin flag; `domain`, when given, must be the user's too.
 */
export const UserUpdateReq = z.object({ ...ActedBy, domain: Domain.optional(), userId: Uuid, patch: UserPatch }).strict();
/** A user's profile or admin flag changed. */
export const UserUpdatedEvent = z.object({ user: User });

export const UserCreatedEvent = z.object({ user: User });

/** With an `actor`: a user outside its domains, or the actor themselves, is refused (not_found, forbidden). */
export const UserDeleteReq = z.object({ ...ActedBy, userId: Uuid }).strict();
/** `domain`: the deleted user's (for the administrator's audit row). */
export const UserDeleteRes = z.object({ deleted: z.boolean(), domain: Domain.optional() });
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
  [DirectorySubjects.userDetailsGet]: request(UserDetailsGetReq, UserDetailsRes),
  [DirectorySubjects.userList]: request(UserListReq, UserListRes),
  [DirectorySubjects.userUpdate]: request(UserUpdateReq, UserDetailsRes),
  [DirectorySubjects.userUpdated]: event(UserUpdatedEvent),
  ...homeScreenContract,
  ...appsContract,
  ...templatesContract,
  ...clientSettingsContract,
  ...presenceContract,
};
