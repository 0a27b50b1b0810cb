import { authContract } from './auth/auth.contract';
import { authSettingsContract } from './auth/auth-settings.contract';
import { auditContract } from './auth/audit.contract';
import { webhooksContract } from './auth/webhooks.contract';
import { approvalsContract } from './auth/approvals.contract';
import { loginContract } from './auth/login.contract';
import { passwordResetContract } from './auth/password-reset.contract';
import { operatorContract } from './auth/operator.contract';
import { passkeysContract } from './auth/passkeys.contract';
import { opaqueContract } from './auth/opaque.contract';
import { accountsContract } from './auth/accounts.contract';
import { accountLockContract } from './auth/account-lock.contract';
import { directoryContract } from './directory/directory.contract';
import { federationContract } from './federation/federation.contract';
import { mailerContract } from './mailer/mailer.contract';
import { sessionsContract } from './sessions/sessions.contract';
import { oidcContract } from './directory/oidc.contract';
import { webOriginsContract } from './directory/web-origins.contract';
import { ownAccountContract } from './auth/own-account.contract';
import { callsContract } from './common/calls';
import type { EventContract, RequestContract } from './contract';
import type { z } from 'zod';

export * from './contract';
export * from './strip';
export * from './common/health';
export * from './common/schemas';
export * from './common/actor';
export * from './common/principal';
export * from './common/calls';
export * from './auth/auth.contract';
export * from './auth/auth-settings.contract';
export * from './auth/audit.contract';
export * from './auth/webhooks.contract';
export * from './auth/auth-schemas';
export * from './auth/auth-types';
export * from './auth/login.contract';
export * from './auth/approvals.contract';
export * from './auth/password-reset.contract';
export * from './auth/operator.contract';
export * from './auth/passkeys.contract';
export * from './gateway/passkeys.http';
export * from './auth/opaque.contract';
export * from './auth/accounts.contract';
export * from './auth/account-lock.contract';
export * from './gateway/opaque.http';
export * from './directory/directory.contract';
export * from './federation/federation.contract';
export * from './mailer/mailer.contract';
export * from './sessions/sessions.contract';
export * from './gateway/auth.http';
export * from './gateway/oauth2.http';
export * from './gateway/mail-config.http';
export * from './gateway/approvals.http';
export * from './gateway/auth-config.http';
export * from './directory/directory.http';
export * from './directory/oidc.contract';
export * from './directory/web-origins.contract';
export * from './auth/own-account.contract';
/** The window-message protocol between the web client and its apps (browser bundles import './app-runtime' directly). */
export * as AppProtocol from './app-runtime';

/** Every subject of the system, so a caller cannot send what no contract declares. */
export const contracts = {
  ...authContract,
  ...authSettingsContract,
  ...auditContract,
  ...webhooksContract,
  ...loginContract,
  ...approvalsContract,
  ...passwordResetContract,
  ...operatorContract,
  ...passkeysContract,
  ...opaqueContract,
  ...accountsContract,
  ...accountLockContract,
  ...sessionsContract,
  ...directoryContract,
  ...federationContract,
  ...mailerContract,
  ...oidcContract,
  ...webOriginsContract,
  ...ownAccountContract,
  ...callsContract,
};
export type Contracts = typeof contracts;

export type RequestSubject = { [K in keyof Contracts]: Contracts[K] extends { kind: 'request' } ? K : never }[keyof Contracts];
export type EventSubject = { [K in keyof Contracts]: Contracts[K] extends { kind: 'event' } ? K : never }[keyof Contracts];

type ReqSchema<S extends RequestSubject> = Contracts[S] extends RequestContract<infer R, z.ZodType> ? R : never;
type ResSchema<S extends RequestSubject> = Contracts[S] extends RequestContract<z.ZodType, infer R> ? R : never;
type EventSchema<S extends EventSubject> = Contracts[S] extends EventContract<infer P> ? P : never;

/** What a caller sends (before defaults are applied). */
export type RequestOf<S extends RequestSubject> = z.input<ReqSchema<S>>;
/** What a handler receives (after validation). */
export type ParsedRequestOf<S extends RequestSubject> = z.output<ReqSchema<S>>;
export type ReplyOf<S extends RequestSubject> = z.output<ResSchema<S>>;
export type ReplyInputOf<S extends RequestSubject> = z.input<ResSchema<S>>;
export type EventOf<S extends EventSubject> = z.output<EventSchema<S>>;
export type EventInputOf<S extends EventSubject> = z.input<EventSchema<S>>;

export function requestContract<S extends RequestSubject>(subject: S): RequestContract {
  const contract = contracts[subject] as RequestContract | EventContract | undefined;
  if (!contract || contract.kind !== 'request') throw new Error(`${String(subject)} is not a request subject`);
  return contract;
}

export function eventContract<S extends EventSubject>(subject: S): EventContract {
  const contract = contracts[subject] as RequestContract | EventContract | undefined;
  if (!contract || contract.kind !== 'event') throw new Error(`${String(subject)} is not an event subject`);
  return contract;
}
export * from './api';
