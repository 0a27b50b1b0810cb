import { z } from 'zod';
import { ClientApplication } from './auth.http';

/**
 * GET /auth/oauth2/start?returnTo=&application= : where the client wants to land after the provider
 * login, and the session lifetime it asks for, as in POST /auth/login.
 */
export const OAuth2StartQuery = z.object({ returnTo: z.string().min(1).max(2048), application: ClientApplication.optional() });
export type OAuth2StartQuery = z.infer<typeof OAuth2StartQuery>;
