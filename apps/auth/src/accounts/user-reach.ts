import { Actor, DirectorySubjects } from '@gatehouse/contracts';
import type { NatsClient } from '@gatehouse/platform';

/**
 * An administrator's request about one user's credentials: directory decides whether the actor
 * reaches the user (a user outside the actor's domains answers not_found, as an unknown id does).
 * Answers the user's domain, for the administrator's audit row. Without an actor (the user's own
 * request) nothing is asked.
 */
export async function reachUser(nats: NatsClient, actor: Actor | undefined, userId: string): Promise<string | undefined> {
  if (!actor) return undefined;
  const { user } = await nats.send(DirectorySubjects.userDetailsGet, { actor, userId }, { retries: 1 });
  return user.domain;
}
