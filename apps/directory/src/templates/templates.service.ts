import { Injectable } from '@nestjs/common';
import { TemplateInput, TemplatePatch, TemplateView } from '@gatehouse/contracts';
import { AppError } from '@gatehouse/errors';
import { AppsChangedNotifier } from '../user-apps/apps-changed.notifier';
import { TemplateRow, TemplatesRepository } from './templates.repository';

/** Templates: app permissions many users share (seed 000 "App permissions"). */
@Injectable()
export class TemplatesService {
  constructor(
    private readonly templates: TemplatesRepository,
    private readonly appsChanged: AppsChangedNotifier,
  ) {}

  async create(domain: string, input: TemplateInput): Promise<TemplateView> {
    const row = await this.templates.create(domain, input.name, await this.appRowIds(domain, input.apps));
    if (!row) throw new AppError('template_exists', `A template named ${input.name} already exists in ${domain}`, { field: 'name' });
    return toTemplate(row);
  }

  async get(domain: string, templateId: string): Promise<TemplateView> {
    const row = await this.templates.find(domain, templateId);
    if (!row) throw new AppError('not_found', 'No such template');
    return toTemplate(row);
  }

  async list(domain: string, offset: number, limit: number) {
    const { rows, total } = await this.templates.list(domain, offset, limit);
    return { items: rows.map(toTemplate), total, offset, limit };
  }

  async update(domain: string, templateId: string, patch: TemplatePatch): Promise<TemplateView> {
    const appRowIds = patch.apps ? await this.appRowIds(domain, patch.apps) : undefined;
    const result = await this.templates.update(domain, templateId, { name: patch.name, appRowIds });
    if (result === 'missing') throw new AppError('not_found', 'No such template');
    if (result === 'taken')
      throw new AppError('template_exists', `A template named ${patch.name} already exists in ${domain}`, { field: 'name' });
    if (appRowIds) await this.appsChanged.notify(await this.templates.members(templateId));
    return toTemplate(result);
  }

  async delete(domain: string, templateId: string): Promise<void> {
    const members = await this.templates.members(templateId);
    if (!(await this.templates.delete(domain, templateId))) throw new AppError('not_found', 'No such template');
    await this.appsChanged.notify(members);
  }

  private async appRowIds(domain: string, appIds: string[]): Promise<string[]> {
    const wanted = [...new Set(appIds)];
    const rows = await this.templates.appRows(domain, wanted);
    const unknown = wanted.filter((id) => !rows.has(id));
    if (unknown.length)
      throw new AppError('validation_failed', `apps: no such app in ${domain}: ${unknown.join(', ')}`, { field: 'apps', unknown });
    return wanted.map((id) => rows.get(id)!);
  }
}

const toTemplate = (row: TemplateRow): TemplateView => ({
  id: row.id,
  domain: row.domain,
  name: row.name,
  apps: row.appGrants.map((grant) => grant.app.appId).sort(),
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});
