import type { Provider, Type } from '@nestjs/common';
import { AdminPasskeysController } from './admin-passkeys.controller';
import { MyPasskeysController } from './my-passkeys.controller';
import { PasskeyApprovalController } from './passkey-approval.controller';
import { PasskeyLoginController } from './passkey-login.controller';
import { OpaqueLoginController } from '../opaque/opaque-login.controller';

/** Issue 22, logins without a password on the wire: passkeys (sign-in, Account security, approval, admins) and OPAQUE. */
export const passkeysFeature: { controllers: Type[]; providers: Provider[] } = {
  controllers: [PasskeyLoginController, MyPasskeysController, PasskeyApprovalController, AdminPasskeysController, OpaqueLoginController],
  providers: [],
};
