import type { Provider, Type } from '@nestjs/common';
import { OwnAccountController } from './own-account.controller';
import { OwnEmailController } from './own-email.controller';

/** The account's own settings (issue 19). */
export const accountFeature: { controllers: Type[]; providers: Provider[] } = {
  controllers: [OwnAccountController, OwnEmailController],
  providers: [],
};
