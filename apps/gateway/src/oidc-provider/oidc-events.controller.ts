import { Controller } from '@nestjs/common';
import { OidcSubjects } from '@gatehouse/contracts';
import { EventHandler } from '@gatehouse/platform';
import { OidcProviderHost } from './oidc-provider.host';

/** Every gateway hears a key rotation (no queue group) and signs with the new key from its next request. */
@Controller()
export class OidcEventsController {
  constructor(private readonly host: OidcProviderHost) {}

  @EventHandler(OidcSubjects.keysRotated)
  rotated(): void {
    this.host.reload();
  }
}
