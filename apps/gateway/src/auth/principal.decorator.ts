import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import type { AuthenticatedRequest, Principal } from './principal';

/** The principal AccessGuard put on the request; use only behind AccessGuard. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new AppError('unauthenticated', 'Authentication required');
  return principal;
});
