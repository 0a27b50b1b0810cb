import { z } from 'zod';
import { request } from '../contract';
import { Actor } from '../common/actor';
import { Domain, IsoDate, Uuid } from '../common/schemas';
import { AuditType } from './audit.contract';

export const WebhookSubjects = {
  list: 'auth.webhook.list',
  create: 'auth.webhook.create',
  update: 'auth.webhook.update',
  delete: 'auth.webhook.delete',
  rotate: 'auth.webhook.rotate-secret',
  deliveries: 'auth.webhook.deliveries',
} as const;

/**
 * Headers of every webhook delivery. The signature is `v1=` + lowercase hex
 * HMAC-SHA256(key = the endpoint's secret (UTF-8), message = timestamp + "." + raw body);
 * receivers recompute it, compare in constant time and refuse timestamps older than a few minutes.
 */
export const WEBHOOK_HEADERS = {
  id: 'gatehouse-webhook-id',
  timestamp: 'gatehouse-webhook-timestamp',
  signature: 'gatehouse-webhook-signature',
} as const;

/** http(s) only, no credentials in the URL (they would show in the console and the audit). */
export const WebhookUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine((value) => {
    const url = new URL(value);
    return url.username === '' && url.password === '';
  }, 'must not carry a user name or password');

export const WebhookView = z.object({
  id: Uuid,
  /** null: installation-wide, every domain's events (installation administrators only). */
  domain: Domain.nullable(),
  url: z.string(),
  eventTypes: z.array(AuditType),
  enabled: z.boolean(),
  createdAt: IsoDate,
});
export type WebhookView = z.infer<typeof WebhookView>;

/** POST /admin/webhooks; `domain` omitted: the admin's own; null: installation-wide. */
export const WebhookInput = z
  .object({
    url: WebhookUrl,
    eventTypes: z.array(AuditType).min(1).max(20),
    enabled: z.boolean().default(true),
    domain: Domain.nullable().optional(),
  })
  .strict();
export const WebhookPatch = z
  .object({ url: WebhookUrl.optional(), eventTypes: z.array(AuditType).min(1).max(20).optional(), enabled: z.boolean().optional() })
  .strict();

export const WebhookDeliveryView = z.object({
  id: Uuid,
  auditId: Uuid,
  eventType: z.string(),
  /** pending (queued or retrying), delivered (2xx), failed (attempts used up) */
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: IsoDate,
  deliveredAt: IsoDate.nullable(),
});

export const WebhookListReq = z.object({ actor: Actor }).strict();
export const WebhookListRes = z.object({ items: z.array(WebhookView) });
export const WebhookCreateReq = z.object({ actor: Actor, webhook: WebhookInput }).strict();
/** The secret is in this answer only: it is stored sealed and never shown again. */
export const WebhookSecretRes = z.object({ webhook: WebhookView, secret: z.string() });
export const WebhookUpdateReq = z.object({ actor: Actor, id: Uuid, patch: WebhookPatch }).strict();
export const WebhookRes = z.object({ webhook: WebhookView });
export const WebhookIdReq = z.object({ actor: Actor, id: Uuid }).strict();
export const WebhookDeleteRes = z.object({ deleted: z.boolean() });
export const WebhookDeliveriesReq = z
  .object({ actor: Actor, id: Uuid, offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(200).default(50) })
  .strict();
export const WebhookDeliveriesRes = z.object({ items: z.array(WebhookDeliveryView), total: z.number().int() });

export const webhooksContract = {
  [WebhookSubjects.list]: request(WebhookListReq, WebhookListRes),
  [WebhookSubjects.create]: request(WebhookCreateReq, WebhookSecretRes),
  [WebhookSubjects.update]: request(WebhookUpdateReq, WebhookRes),
  [WebhookSubjects.delete]: request(WebhookIdReq, WebhookDeleteRes),
  [WebhookSubjects.rotate]: request(WebhookIdReq, WebhookSecretRes),
  [WebhookSubjects.deliveries]: request(WebhookDeliveriesReq, WebhookDeliveriesRes),
};
