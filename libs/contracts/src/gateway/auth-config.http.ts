import { z } from 'zod';
import { AuthSettings } from '../auth/auth-settings.contract';
import { FederationConfigSetReq, FederationSettingsView, NetlogonTestReq } from '../federation/federation.contract';
import { AuthSettingsSetReq } from '../auth/auth-settings.contract';

/** GET /admin/config/authentication: the auth policy plus the federation settings (secrets never shown). */
export const AuthConfigView = AuthSettings.extend({
  netlogon: FederationSettingsView.shape.netlogon,
  oidc: FederationSettingsView.shape.oidc,
});
/** Read-only fields of the GET answer: accepted so a GET can be sent back as a PUT, and ignored. */
const ReadOnlyFlag = z.boolean().optional().describe('read-only: accepted and ignored');
/**
 * PUT /admin/config/authentication: any subset, e.g. `{ twoFactor: true, type: "pbx" }`, or the
 * whole GET answer (its read-only `servicePasswordSet`, `clientSecretSet` are ignored).
 */
export const AuthConfigBody = AuthSettingsSetReq.extend({
  netlogon: FederationConfigSetReq.shape.netlogon.unwrap().extend({ servicePasswordSet: ReadOnlyFlag }).strict().optional(),
  oidc: FederationConfigSetReq.shape.oidc.unwrap().extend({ clientSecretSet: ReadOnlyFlag }).strict().optional(),
}).strict();
export type AuthConfigBody = z.infer<typeof AuthConfigBody>;
/** POST /admin/config/authentication/netlogon/test: bind this Windows account with the saved settings. */
export const NetlogonTestBody = NetlogonTestReq;
export type NetlogonTestBody = z.infer<typeof NetlogonTestBody>;
