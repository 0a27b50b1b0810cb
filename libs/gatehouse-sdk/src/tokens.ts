/**
 * The lasting token of seed 002: a session's id and password in one string (`gh1.<sessionId>.<password>`).
 * It never travels again after login; access tokens are minted from it by challenge-response.
 */
export interface SessionToken {
  sessionId: string;
  password: string;
}

const PREFIX = 'gh1.';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const formatToken = (token: SessionToken): string => `${PREFIX}${token.sessionId}.${token.password}`;

export function parseToken(text: unknown): SessionToken | null {
  if (typeof text !== 'string' || !text.startsWith(PREFIX)) return null;
  const rest = text.slice(PREFIX.length);
  const dot = rest.indexOf('.');
  const sessionId = rest.slice(0, dot);
  const password = rest.slice(dot + 1);
  return dot > 0 && UUID.test(sessionId) && password ? { sessionId, password } : null;
}

/** What is kept between page loads: the token and when the origin's lifetime ends it (ms since 1970, or null: unknown). */
export interface SavedLogin {
  token: string;
  until: number | null;
}

/** Where saved logins live: the page's local storage, or nothing (nodom, Node, storage refused). */
export interface TokenStore {
  load(key: string): SavedLogin | null;
  save(key: string, login: SavedLogin): void;
  remove(key: string): void;
}

export const noStore: TokenStore = { load: () => null, save: () => undefined, remove: () => undefined };

/** The page's local storage when there is one that works; otherwise nothing is kept. */
export function browserStore(): TokenStore {
  let storage: Storage | undefined;
  try {
    storage = typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    storage = undefined; // blocked by the browser's settings
  }
  if (!storage) return noStore;
  const local = storage;
  return {
    load(key) {
      try {
        const parsed = JSON.parse(local.getItem(key) ?? 'null') as SavedLogin | null;
        return parsed && parseToken(parsed.token)
          ? { token: parsed.token, until: typeof parsed.until === 'number' ? parsed.until : null }
          : null;
      } catch {
        return null;
      }
    },
    save(key, login) {
      try {
        local.setItem(key, JSON.stringify(login));
      } catch {
        // full or refused: the login still works for this page
      }
    },
    remove(key) {
      try {
        local.removeItem(key);
      } catch {
        // nothing to do
      }
    },
  };
}
