/** Who a request speaks for: a user through a session's access token or through an API key. */
export interface Principal {
  userId: string;
  domain: string;
  username: string;
  admin: boolean;
  /** Seed 002 external users: single use, never admin. */
  external: boolean;
  sessionId?: string;
  apiKeyId?: string;
}

/** The Fastify request after AccessGuard ran. */
export interface AuthenticatedRequest {
  principal?: Principal;
}
