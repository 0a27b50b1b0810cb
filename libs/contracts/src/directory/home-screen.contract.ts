import { z } from 'zod';
import { event, request } from '../contract';
import { Actor } from '../common/actor';
import { Domain, Uuid } from '../common/schemas';

export const HomeScreenSubjects = {
  homeScreenGet: 'directory.homescreen.get',
  homeScreenSet: 'directory.homescreen.set',
  homeScreenChanged: 'directory.homescreen.changed',
} as const;

export const HomeScreenItem = z
  .object({ app: z.string().min(1).max(128), query: z.string().max(8192).optional(), fragment: z.string().max(8192).optional() })
  .strict();
export const HomeScreenGroup = z
  .object({ name: z.string().min(1).max(8192).nullable(), collapsed: z.boolean(), items: z.array(HomeScreenItem).max(4096) })
  .strict();
export const HomeScreenGroups = z.array(HomeScreenGroup).max(4096);

/** Both forms of one home screen: the stored string and its parsed groups. */
export const HomeScreenView = z.object({ raw: z.string(), groups: HomeScreenGroups });
export type HomeScreenView = z.infer<typeof HomeScreenView>;

/**
 * `stored: true` (the admin's view) answers the string as stored; otherwise items of apps the user
 * may no longer use are left out. `actor` set (an administrator's request): a user outside its domains is not found.
 */
export const HomeScreenGetReq = z.object({ userId: Uuid, actor: Actor.optional(), stored: z.boolean().optional() }).strict();

/**
 * PUT /me/homescreen body: exactly one of `raw` (the comma-separated string) or `groups` (the structured form).
 * `raw` has no length bound here: the HTTP body limit bounds it, and the 8 KB rule answers homescreen_too_large.
 */
export const HomeScreenBody = z
  .object({ raw: z.string().optional(), groups: HomeScreenGroups.optional() })
  .strict()
  .refine((req) => (req.raw === undefined) !== (req.groups === undefined), { message: 'give exactly one of raw or groups' });
export type HomeScreenBody = z.infer<typeof HomeScreenBody>;

/** Far above the 8 KB rule and the gateway's largest body, so an oversized string gets homescreen_too_large. */
const HOME_SCREEN_REQUEST_MAX = 1_048_576;

export const HomeScreenSetReq = z
  .object({
    userId: Uuid,
    /** An administrator's request: a user outside the actor's domains is not found. */
    actor: Actor.optional(),
    raw: z.string().max(HOME_SCREEN_REQUEST_MAX).optional(),
    groups: HomeScreenGroups.optional(),
  })
  .strict()
  .refine((req) => (req.raw === undefined) !== (req.groups === undefined), { message: 'give exactly one of raw or groups' });

/** Every gateway pushes it to the user's sockets as `homescreen.changed`; the home screen as the user sees it. */
export const HomeScreenChangedEvent = z.object({ userId: Uuid, raw: z.string(), groups: HomeScreenGroups });

/** The saved home screen; with an `actor`, also the user's domain (for the administrator's audit row). */
export const HomeScreenSetRes = HomeScreenView.extend({ domain: Domain.optional() });

export const homeScreenContract = {
  [HomeScreenSubjects.homeScreenGet]: request(HomeScreenGetReq, HomeScreenView),
  [HomeScreenSubjects.homeScreenSet]: request(HomeScreenSetReq, HomeScreenSetRes),
  [HomeScreenSubjects.homeScreenChanged]: event(HomeScreenChangedEvent),
};
