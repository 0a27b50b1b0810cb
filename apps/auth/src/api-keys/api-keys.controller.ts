import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AuthSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { ApiKeysService } from './api-keys.service';

@Controller()
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @RpcHandler(AuthSubjects.apiKeyCreate)
  create(@Payload() req: ParsedRequestOf<'auth.api-key.create'>): Promise<ReplyOf<'auth.api-key.create'>> {
    return this.keys.create(req.userId, req.name, req.expiresInDays);
  }

  @RpcHandler(AuthSubjects.apiKeyList)
  async list(@Payload() req: ParsedRequestOf<'auth.api-key.list'>): Promise<ReplyOf<'auth.api-key.list'>> {
    return { apiKeys: await this.keys.list(req.userId, req.actor) };
  }

  @RpcHandler(AuthSubjects.apiKeyRevoke)
  revoke(@Payload() req: ParsedRequestOf<'auth.api-key.revoke'>): Promise<ReplyOf<'auth.api-key.revoke'>> {
    return this.keys.revoke(req.userId, req.apiKeyId, req.viaApiKeyId, req.actor);
  }

  @RpcHandler(AuthSubjects.apiKeyVerify)
  async verify(@Payload() req: ParsedRequestOf<'auth.api-key.verify'>): Promise<ReplyOf<'auth.api-key.verify'>> {
    return { principal: await this.keys.verify(req.keyHash) };
  }
}
