import type { ActiveLoginRes } from '@gatehouse/contracts';

/**
 * The hosted login page's one message to its opener (a pop-up's `window.opener` or an iframe's
 * parent), posted with the opener's registered origin as target: the login, or why there is none.
 * The page (src/hosted-login/page.ts) repeats these few constants so that the two bundles share no module.
 */
export const LOGIN_PROTOCOL = 'login/1';
export const HOSTED_LOGIN_PATH = '/hosted-login';

export type HostedLoginMessage =
  | {
      gatehouse: typeof LOGIN_PROTOCOL;
      type: 'result';
      /** The lasting token (`gh1.<sessionId>.<password>`), bound to the opener's origin. */
      token: string;
      accessToken: string;
      expiresAt: string;
      /** When the origin's token lifetime ends the login. */
      tokenUntil: string | null;
      user: ActiveLoginRes['user'];
    }
  | { gatehouse: typeof LOGIN_PROTOCOL; type: 'error'; code: string; message: string };
