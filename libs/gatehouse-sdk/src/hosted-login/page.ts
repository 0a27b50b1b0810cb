/**
 * The hosted login page (`/hosted-login?origin=&subid=&application=`), run in a pop-up or iframe
 * that a web app on another origin opened with `Gatehouse.Auth.login()`. The gateway renders the
 * page only for a registered origin (and lets only that origin frame it). The page signs in on the
 * API host's own origin (password, Netlogon through the same route, OAuth2, two-factor approval),
 * binds the new session to the app's origin (refused unless the origin is registered for the
 * user's domain), keeps the session in the API host's local storage so that a later login from
 * the same app needs no typing, and posts the login to its opener, aimed at that origin only.
 *
 * Self-contained on purpose: it shares no module with the library bundle (type imports only).
 */
import type { ActiveLoginRes, AuthMethods, PendingLoginRes, PendingStatus } from '@gatehouse/contracts';
import type { HostedLoginMessage } from '../protocol';

const LOGIN_PROTOCOL = 'login/1';
const API = '/api/v1';
const POLL_MS = 1000;

interface Saved {
  id: string;
  password: string;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function api<T>(method: string, path: string, body?: unknown, authorization?: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${API}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(authorization ? { authorization } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network', 'No answer from the server');
  }
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (response.ok) return parsed as T;
  const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
  throw new ApiError(response.status, error?.code ?? 'internal_error', error?.message ?? response.statusText);
}

async function proofFor(password: string, nonce: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(password), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(nonce)));
  return Array.from(signature, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

const root = document.getElementById('gatehouse-login') as HTMLElement;
const origin = root.dataset.origin ?? '';
const subid = root.dataset.subid || undefined;
const application =
  root.dataset.application === 'refreshable' || root.dataset.application === 'longLogin' ? root.dataset.application : undefined;
const opener: Window | null = window.opener ?? (window.parent !== window ? window.parent : null);
const storageKey = `gatehouse-hosted:${origin}:${subid ?? ''}`;

/** An element with properties (`textContent`, `id`, ...) and children. */
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, unknown> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element: HTMLElementTagNameMap[K] = document.createElement(tag);
  Object.assign(element, props);
  element.append(...children);
  return element;
}

function show(...children: (Node | string)[]): void {
  root.replaceChildren(...children);
}

function post(message: HostedLoginMessage): void {
  // Aimed at the registered origin only: if the opener has navigated elsewhere, the browser drops it.
  opener?.postMessage(message, origin);
}

function fail(code: string, message: string, tell = true): void {
  show(el('p', { className: 'error', role: 'alert', textContent: message }));
  if (tell) post({ gatehouse: LOGIN_PROTOCOL, type: 'error', code, message });
}

function loadSaved(): Saved | null {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey) ?? 'null') as Saved | null;
    return saved && typeof saved.id === 'string' && typeof saved.password === 'string' ? saved : null;
  } catch {
    return null;
  }
}

/** A fresh or resumed login: bind it to the app's origin, keep it here, hand it over, close. */
async function handOver(login: Pick<ActiveLoginRes, 'session' | 'accessToken' | 'expiresAt' | 'user'>): Promise<void> {
  const authorization = `Bearer ${login.accessToken}`;
  let tokenUntil: string;
  try {
    tokenUntil = (await api<{ tokenUntil: string }>('POST', '/web-origins/bind', { origin }, authorization)).tokenUntil;
  } catch (error) {
    localStorage.removeItem(storageKey);
    await api('DELETE', '/me/sessions/current', undefined, authorization).catch(() => undefined);
    const code = error instanceof ApiError ? error.code : 'internal_error';
    return fail(code, `${origin} may not sign in with an account of this domain.`);
  }
  localStorage.setItem(storageKey, JSON.stringify({ id: login.session.id, password: login.session.password } satisfies Saved));
  post({
    gatehouse: LOGIN_PROTOCOL,
    type: 'result',
    token: `gh1.${login.session.id}.${login.session.password}`,
    accessToken: login.accessToken,
    expiresAt: login.expiresAt,
    tokenUntil,
    user: login.user,
  });
  show(el('p', { textContent: `Signed in as ${login.user.displayName || login.user.username}.` }));
  if (window.opener) window.close();
}

/** The login this page kept for the app: no typing when it is still alive. */
async function resumeSaved(): Promise<boolean> {
  const saved = loadSaved();
  if (!saved) return false;
  try {
    const { nonce } = await api<{ nonce: string }>('POST', `/auth/sessions/${saved.id}/challenge`);
    const issued = await api<{ accessToken: string; expiresAt: string }>('POST', `/auth/sessions/${saved.id}/token`, {
      nonce,
      proof: await proofFor(saved.password, nonce),
    });
    const user = await api<ActiveLoginRes['user']>('GET', '/me', undefined, `Bearer ${issued.accessToken}`);
    await handOver({ session: saved, accessToken: issued.accessToken, expiresAt: issued.expiresAt, user });
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status >= 400 && error.status < 500) localStorage.removeItem(storageKey);
    return false;
  }
}

type Pending = Pick<PendingLoginRes, 'pendingId' | 'pollToken' | 'securityCode' | 'expiresAt'>;

async function waitForApproval(pending: Pending): Promise<void> {
  const cancel = el('button', { type: 'button', textContent: 'Cancel' });
  let cancelled = false;
  cancel.addEventListener('click', () => {
    cancelled = true;
    void api('DELETE', `/auth/login/pending/${pending.pendingId}`, undefined, `Pending ${pending.pollToken}`).catch(() => undefined);
    fail('cancelled', 'The login was cancelled.');
  });
  show(
    el('h2', { textContent: 'Approve this sign-in' }),
    el('p', { textContent: 'Approve it on a device where you are signed in. Security code:' }),
    el('p', { className: 'code', id: 'security-code', textContent: pending.securityCode }),
    cancel,
  );
  for (;;) {
    await new Promise((wake) => setTimeout(wake, POLL_MS));
    if (cancelled) return;
    let reply: { status: PendingStatus } & Partial<Omit<ActiveLoginRes, 'status'>>;
    try {
      reply = await api('GET', `/auth/login/pending/${pending.pendingId}`, undefined, `Pending ${pending.pollToken}`);
    } catch (error) {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) return fail('expired', 'The sign-in request has ended.');
      continue;
    }
    if (reply.status === 'pending') continue;
    if (reply.status === 'approved' && reply.session && reply.accessToken && reply.expiresAt && reply.user)
      return handOver({ session: reply.session, accessToken: reply.accessToken, expiresAt: reply.expiresAt, user: reply.user });
    return fail(reply.status, reply.status === 'rejected' ? 'The sign-in was rejected.' : `The sign-in request is ${reply.status}.`);
  }
}

function loginForm(methods: AuthMethods | null, notice = ''): void {
  const username = el('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const password = el('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const message = el('p', { className: 'error', role: 'alert', textContent: notice });
  const submit = el('button', { type: 'submit', textContent: 'Sign in' });
  const form = el(
    'form',
    {},
    el('label', { htmlFor: 'username', textContent: 'Username or email' }),
    username,
    el('label', { htmlFor: 'password', textContent: 'Password' }),
    password,
    message,
    submit,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    message.textContent = '';
    void (async () => {
      try {
        const reply = await api<ActiveLoginRes | PendingLoginRes>('POST', '/auth/login', {
          username: username.value,
          password: password.value,
          device: { name: `Web app at ${origin}`.slice(0, 200), platform: 'web' },
          ...(application ? { application } : {}),
          ...(subid ? { subid } : {}),
        });
        if (reply.status === 'pending') await waitForApproval(reply);
        else await handOver(reply);
      } catch (error) {
        message.textContent = error instanceof ApiError ? error.message : 'The sign-in failed.';
        submit.disabled = false;
      }
    })();
  });
  const children: (Node | string)[] = [
    el('h2', { textContent: 'Sign in' }),
    el('p', { className: 'for', textContent: `to ${origin}` }),
    form,
  ];
  if (methods?.oauth2) {
    const returnTo = `${location.origin}${location.pathname}${location.search}`;
    const oauth = document.createElement('a');
    oauth.className = 'button';
    oauth.id = 'oauth2';
    oauth.textContent = `Sign in with ${methods.oauth2.providerName}`;
    oauth.href = `${API}/auth/oauth2/start?${new URLSearchParams({ returnTo, ...(application ? { application } : {}) })}`;
    children.push(oauth);
  }
  show(...children);
  username.focus();
}

/** Back from the OAuth2 provider: the gateway put the login (or the pending one) in the fragment. */
async function fromOAuth2(): Promise<boolean> {
  if (!location.hash) return false;
  const fragment = new URLSearchParams(location.hash.slice(1));
  history.replaceState(null, '', `${location.pathname}${location.search}`);
  const sessionId = fragment.get('sessionId');
  const sessionPassword = fragment.get('sessionPassword');
  const accessToken = fragment.get('accessToken');
  const expiresAt = fragment.get('expiresAt');
  if (sessionId && sessionPassword && accessToken && expiresAt) {
    const user = await api<ActiveLoginRes['user']>('GET', '/me', undefined, `Bearer ${accessToken}`);
    await handOver({ session: { id: sessionId, password: sessionPassword }, accessToken, expiresAt, user });
    return true;
  }
  const pendingId = fragment.get('pendingId');
  const pollToken = fragment.get('pollToken');
  const securityCode = fragment.get('securityCode');
  if (pendingId && pollToken && securityCode && expiresAt) {
    await waitForApproval({ pendingId, pollToken, securityCode, expiresAt });
    return true;
  }
  return false;
}

async function start(): Promise<void> {
  if (!opener) return fail('no_opener', 'Open this page from your app.', false);
  if (await fromOAuth2().catch(() => false)) return;
  if (await resumeSaved()) return;
  const methods = await api<AuthMethods>('GET', '/auth/methods').catch(() => null);
  loginForm(methods);
}

void start();
