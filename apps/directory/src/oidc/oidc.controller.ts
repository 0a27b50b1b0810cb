import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OidcSubjects, ParsedRequestOf, ReplyOf } from '@gatehouse/contracts';
import { Clock, RpcHandler } from '@gatehouse/platform';
import { OidcClientsService } from './oidc-clients.service';
import { OidcStoreRepository } from './oidc-store.repository';
import { SigningKeysService } from './signing-keys.service';

const done = { done: true } as const;

/** What the gateway's OpenID Provider stores and asks (README "Sign in to your apps with OpenID Connect"). */
@Controller()
export class OidcController {
  constructor(
    private readonly store: OidcStoreRepository,
    private readonly clients: OidcClientsService,
    private readonly keys: SigningKeysService,
    private readonly clock: Clock,
  ) {}

  @RpcHandler(OidcSubjects.storeUpsert)
  async upsert(@Payload() req: ParsedRequestOf<'directory.oidc-store.upsert'>): Promise<ReplyOf<'directory.oidc-store.upsert'>> {
    const expiresAt = req.expiresInSeconds ? new Date(this.clock.nowMs() + req.expiresInSeconds * 1000) : null;
    await this.store.upsert(req.model, req.id, req.payload, expiresAt);
    return done;
  }

  @RpcHandler(OidcSubjects.storeFind)
  async find(@Payload() req: ParsedRequestOf<'directory.oidc-store.find'>): Promise<ReplyOf<'directory.oidc-store.find'>> {
    return { payload: await this.store.find(req.model, req.id, this.clock.now()) };
  }

  @RpcHandler(OidcSubjects.storeFindByUid)
  async findByUid(
    @Payload() req: ParsedRequestOf<'directory.oidc-store.find-by-uid'>,
  ): Promise<ReplyOf<'directory.oidc-store.find-by-uid'>> {
    return { payload: await this.store.findBy(req.model, 'uid', req.uid, this.clock.now()) };
  }

  @RpcHandler(OidcSubjects.storeFindByUserCode)
  async findByUserCode(
    @Payload() req: ParsedRequestOf<'directory.oidc-store.find-by-user-code'>,
  ): Promise<ReplyOf<'directory.oidc-store.find-by-user-code'>> {
    return { payload: await this.store.findBy(req.model, 'userCode', req.userCode, this.clock.now()) };
  }

  @RpcHandler(OidcSubjects.storeConsume)
  async consume(@Payload() req: ParsedRequestOf<'directory.oidc-store.consume'>): Promise<ReplyOf<'directory.oidc-store.consume'>> {
    await this.store.consume(req.model, req.id, this.clock.now());
    return done;
  }

  @RpcHandler(OidcSubjects.storeDestroy)
  async destroy(@Payload() req: ParsedRequestOf<'directory.oidc-store.destroy'>): Promise<ReplyOf<'directory.oidc-store.destroy'>> {
    await this.store.destroy(req.model, req.id);
    return done;
  }

  @RpcHandler(OidcSubjects.storeRevokeByGrant)
  async revokeByGrant(
    @Payload() req: ParsedRequestOf<'directory.oidc-store.revoke-by-grant'>,
  ): Promise<ReplyOf<'directory.oidc-store.revoke-by-grant'>> {
    await this.store.revokeByGrant(req.grantId);
    return done;
  }

  @RpcHandler(OidcSubjects.grantBind)
  async bind(@Payload() req: ParsedRequestOf<'directory.oidc-grant.bind'>): Promise<ReplyOf<'directory.oidc-grant.bind'>> {
    await this.store.bind(req);
    return done;
  }

  @RpcHandler(OidcSubjects.grantSession)
  async grantSession(@Payload() req: ParsedRequestOf<'directory.oidc-grant.session'>): Promise<ReplyOf<'directory.oidc-grant.session'>> {
    return { deviceSessionId: await this.store.grantSession(req.grantId) };
  }

  @RpcHandler(OidcSubjects.clientGet)
  async client(@Payload() req: ParsedRequestOf<'directory.oidc-client.get'>): Promise<ReplyOf<'directory.oidc-client.get'>> {
    return { client: await this.clients.client(req.clientId) };
  }

  @RpcHandler(OidcSubjects.accountGet)
  account(@Payload() req: ParsedRequestOf<'directory.oidc-account.get'>): Promise<ReplyOf<'directory.oidc-account.get'>> {
    return this.clients.account(req.userId, req.clientId);
  }

  @RpcHandler(OidcSubjects.keysList)
  async keysList(): Promise<ReplyOf<'directory.oidc-keys.list'>> {
    return { keys: await this.keys.published(), cookieSecret: this.keys.cookieSecret() };
  }

  @RpcHandler(OidcSubjects.keysRotate)
  async keysRotate(): Promise<ReplyOf<'directory.oidc-keys.rotate'>> {
    return { kid: (await this.keys.rotate(true))! };
  }
}
