import { z } from 'zod';
import { request } from '../contract';
import { Domain, Uuid } from '../common/schemas';
import { AppId, DomainScope, PageReq, Timestamps, page } from './registry.schemas';

export const TemplatesSubjects = {
  templateCreate: 'directory.template.create',
  templateGet: 'directory.template.get',
  templateList: 'directory.template.list',
  templateUpdate: 'directory.template.update',
  templateDelete: 'directory.template.delete',
} as const;

/** A template's name, unique per domain; users name their templates by it. */
export const TemplateName = z.string().trim().min(1).max(128);

/** A set of app permissions many users share (seed 000 "App permissions"). */
export const TemplateView = z.object({ id: Uuid, domain: Domain, name: TemplateName, apps: z.array(AppId), ...Timestamps });
export type TemplateView = z.infer<typeof TemplateView>;

/** POST /admin/templates: `{ name, apps: [appId] }`. */
export const TemplateInput = z.object({ name: TemplateName, apps: z.array(AppId).max(1000).default([]) }).strict();
export type TemplateInput = z.infer<typeof TemplateInput>;
/** PATCH /admin/templates/:id: a new name, or a new list of apps (replaces the old one). */
export const TemplatePatch = z.object({ name: TemplateName.optional(), apps: z.array(AppId).max(1000).optional() }).strict();
export type TemplatePatch = z.infer<typeof TemplatePatch>;

export const TemplateCreateReq = z.object({ ...DomainScope, template: TemplateInput }).strict();
export const TemplateRes = z.object({ template: TemplateView });
export const TemplateGetReq = z.object({ ...DomainScope, templateId: Uuid }).strict();
export const TemplateListReq = z.object({ ...DomainScope, ...PageReq }).strict();
export const TemplateListRes = page(TemplateView);
export const TemplateUpdateReq = z.object({ ...DomainScope, templateId: Uuid, patch: TemplatePatch }).strict();
export const TemplateDeleteReq = TemplateGetReq;
export const TemplateDeleteRes = z.object({ deleted: z.literal(true) });

export const templatesContract = {
  [TemplatesSubjects.templateCreate]: request(TemplateCreateReq, TemplateRes),
  [TemplatesSubjects.templateGet]: request(TemplateGetReq, TemplateRes),
  [TemplatesSubjects.templateList]: request(TemplateListReq, TemplateListRes),
  [TemplatesSubjects.templateUpdate]: request(TemplateUpdateReq, TemplateRes),
  [TemplatesSubjects.templateDelete]: request(TemplateDeleteReq, TemplateDeleteRes),
};
