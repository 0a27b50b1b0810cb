import { z } from 'zod';
import { event, request } from '../contract';
import { Uuid } from '../common/schemas';

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

export const HomeScreenGetReq = z.object({ userId: Uuid }).strict();
/** Exactly one of `raw` (the comma-separated string) or `groups` (the structured form). */
export const HomeScreenSetReq = z
  .object({ userId: Uuid, raw: z.string().max(65536).optional(), groups: HomeScreenGroups.optional() })
  .strict()
  .refine((req) => (req.raw === undefined) !== (req.groups === undefined), { message: 'give exactly one of raw or groups' });

export const HomeScreenChangedEvent = z.object({ userId: Uuid, raw: z.string() });

export const homeScreenContract = {
  [HomeScreenSubjects.homeScreenGet]: request(HomeScreenGetReq, HomeScreenView),
  [HomeScreenSubjects.homeScreenSet]: request(HomeScreenSetReq, HomeScreenView),
  [HomeScreenSubjects.homeScreenChanged]: event(HomeScreenChangedEvent),
};
