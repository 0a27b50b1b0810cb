import { escapeHtml } from '../http/html-page';
import { OIDC_PREFIX } from './oidc-configuration';

export const INTERACTION_SCRIPT_PATH = `${OIDC_PREFIX}/interaction.js`;

/** Only its own script; no frames (clickjacking the sign-in), no referrer (the interaction id). */
export const INTERACTION_CSP =
  "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.6rem 0}' +
  'input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box}button{font:inherit;padding:.5rem 1.2rem;margin-top:.8rem}' +
  '.code{font:700 2rem/1.2 ui-monospace,monospace;letter-spacing:.2em}[hidden]{display:none}@media(prefers-color-scheme:dark){body{background:#111;color:#eee}}';

/**
 * The sign-in step of the OpenID Provider: Gatehouse's own login API, run by a small script.
 * A browser that holds the web client's permanent session proves it (challenge + HMAC) and goes on
 * without a prompt; otherwise the user signs in here, with two-factor approval when it is on.
 */
export function interactionPage(uid: string, appName: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>Sign in to ${escapeHtml(appName)}</title><style>${STYLE}</style></head>` +
    `<body data-uid="${escapeHtml(uid)}"><h1>Sign in to ${escapeHtml(appName)}</h1>` +
    `<p id="status">Checking this browser's session…</p>` +
    `<form id="login" hidden><label>Username or email <input name="username" autocomplete="username" required></label>` +
    `<label>Password <input name="password" type="password" autocomplete="current-password" required></label>` +
    `<button type="submit">Sign in</button> <button type="button" id="cancel">Cancel</button></form>` +
    `<div id="pending" hidden><p>Approve this sign-in on another device of yours. The security code is</p><p class="code" id="code"></p></div>` +
    `<script src="${INTERACTION_SCRIPT_PATH}"></script></body></html>`
  );
}

/** Plain browser script (no build step): the login API's calls in order; the session is kept where the web client keeps it. */
export const INTERACTION_SCRIPT = `'use strict';
(function () {
  var uid = document.body.dataset.uid;
  var base = '/oidc/interaction/' + encodeURIComponent(uid);
  var ID_KEY = 'appclient-username', PASSWORD_KEY = 'appclient-password';
  var status = document.getElementById('status');
  var form = document.getElementById('login');
  function show(text) { status.textContent = text; }
  function json(method, path, body, headers) {
    var init = { method: method, headers: Object.assign({}, headers || {}), credentials: 'same-origin' };
    if (body !== undefined) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
    return fetch(path, init).then(function (res) { return res.text().then(function (t) { return { status: res.status, body: t ? JSON.parse(t) : {} }; }); });
  }
  function hex(buffer) { return Array.prototype.map.call(new Uint8Array(buffer), function (b) { return ('0' + b.toString(16)).slice(-2); }).join(''); }
  function proveSession(id, password) {
    return json('POST', '/api/v1/auth/sessions/' + encodeURIComponent(id) + '/challenge', {}).then(function (c) {
      if (c.status !== 200) throw new Error('session');
      var enc = new TextEncoder();
      return crypto.subtle.importKey('raw', enc.encode(password), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
        .then(function (key) { return crypto.subtle.sign('HMAC', key, enc.encode(c.body.nonce)); })
        .then(function (sig) { return json('POST', '/api/v1/auth/sessions/' + encodeURIComponent(id) + '/token', { nonce: c.body.nonce, proof: hex(sig) }); })
        .then(function (t) { if (t.status !== 200) throw new Error('session'); return t.body.accessToken; });
    });
  }
  function finish(accessToken) {
    show('Signing in…');
    return json('POST', base + '/login', undefined, { authorization: 'Bearer ' + accessToken }).then(function (r) {
      if (r.body.redirectTo) { location.assign(r.body.redirectTo); return; }
      throw new Error((r.body.error && r.body.error.message) || 'Sign-in failed');
    });
  }
  function signedIn(body) {
    localStorage.setItem(ID_KEY, body.session.id);
    localStorage.setItem(PASSWORD_KEY, body.session.password);
    return finish(body.accessToken);
  }
  function poll(pending) {
    return new Promise(function (resolve) { setTimeout(resolve, 1000); }).then(function () {
      return json('GET', '/api/v1/auth/login/pending/' + encodeURIComponent(pending.pendingId), undefined, { authorization: 'Pending ' + pending.pollToken });
    }).then(function (r) {
      if (r.status === 200 && r.body.status === 'approved' && r.body.session) return signedIn(r.body);
      if (r.status === 200 && r.body.status === 'pending') return poll(pending);
      document.getElementById('pending').hidden = true;
      form.hidden = false;
      show(r.body.status === 'rejected' ? 'The sign-in was rejected.' : 'The sign-in was not approved in time.');
    });
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    show('Signing in…');
    var data = new FormData(form);
    json('POST', '/api/v1/auth/login', { username: data.get('username'), password: data.get('password'), device: { name: 'Web browser', platform: 'web' } }).then(function (r) {
      if (r.status === 200) return signedIn(r.body);
      if (r.status === 202) {
        form.hidden = true;
        document.getElementById('code').textContent = r.body.securityCode;
        document.getElementById('pending').hidden = false;
        show('Waiting for approval…');
        return poll(r.body);
      }
      show((r.body.error && r.body.error.message) || 'Sign-in failed');
    }).catch(function (e) { show(e.message); });
  });
  document.getElementById('cancel').addEventListener('click', function () {
    json('POST', base + '/abort').then(function (r) { if (r.body.redirectTo) location.assign(r.body.redirectTo); });
  });
  var id = localStorage.getItem(ID_KEY), password = localStorage.getItem(PASSWORD_KEY);
  var start = id && password ? proveSession(id, password).then(finish) : Promise.reject(new Error('none'));
  start.catch(function (e) {
    form.hidden = false;
    show(e.message === 'none' || e.message === 'session' ? 'Sign in with your Gatehouse account.' : e.message);
  });
})();
`;
