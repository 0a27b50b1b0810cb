import { z } from 'zod';
import { event, request } from '../contract';
import { Actor } from '../common/actor';
import { HealthPingReq, HealthPingRes, healthSubject } from '../common/health';
import { Domain, IsoDate, Uuid } from '../common/schemas';

export const SessionsSubjects = {
  health: healthSubject('sessions'),
  create: 'sessions.session.create',
  challenge: 'sessions.session.challenge',
  mintToken: 'sessions.session.mint-token',
  verifyToken: 'sessions.token.verify',
  touch: 'sessions.session.touch',
  list: 'sessions.session.list',
  revoke: 'sessions.session.revoke',
  revokeAllOfUser: 'sessions.session.revoke-all-of-user',
  revoked: 'sessions.session.revoked',
  revokedBatch: 'sessions.session.revoked-batch',
} as const;

/** Seed 002: no application = 24 h then logout; refreshable = alive while used daily; longLogin = weekly. */
export const SessionApplication = z.enum(['default', 'refreshable', 'longLogin']);
export type SessionApplication = z.infer<typeof SessionApplication>;

export const Device = z.object({ name: z.string().min(1).max(200), platform: z.string().min(1).max(100) }).strict();
export type Device = z.infer<typeof Device>;

/** Who a token or key speaks for; a snapshot taken when the session was made. */
export const PrincipalSchema = z.object({
  userId: Uuid,
  domain: Domain,
  username: z.string().min(1),
  admin: z.boolean(),
  external: z.boolean(),
  sessionId: Uuid.optional(),
  apiKeyId: Uuid.optional(),
});
export type PrincipalPayload = z.infer<typeof PrincipalSchema>;

/** The Redis entry of one access token (key `at:<sha256(token)>`), written only by `sessions`. */
export const TokenEntry = PrincipalSchema.extend({ sessionId: Uuid, expiresAtMs: z.number().int() });
export type TokenEntry = z.infer<typeof TokenEntry>;
export const accessTokenKey = (tokenHash: string) => `at:${tokenHash}`;

export const SessionCreateReq = z
  .object({
    userId: Uuid,
    domain: Domain,
    username: z.string().min(1),
    admin: z.boolean(),
    external: z.boolean(),
    device: Device,
    application: SessionApplication,
    subid: z.string().min(1).max(100).optional(),
    ip: z.string().max(100).optional(),
  })
  .strict();
export const IssuedToken = z.object({ accessToken: z.string(), expiresAt: IsoDate });
export const SessionCreateRes = IssuedToken.extend({ session: z.object({ id: Uuid, password: z.string() }) });

export const ChallengeReq = z.object({ sessionId: Uuid }).strict();
export const ChallengeRes = z.object({ nonce: z.string() });
export const MintTokenReq = z.object({ sessionId: Uuid, nonce: z.string().min(1).max(200), proof: z.string().min(1).max(200) }).strict();

export const VerifyTokenReq = z.object({ tokenHash: z.string().regex(/^[0-9a-f]{64}$/) }).strict();
export const VerifyTokenRes = z.object({ entry: TokenEntry.nullable() });

export const TouchReq = z.object({ sessionId: Uuid }).strict();
export const TouchRes = z.object({ alive: z.boolean() });

export const SessionView = z.object({
  id: Uuid,
  device: Device,
  application: SessionApplication,
  subid: z.string().nullable(),
  ip: z.string().nullable(),
  createdAt: IsoDate,
  lastUsedAt: IsoDate,
  expiresAt: IsoDate,
  current: z.boolean(),
});
export type SessionView = z.infer<typeof SessionView>;
/**
 * `actor`: an administrator asking for another user's sessions; a user outside the actor's domains
 * (or none at all) answers not_found. Left out when users ask for their own.
 */
export const ListReq = z.object({ userId: Uuid, currentSessionId: Uuid.optional(), actor: Actor.optional() }).strict();
export const ListRes = z.object({ sessions: z.array(SessionView) });

/** `actor`: an administrator's request; a session it may not reach (or none) answers not_found instead of `revoked: false`. */
export const RevokeReq = z.object({ userId: Uuid, sessionId: Uuid, actor: Actor.optional() }).strict();
/** `domain`: with an `actor`, the session's user's domain (for the administrator's audit row). */
export const RevokeRes = z.object({ revoked: z.boolean(), domain: Domain.optional() });
export const RevokeAllOfUserReq = z.object({ userId: Uuid }).strict();
export const RevokeAllOfUserRes = z.object({ revoked: z.number().int() });

export const SessionEndReason = z.enum(['logout', 'revoked', 'expired', 'user_deleted']);
export const SessionRevokedEvent = z.object({ sessionId: Uuid, userId: Uuid, external: z.boolean(), reason: SessionEndReason });
/**
 * Most sessions one batched announcement names (the expiry sweep gathers the ends of its batches up to this). A
 * gateway parses and validates an announcement in one piece, ~5 ms of its event loop for 1,000 sessions, which
 * token checks then wait behind: at 1,000 the sweep lifted their p99 to 3-5 ms from ~1.3 ms idle, at 200 to
 * 2.1-2.6 ms (bench:sweep, alternated runs), still a fifth as many messages as the sweep's 50-session statements.
 */
export const REVOKED_BATCH_MAX = 200;
/**
 * Several sessions ended for one reason (the expiry sweep, a deleted user): one announcement instead of
 * one per session; listeners treat each as `sessions.session.revoked`. A single session keeps that event.
 */
export const SessionsRevokedBatchEvent = z.object({
  reason: SessionEndReason,
  sessions: z
    .array(z.object({ sessionId: Uuid, userId: Uuid, external: z.boolean() }))
    .min(1)
    .max(REVOKED_BATCH_MAX),
});

export const sessionsContract = {
  [SessionsSubjects.health]: request(HealthPingReq, HealthPingRes),
  [SessionsSubjects.create]: request(SessionCreateReq, SessionCreateRes),
  [SessionsSubjects.challenge]: request(ChallengeReq, ChallengeRes),
  [SessionsSubjects.mintToken]: request(MintTokenReq, IssuedToken),
  [SessionsSubjects.verifyToken]: request(VerifyTokenReq, VerifyTokenRes),
  [SessionsSubjects.touch]: request(TouchReq, TouchRes),
  [SessionsSubjects.list]: request(ListReq, ListRes),
  [SessionsSubjects.revoke]: request(RevokeReq, RevokeRes),
  [SessionsSubjects.revokeAllOfUser]: request(RevokeAllOfUserReq, RevokeAllOfUserRes),
  [SessionsSubjects.revoked]: event(SessionRevokedEvent),
  [SessionsSubjects.revokedBatch]: event(SessionsRevokedBatchEvent),
};
