import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { FederationSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { RpcHandler } from '@gatehouse/platform';
import { OAuth2Service } from './oauth2.service';

@Controller()
export class OAuth2Controller {
  constructor(private readonly oauth2: OAuth2Service) {}

  @RpcHandler(FederationSubjects.oauth2Start)
  async start(@Payload() req: ParsedRequestOf<'federation.oauth2.start'>): Promise<ReplyOf<'federation.oauth2.start'>> {
    return { authorizationUrl: await this.oauth2.start(req.returnTo) };
  }

  @RpcHandler(FederationSubjects.oauth2Callback)
  async callback(@Payload() req: ParsedRequestOf<'federation.oauth2.callback'>): Promise<ReplyOf<'federation.oauth2.callback'>> {
    return this.oauth2.callback(req.query);
  }
}
