import { z } from 'zod';
import {
  AutodeleteBody,
  AutodeleteRes,
  EmailConfirmBody,
  EmailConfirmReply,
  LogoutOthersRes,
  OwnEmailBody,
  OwnEmailReply,
  OwnPasswordBody,
  OwnPasswordRes,
  OwnProfileBody,
} from '../auth/own-account.contract';
import { AdminDomainQuery } from '../directory/directory.http';
import { AppId } from '../directory/registry.schemas';
import { BindBody, BindReply, WebOriginsBody, WebOriginsView } from '../directory/web-origins.contract';
import { ProfileReply } from './me.routes';
import { routes } from './route';

const user = ['bearer', 'apiKey'] as const;

/**
 * Issue 19: web apps on other origins (their registered origins, the binding of a login to one)
 * and the account's own settings (password, other devices, profile, email, autodelete).
 */
export const webAppsRoutes = routes({
  'GET /admin/apps/:id/web-origins': {
    summary: "An app's web origins: the origin of its url, the extra ones, and the token lifetime of logins made for them",
    tag: 'admin',
    security: user,
    admin: true,
    params: z.object({ id: AppId }),
    query: AdminDomainQuery,
    reply: WebOriginsView,
    errors: ['not_found', 'forbidden'],
  },
  'PUT /admin/apps/:id/web-origins': {
    summary: 'Set the extra web origins of an app and the token lifetime (hours; null: 24) of logins made for them',
    tag: 'admin',
    security: user,
    admin: true,
    params: z.object({ id: AppId }),
    query: AdminDomainQuery,
    body: WebOriginsBody,
    reply: WebOriginsView,
    errors: ['not_found', 'forbidden'],
  },
  'POST /web-origins/bind': {
    summary:
      "Hand this session's lasting token to a web origin registered for the user's domain (the login library and the hosted login page)",
    tag: 'auth',
    security: ['bearer'],
    body: BindBody,
    reply: BindReply,
    errors: ['forbidden'],
  },
  'POST /me/password': {
    summary: 'Change the password: the current one, or a sign-in of this session within five minutes; optionally end the other sessions',
    tag: 'me',
    security: user,
    body: OwnPasswordBody,
    reply: OwnPasswordRes,
    errors: ['invalid_credentials', 'forbidden', 'weak_password', 'unprocessable', 'rate_limited'],
  },
  'POST /me/logout-others': {
    summary: '"Log out all other devices": every session of the user but this one ends',
    tag: 'me',
    security: user,
    reply: LogoutOthersRes,
    errors: ['forbidden'],
  },
  'PATCH /me/profile': {
    summary: "Change the user's display name or language",
    tag: 'me',
    security: user,
    body: OwnProfileBody,
    reply: ProfileReply,
    errors: ['not_found'],
  },
  'POST /me/email': {
    summary: 'Ask for a new email address: a link goes to it, and the address changes only once the link is confirmed',
    tag: 'me',
    security: user,
    body: OwnEmailBody,
    status: 202,
    reply: OwnEmailReply,
    errors: ['email_exists', 'forbidden', 'unprocessable'],
  },
  'GET /account/email/:token': {
    summary: 'The mailed email-confirmation link: shows the new address and a Confirm button (changes nothing)',
    tag: 'me',
    security: [],
    params: z.object({ token: z.string() }),
    html: 'page',
    reply: z.string(),
    errors: ['not_found'],
  },
  'POST /account/email/:token': {
    summary: "Confirm a new email address (the link page's form, answered with a page, or JSON)",
    tag: 'me',
    security: [],
    params: z.object({ token: z.string() }),
    body: EmailConfirmBody,
    html: 'form',
    reply: EmailConfirmReply,
    errors: ['not_found', 'email_exists'],
  },
  'GET /me/autodelete': {
    summary: "An external user's autodelete setting (seed 002): deleted as soon as the session ends, or kept",
    tag: 'me',
    security: user,
    reply: AutodeleteRes,
    errors: ['unprocessable'],
  },
  'PUT /me/autodelete': {
    summary: "Set an external user's autodelete",
    tag: 'me',
    security: user,
    body: AutodeleteBody,
    reply: AutodeleteRes,
    errors: ['unprocessable'],
  },
});
export type WebAppsRoutes = typeof webAppsRoutes;
