import { z } from 'zod';
import { AuthSettings } from '../auth/auth-settings.contract';
import { FederationConfigSetReq, FederationSettingsView } from '../federation/federation.contract';
import { AuthSettingsSetReq } from '../auth/auth-settings.contract';

/** GET /admin/config/authentication: the auth policy plus the federation settings (secrets never shown). */
export const AuthConfigView = AuthSettings.extend({ netlogon: FederationSettingsView.shape.netlogon, oidc: FederationSettingsView.shape.oidc });
/** PUT /admin/config/authentication: any subset, e.g. `{ twoFactor: true, type: "pbx" }`. */
export const AuthConfigBody = AuthSettingsSetReq.extend({
  netlogon: FederationConfigSetReq.shape.netlogon,
  oidc: FederationConfigSetReq.shape.oidc,
}).strict();
export type AuthConfigBody = z.infer<typeof AuthConfigBody>;
