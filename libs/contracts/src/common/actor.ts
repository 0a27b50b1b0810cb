import { z } from 'zod';
import { Domain, Uuid } from './schemas';

/** An administrator signed in at the gateway (session or API key); the gateway copies it from the principal. */
export const AdminActor = z.object({ kind: z.literal('admin'), userId: Uuid, domain: Domain }).strict();
export type AdminActor = z.infer<typeof AdminActor>;

/**
 * The installation itself: a service reading another service's settings, an operator command, a test.
 * Never built from an HTTP request (a gateway spec checks that the gateway never sends one);
 * `service` names the caller for logs.
 */
export const SystemActor = z
  .object({ kind: z.literal('system'), service: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'must be a lowercase service name') })
  .strict();
export type SystemActor = z.infer<typeof SystemActor>;

/**
 * Who asks for an administrative request. Required on every request that reads or changes
 * installation-wide settings or acts in a domain, so the owning service, not only the gateway,
 * decides whether the caller may.
 */
export const Actor = z.discriminatedUnion('kind', [AdminActor, SystemActor]);
export type Actor = z.infer<typeof Actor>;

/** Installation administrators are the admins of GATEHOUSE_DOMAIN; they and the installation itself own installation-wide settings. */
export function actsForInstallation(actor: Actor, installationDomain: string): boolean {
  return actor.kind === 'system' || actor.domain === installationDomain.toLowerCase();
}

/** Domain administrators act only in their own domain; installation administrators in every domain. */
export function actsInDomain(actor: Actor, installationDomain: string, domain: string): boolean {
  return actsForInstallation(actor, installationDomain) || (actor.kind === 'admin' && actor.domain === domain);
}
