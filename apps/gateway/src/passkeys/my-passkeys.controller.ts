import { Controller } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import { NatsClient } from '@gatehouse/platform';
import { PasskeySubjects } from '@gatehouse/contracts';
import type { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { Input, Route } from '../http/route.decorator';

/** The user's passkeys (Account security): add one by name, list them with creation and last use, remove one. */
@Controller()
export class MyPasskeysController {
  constructor(private readonly nats: NatsClient) {}

  @Route('GET /me/passkeys')
  list(@CurrentPrincipal() principal: Principal) {
    return this.nats.send(PasskeySubjects.list, { userId: principal.userId });
  }

  /** The options for navigator.credentials.create(); from a signed-in device only (a stolen API key cannot add a passkey). */
  @Route('POST /me/passkeys/options')
  options(@CurrentPrincipal() principal: Principal) {
    return this.nats.send(PasskeySubjects.registerOptions, { userId: interactive(principal).userId });
  }

  @Route('POST /me/passkeys')
  register(@CurrentPrincipal() principal: Principal, @Input() { body }: Input<'POST /me/passkeys'>) {
    return this.nats.send(PasskeySubjects.register, {
      userId: interactive(principal).userId,
      flowId: body.flowId,
      name: body.name,
      response: body.response,
    });
  }

  @Route('DELETE /me/passkeys/:id')
  async remove(@CurrentPrincipal() principal: Principal, @Input() { params }: Input<'DELETE /me/passkeys/:id'>) {
    const { removed } = await this.nats.send(PasskeySubjects.remove, {
      userId: interactive(principal).userId,
      passkeyId: params.id,
      by: 'owner',
    });
    if (!removed) throw new AppError('not_found', 'No such passkey');
    return { removed: true as const };
  }
}

function interactive(principal: Principal): Principal {
  if (principal.external) throw new AppError('forbidden', 'External users have no passkeys');
  if (!principal.sessionId)
    throw new AppError('interactive_session_required', 'Passkeys are managed from a signed-in device, not with an API key');
  return principal;
}
