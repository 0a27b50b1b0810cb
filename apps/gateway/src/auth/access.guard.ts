import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AppError } from '@gatehouse/errors';
import type { FastifyRequest } from 'fastify';
import { clientAddress } from './client-address';
import { CredentialVerifier } from './credential-verifier.service';
import type { AuthenticatedRequest } from './principal';

/** `Authorization: Bearer <accessToken>` or `ApiKey <key>`; 401 otherwise, 503 when the token store is down. */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(private readonly verifier: CredentialVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & AuthenticatedRequest>();
    request.principal = await this.verifier.fromAuthorization(request.headers.authorization, clientAddress(request));
    return true;
  }
}

/** Admin users (or their API keys) only; put after AccessGuard. External users are never admins (principalOf). */
@Injectable()
export class AdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal) throw new AppError('unauthenticated', 'Authentication required');
    if (!principal.admin) throw new AppError('forbidden', 'Administrators only');
    return true;
  }
}
