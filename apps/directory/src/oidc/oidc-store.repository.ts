import { Injectable } from '@nestjs/common';
import { Prisma, PrismaClient } from '@gatehouse/db';
import type { OidcGrantBinding } from '@gatehouse/db';

type Payload = Record<string, unknown>;

/** oidc-provider's objects in `directory.OidcPayload`; expired rows read as absent and are swept later. */
@Injectable()
export class OidcStoreRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async upsert(model: string, id: string, payload: Payload, expiresAt: Date | null): Promise<void> {
    const grantId = typeof payload.grantId === 'string' ? payload.grantId : model === 'Grant' ? id : null;
    const deviceSessionId = await this.deviceSessionOf(grantId ? [grantId] : grantIdsOfSession(payload));
    const row = {
      payload: payload as Prisma.InputJsonValue,
      grantId,
      userCode: typeof payload.userCode === 'string' ? payload.userCode : null,
      uid: typeof payload.uid === 'string' ? payload.uid : null,
      deviceSessionId,
      expiresAt,
    };
    await this.prisma.oidcPayload.upsert({ where: { model_id: { model, id } }, create: { model, id, ...row }, update: row });
  }

  async find(model: string, id: string, now: Date): Promise<Payload | null> {
    return this.live(await this.prisma.oidcPayload.findUnique({ where: { model_id: { model, id } } }), now);
  }

  async findBy(model: string, field: 'uid' | 'userCode', value: string, now: Date): Promise<Payload | null> {
    return this.live(await this.prisma.oidcPayload.findFirst({ where: { model, [field]: value } }), now);
  }

  async consume(model: string, id: string, now: Date): Promise<void> {
    // oidc-provider reads `consumed` from the payload: a replayed code or a reused refresh token.
    await this.prisma.$executeRaw`UPDATE "directory"."OidcPayload"
      SET "consumedAt" = ${now}, "payload" = jsonb_set("payload", '{consumed}', to_jsonb(${Math.floor(now.getTime() / 1000)}::int))
      WHERE "model" = ${model} AND "id" = ${id}`;
  }

  async destroy(model: string, id: string): Promise<void> {
    await this.prisma.oidcPayload.deleteMany({ where: { model, id } });
  }

  async revokeByGrant(grantId: string): Promise<void> {
    await this.prisma.oidcPayload.deleteMany({ where: { grantId } });
  }

  /** Records which device session signed in to the client, and marks what the grant already holds. */
  async bind(binding: Omit<OidcGrantBinding, 'createdAt'>): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.oidcGrantBinding.upsert({ where: { grantId: binding.grantId }, create: binding, update: binding }),
      this.prisma.oidcPayload.updateMany({ where: { grantId: binding.grantId }, data: { deviceSessionId: binding.deviceSessionId } }),
    ]);
  }

  async grantSession(grantId: string): Promise<string | null> {
    const binding = await this.prisma.oidcGrantBinding.findUnique({ where: { grantId } });
    return binding?.deviceSessionId ?? null;
  }

  /**
   * Deletes every grant, token and provider session of the device sessions (one, or the expiry sweep's
   * batch) in one statement (atomic; the ids as one array parameter, so its plan does not grow with the
   * batch); returns the bindings they held and, per device session and client, the provider session id
   * (`sid`) the app knows from its ID token.
   */
  async endDeviceSessions(deviceSessionIds: string[]): Promise<{ bindings: OidcGrantBinding[]; sids: Map<string, Map<string, string>> }> {
    if (deviceSessionIds.length === 0) return { bindings: [], sids: new Map() };
    // One row per binding deleted (grantId set) and per provider session deleted (payload set).
    const rows = await this.prisma.$queryRaw<(Partial<OidcGrantBinding> & { deviceSessionId: string; payload: Prisma.JsonValue })[]>`
      WITH b AS (
        DELETE FROM "directory"."OidcGrantBinding" WHERE "deviceSessionId" = ANY(${deviceSessionIds}::uuid[])
        RETURNING "grantId", "deviceSessionId", "userId", "clientId", "issuer", "createdAt"
      ), p AS (
        DELETE FROM "directory"."OidcPayload"
        WHERE "deviceSessionId" = ANY(${deviceSessionIds}::uuid[]) OR "grantId" = ANY(ARRAY(SELECT "grantId" FROM b))
        RETURNING "model", "payload", "deviceSessionId"
      )
      SELECT b."grantId", b."deviceSessionId", b."userId", b."clientId", b."issuer", b."createdAt", NULL::jsonb AS "payload" FROM b
      UNION ALL
      SELECT NULL, p."deviceSessionId", NULL, NULL, NULL, NULL, p."payload" FROM p WHERE p."model" = 'Session'`;
    const bindings: OidcGrantBinding[] = [];
    const sids = new Map<string, Map<string, string>>();
    for (const { payload, ...row } of rows) {
      if (row.grantId != null) {
        bindings.push(row as OidcGrantBinding);
        continue;
      }
      if (!row.deviceSessionId) continue;
      const ofSession = sids.get(row.deviceSessionId) ?? new Map<string, string>();
      sids.set(row.deviceSessionId, ofSession);
      const authorizations = (payload as { authorizations?: Record<string, { sid?: unknown }> } | null)?.authorizations ?? {};
      for (const [clientId, entry] of Object.entries(authorizations))
        if (typeof entry?.sid === 'string') ofSession.set(clientId, entry.sid);
    }
    return { bindings, sids };
  }

  /** Expired rows, and bindings whose grant is gone (expired or revoked) for longer than a day. */
  async sweepExpired(now: Date): Promise<number> {
    const { count } = await this.prisma.oidcPayload.deleteMany({ where: { expiresAt: { lt: now } } });
    const orphans = await this.prisma.$executeRaw`DELETE FROM "directory"."OidcGrantBinding" b
      WHERE b."createdAt" < ${new Date(now.getTime() - 86_400_000)}
        AND NOT EXISTS (SELECT 1 FROM "directory"."OidcPayload" p WHERE p."model" = 'Grant' AND p."id" = b."grantId")`;
    return count + orphans;
  }

  private async deviceSessionOf(grantIds: string[]): Promise<string | null> {
    if (grantIds.length === 0) return null;
    const binding = await this.prisma.oidcGrantBinding.findFirst({
      where: { grantId: { in: grantIds } },
      select: { deviceSessionId: true },
    });
    return binding?.deviceSessionId ?? null;
  }

  private live(row: { payload: Prisma.JsonValue; expiresAt: Date | null } | null, now: Date): Payload | null {
    if (!row || (row.expiresAt && row.expiresAt <= now)) return null;
    return row.payload as Payload;
  }
}

/** A provider session names its grants per client: `authorizations: { [clientId]: { grantId } }`. */
function grantIdsOfSession(payload: Payload): string[] {
  const authorizations = payload.authorizations;
  if (!authorizations || typeof authorizations !== 'object') return [];
  return Object.values(authorizations as Record<string, { grantId?: unknown }>)
    .map((entry) => entry?.grantId)
    .filter((grantId): grantId is string => typeof grantId === 'string');
}
