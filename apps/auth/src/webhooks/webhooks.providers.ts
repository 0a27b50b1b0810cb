import type { Provider } from '@nestjs/common';
import { SecretBox } from '@gatehouse/crypto';
import { OutboundPolicy } from '@gatehouse/platform';
import type { AuthConfig } from '../config';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

export { WebhooksController } from './webhooks.controller';

/** Signed webhooks for audit events: endpoints sealed with GATEHOUSE_ENCRYPTION_KEY, URLs under the outbound policy. */
export const webhookProviders = (config: AuthConfig): Provider[] => [
  { provide: SecretBox, useValue: new SecretBox(config.GATEHOUSE_ENCRYPTION_KEY) },
  { provide: OutboundPolicy, useValue: new OutboundPolicy(config.OUTBOUND_ALLOWED_NETWORKS) },
  WebhooksRepository,
  WebhooksService,
  WebhookDispatcher,
];
