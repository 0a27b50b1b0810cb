/**
 * Gatehouse for web apps on other origins (seed 002), served by the gateway at `/sdk/gatehouse.js`:
 *
 *   import { Auth } from 'https://gatehouse.example.com/sdk/gatehouse.js';
 *   const { user } = await Auth.login();
 *
 * The module also sets the global `Gatehouse` (`Gatehouse.Auth.login(...)`) in browsers. From Node,
 * import the package (`@gatehouse/gatehouse-sdk`) and call `Auth.setHost(url)` first.
 *
 * The session core (session-keeper.ts: challenge-response, the cached access token, a session that is
 * gone) and the JSON transport (http.ts) are also the first-party web client's (apps/web imports them
 * by source); they import nothing of the web client.
 */
import { Auth as AuthClass } from './auth';
import { GatehouseError } from './http';

export type { GatehouseUser, LoginOptions, LoginResult, LogoutEvent, PendingInfo } from './auth';
export type { Errno } from './http';
export type { HostedLoginMessage } from './protocol';
export { AuthClass, GatehouseError };

/** This page's (or process's) login. */
export const Auth = new AuthClass();

const Gatehouse = { Auth, GatehouseError };
export default Gatehouse;

if (typeof window !== 'undefined') (window as unknown as { Gatehouse: typeof Gatehouse }).Gatehouse = Gatehouse;
