import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { DirectorySubjects, EventOf } from '@gatehouse/contracts';
import { EventHandler } from '@gatehouse/platform';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import { ExternalUsersRepository } from '../external-users/external-users.repository';
import { CredentialsRepository } from '../passwords/credentials.repository';
import { PasskeysRepository } from '../passkeys/passkeys.repository';
import { OpaqueRecordsRepository } from '../opaque/opaque-records.repository';

/** A deleted user leaves nothing behind in `auth`: no hash, no key, no pending deletion. */
@Controller()
export class UserDeletedController {
  constructor(
    private readonly credentials: CredentialsRepository,
    private readonly apiKeys: ApiKeysRepository,
    private readonly externalUsers: ExternalUsersRepository,
    private readonly passkeys: PasskeysRepository,
    private readonly opaqueRecords: OpaqueRecordsRepository,
  ) {}

  @EventHandler(DirectorySubjects.userDeleted, 'auth')
  async userDeleted(@Payload() event: EventOf<'directory.user.deleted'>): Promise<void> {
    await Promise.all([
      this.credentials.deleteOf(event.userId),
      this.apiKeys.deleteOf(event.userId),
      this.externalUsers.remove(event.userId),
      this.passkeys.removeAllOf(event.userId),
      this.opaqueRecords.deleteOf(event.userId),
    ]);
  }
}
