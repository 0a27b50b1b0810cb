import { z } from 'zod';
import { Actor } from '../common/actor';
import { Domain, IsoDate } from '../common/schemas';

/** The seed's app ID: unique per domain, never shown to users; the characters a home screen item may use. */
export const AppId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._~-]+$/, 'must be an app id (letters, digits and . _ ~ -)');
export type AppId = z.infer<typeof AppId>;

/** A client API name such as `com.innovaphone.phone` (seed 000 "Client APIs and default apps"). */
export const ApiName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._:/+-]+$/, 'must be an API name (letters, digits and . _ : / + -)');

/** An app's base URL: myApps appends `.htm` for the page and `.png` for the icon. */
export const AppBaseUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .max(2000)
  .refine((url) => !/[?#]/.test(url), { message: 'must not have a query or fragment (.htm and .png are appended)' });

/** The name of a device (hardware id or name) a phone app is assigned to. */
export const DeviceName = z.string().trim().min(1).max(200);

/** A phone or softphone app assigned to one of the user's devices (seed 000 "Special case: phone apps"). */
export const DeviceAssignment = z.object({ device: DeviceName, app: AppId }).strict();
export type DeviceAssignment = z.infer<typeof DeviceAssignment>;

/** What any list under /admin answers: one page and the total. */
export const PageReq = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(200).default(50) };
export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int().min(0), offset: z.number().int().min(0), limit: z.number().int().min(1) });

/**
 * Which domain a request acts in: only objects of this domain are found. `actor`: an administrator's
 * request, refused (forbidden) in a domain the actor does not manage; left out by services themselves.
 */
export const DomainScope = { actor: Actor.optional(), domain: Domain };

export const Timestamps = { createdAt: IsoDate, updatedAt: IsoDate };
