import type { NatsClient } from '@gatehouse/platform';
import type { AdapterLike, Payload } from 'oidc-provider';
import { OidcSubjects } from '@gatehouse/contracts';

/**
 * oidc-provider's storage, kept by directory over NATS (PostgreSQL there): nothing is lost when a
 * gateway restarts, and every replica sees the same codes, tokens, grants and sessions.
 * `Client` is read from the app registry instead: an app object is the client.
 */
export function natsOidcAdapter(nats: NatsClient) {
  return class NatsOidcAdapter implements AdapterLike {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      await nats.send(OidcSubjects.storeUpsert, {
        model: this.model,
        id,
        payload,
        ...(expiresIn ? { expiresInSeconds: Math.ceil(expiresIn) } : {}),
      });
    }

    async find(id: string): Promise<Payload | undefined> {
      if (this.model === 'Client') {
        const { client } = await nats.send(OidcSubjects.clientGet, { clientId: id }, { retries: 1 });
        return client ?? undefined;
      }
      const { payload } = await nats.send(OidcSubjects.storeFind, { model: this.model, id }, { retries: 1 });
      return payload ?? undefined;
    }

    async findByUserCode(userCode: string): Promise<Payload | undefined> {
      const { payload } = await nats.send(OidcSubjects.storeFindByUserCode, { model: this.model, userCode }, { retries: 1 });
      return payload ?? undefined;
    }

    async findByUid(uid: string): Promise<Payload | undefined> {
      const { payload } = await nats.send(OidcSubjects.storeFindByUid, { model: this.model, uid }, { retries: 1 });
      return payload ?? undefined;
    }

    async consume(id: string): Promise<void> {
      await nats.send(OidcSubjects.storeConsume, { model: this.model, id });
    }

    async destroy(id: string): Promise<void> {
      await nats.send(OidcSubjects.storeDestroy, { model: this.model, id });
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await nats.send(OidcSubjects.storeRevokeByGrant, { grantId });
    }
  };
}
