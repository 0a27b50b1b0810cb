import { z } from 'zod';
import { Domain, Uuid } from '../common/schemas';
import { AdminAppView, AppDeleteRes, AppInput, AppListRes, AppPatch } from '../directory/apps.contract';
import { AdminDomainQuery, AdminListQuery } from '../directory/directory.http';
import { AppId } from '../directory/registry.schemas';
import { TemplateDeleteRes, TemplateInput, TemplateListRes, TemplatePatch, TemplateView } from '../directory/templates.contract';
import { routes } from './route';

const admin = { tag: 'admin', security: ['bearer', 'apiKey'], admin: true } as const;

/** POST /admin/apps: the app and, optionally, the domain it lives in (the administrator's own by default). */
export const AdminAppCreateBody = AppInput.extend({ domain: Domain.optional() }).strict();
/** POST /admin/templates: the template and, optionally, its domain. */
export const AdminTemplateCreateBody = TemplateInput.extend({ domain: Domain.optional() }).strict();
const PageQuery = AdminListQuery.omit({ q: true });
const AppParams = z.object({ id: AppId });
const TemplateParams = z.object({ id: Uuid });

/**
 * `/admin/apps` and `/admin/templates`: objects of one domain (`?domain=`, the administrator's own by
 * default); directory refuses a domain administrator's request for another domain (forbidden).
 */
export const adminDirectoryRoutes = routes({
  'POST /admin/apps': {
    ...admin,
    summary: 'Create an app object (its shared secret is stored sealed and never answered)',
    body: AdminAppCreateBody,
    status: 201,
    reply: AdminAppView,
    errors: ['app_exists', 'outbound_not_allowed'],
  },
  'GET /admin/apps': { ...admin, summary: 'One page of the apps of a domain', query: PageQuery, reply: AppListRes, errors: [] },
  'GET /admin/apps/:id': {
    ...admin,
    summary: 'One app by its id within the domain',
    params: AppParams,
    query: AdminDomainQuery,
    reply: AdminAppView,
    errors: ['not_found'],
  },
  'PATCH /admin/apps/:id': {
    ...admin,
    summary: 'Change an app (`secret: null` removes the shared secret, `oidc: null` ends its OpenID Connect client)',
    params: AppParams,
    query: AdminDomainQuery,
    body: AppPatch,
    reply: AdminAppView,
    errors: ['not_found', 'outbound_not_allowed'],
  },
  'DELETE /admin/apps/:id': {
    ...admin,
    summary: 'Delete an app; its grants and device assignments go with it',
    params: AppParams,
    query: AdminDomainQuery,
    reply: AppDeleteRes,
    errors: ['not_found'],
  },
  'POST /admin/templates': {
    ...admin,
    summary: 'Create a template: app permissions many users share',
    body: AdminTemplateCreateBody,
    status: 201,
    reply: TemplateView,
    errors: ['template_exists'],
  },
  'GET /admin/templates': {
    ...admin,
    summary: 'One page of the templates of a domain',
    query: PageQuery,
    reply: TemplateListRes,
    errors: [],
  },
  'GET /admin/templates/:id': {
    ...admin,
    summary: 'One template',
    params: TemplateParams,
    query: AdminDomainQuery,
    reply: TemplateView,
    errors: ['not_found'],
  },
  'PATCH /admin/templates/:id': {
    ...admin,
    summary: 'Rename a template or replace its apps',
    params: TemplateParams,
    query: AdminDomainQuery,
    body: TemplatePatch,
    reply: TemplateView,
    errors: ['not_found', 'template_exists'],
  },
  'DELETE /admin/templates/:id': {
    ...admin,
    summary: 'Delete a template; its users lose the apps it gave them',
    params: TemplateParams,
    query: AdminDomainQuery,
    reply: TemplateDeleteRes,
    errors: ['not_found'],
  },
});
