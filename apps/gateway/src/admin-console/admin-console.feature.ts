import type { Type } from '@nestjs/common';
import { AdminUserAccessController } from './admin-user-access.controller';

/** Admin routes the console needed beyond the REST API of before: a user's login waits and API keys. */
export const adminConsoleFeature: { controllers: Type[] } = {
  controllers: [AdminUserAccessController],
};
