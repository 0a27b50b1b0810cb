import type { z } from 'zod';
import type { RequestContract } from '../contract';
import { authContract } from '../auth/auth.contract';
import { approvalsContract } from '../auth/approvals.contract';
import { loginContract } from '../auth/login.contract';
import { opaqueContract } from '../auth/opaque.contract';
import { passkeysContract } from '../auth/passkeys.contract';
import { passwordResetContract } from '../auth/password-reset.contract';
import { appsContract } from '../directory/apps.contract';
import { clientSettingsContract } from '../directory/client-settings.contract';
import { directoryContract } from '../directory/directory.contract';
import { homeScreenContract } from '../directory/home-screen.contract';
import { presenceContract } from '../directory/presence.contract';
import { sessionsContract } from '../sessions/sessions.contract';

const passedThrough = {
  ...authContract,
  ...approvalsContract,
  ...loginContract,
  ...opaqueContract,
  ...passkeysContract,
  ...passwordResetContract,
  ...appsContract,
  ...clientSettingsContract,
  ...directoryContract,
  ...homeScreenContract,
  ...presenceContract,
  ...sessionsContract,
};
type PassedThrough = typeof passedThrough;
type RequestSubjectOf<M> = { [K in keyof M]: M[K] extends { kind: 'request' } ? K : never }[keyof M];

/** The reply schema of a NATS request whose answer a route passes through as it is. */
export function natsReply<S extends RequestSubjectOf<PassedThrough>>(
  subject: S,
): PassedThrough[S] extends RequestContract<z.ZodType, infer R> ? R : never {
  return (passedThrough[subject] as RequestContract).res as never;
}
