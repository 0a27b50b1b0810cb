import { z } from 'zod';
import { AuditListRes, AuditQuery, AuditSettings } from '../auth/audit.contract';
import {
  WebhookDeleteRes,
  WebhookDeliveriesRes,
  WebhookInput,
  WebhookListRes,
  WebhookPatch,
  WebhookSecretRes,
  WebhookView,
} from '../auth/webhooks.contract';
import { Uuid } from '../common/schemas';
import { routes } from './route';

const admin = { tag: 'admin', security: ['bearer', 'apiKey'], admin: true } as const;
const WebhookParams = z.object({ id: Uuid });
/** `?offset=&limit=` of a webhook's deliveries. */
export const WebhookDeliveriesQuery = z
  .object({ offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(200).default(50) })
  .strict();

/**
 * `/admin/audit` and `/admin/webhooks`: auth scopes both to the administrator's domain unless they
 * administer the installation; retention is installation-wide.
 */
export const adminAuditRoutes = routes({
  'GET /admin/audit': {
    ...admin,
    summary: 'One page of the audit log, newest first',
    query: AuditQuery,
    reply: AuditListRes,
    errors: [],
  },
  'GET /admin/audit/settings': {
    ...admin,
    summary: 'How long audit rows are kept',
    reply: AuditSettings,
    errors: [],
  },
  'PUT /admin/audit/settings': {
    ...admin,
    summary: 'Change how long audit rows are kept (installation administrators); older rows go at once',
    body: AuditSettings,
    reply: AuditSettings,
    errors: [],
  },
  'GET /admin/webhooks': { ...admin, summary: 'The webhook endpoints the administrator manages', reply: WebhookListRes, errors: [] },
  'POST /admin/webhooks': {
    ...admin,
    summary: 'Add a webhook endpoint; its signing secret is answered this once',
    body: WebhookInput,
    status: 201,
    reply: WebhookSecretRes,
    errors: ['outbound_not_allowed'],
  },
  'PATCH /admin/webhooks/:id': {
    ...admin,
    summary: 'Change a webhook endpoint',
    params: WebhookParams,
    body: WebhookPatch,
    reply: WebhookView,
    errors: ['not_found', 'outbound_not_allowed'],
  },
  'DELETE /admin/webhooks/:id': {
    ...admin,
    summary: 'Remove a webhook endpoint',
    params: WebhookParams,
    reply: WebhookDeleteRes,
    errors: ['not_found'],
  },
  'POST /admin/webhooks/:id/rotate-secret': {
    ...admin,
    summary: "Replace a webhook endpoint's signing secret; the new one is answered this once",
    params: WebhookParams,
    reply: WebhookSecretRes,
    errors: ['not_found'],
  },
  'GET /admin/webhooks/:id/deliveries': {
    ...admin,
    summary: "One page of a webhook endpoint's deliveries, newest first",
    params: WebhookParams,
    query: WebhookDeliveriesQuery,
    reply: WebhookDeliveriesRes,
    errors: ['not_found'],
  },
});
