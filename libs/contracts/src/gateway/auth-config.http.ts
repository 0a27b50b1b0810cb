import { z } from 'zod';
import { AuthenticationConfig, AuthenticationConfigChange } from '../auth/auth-settings.contract';
import { NetlogonTestReq } from '../federation/federation.contract';

/** GET /admin/config/authentication (declared with auth's subject, which answers it). */
export const AuthConfigView = AuthenticationConfig;
/** PUT /admin/config/authentication. */
export const AuthConfigBody = AuthenticationConfigChange;
export type AuthConfigBody = z.infer<typeof AuthConfigBody>;
/** POST /admin/config/authentication/netlogon/test: bind this Windows account with the saved settings. */
export const NetlogonTestBody = NetlogonTestReq;
export type NetlogonTestBody = z.infer<typeof NetlogonTestBody>;
