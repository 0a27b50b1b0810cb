import { z } from 'zod';
import { request } from '../contract';
import { Uuid } from '../common/schemas';
import { AppId, DomainScope } from './registry.schemas';
import { UserAppView } from './apps.contract';

export const ClientSettingsSubjects = {
  clientSettingsGet: 'directory.client-settings.get',
  clientSettingsSet: 'directory.client-settings.set',
  clientConfigGet: 'directory.client-config.get',
} as const;

const DefaultValue = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]);

/**
 * myApps client settings the admin deploys for a domain (seed 000 "Deployment of settings", PBX/Config/myApps):
 * defaults every client starts from, the reset-password page and the edit-profile app.
 */
export const MyAppsSettings = z
  .object({
    /** Client defaults by name, e.g. `{ "theme": "dark", "language": "de" }`; a device's own choice wins. */
    defaults: z.record(z.string().min(1).max(100), DefaultValue).refine((r) => Object.keys(r).length <= 100, 'at most 100 defaults'),
    /** Link shown as "Forgot password?" on the login screen; null hides it. */
    resetPasswordPage: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
      .max(2000)
      .nullable(),
    /** App opened by the "Edit profile" menu item; null hides the item. */
    editProfileApp: AppId.nullable(),
  })
  .strict();
export type MyAppsSettings = z.infer<typeof MyAppsSettings>;

/** PUT /admin/config/myapps: any subset; what is left out keeps its value. */
export const MyAppsSettingsPatch = MyAppsSettings.partial().strict();
export type MyAppsSettingsPatch = z.infer<typeof MyAppsSettingsPatch>;

export const ClientSettingsGetReq = z.object({ ...DomainScope }).strict();
export const ClientSettingsRes = z.object({ settings: MyAppsSettings });
export const ClientSettingsSetReq = z.object({ ...DomainScope, settings: MyAppsSettingsPatch }).strict();

/** GET /me/client-config: the user's domain settings, the edit-profile app resolved when the user may run it. */
export const ClientConfigGetReq = z.object({ userId: Uuid }).strict();
export const ClientConfigRes = MyAppsSettings.extend({ editProfile: UserAppView.nullable() });

export const clientSettingsContract = {
  [ClientSettingsSubjects.clientSettingsGet]: request(ClientSettingsGetReq, ClientSettingsRes),
  [ClientSettingsSubjects.clientSettingsSet]: request(ClientSettingsSetReq, ClientSettingsRes),
  [ClientSettingsSubjects.clientConfigGet]: request(ClientConfigGetReq, ClientConfigRes),
};
