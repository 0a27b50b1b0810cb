// The phone example app: provides the phone API to other apps and counts calls in its badge.
const sdk = await import(document.documentElement.dataset.sdk);
const app = document.documentElement.dataset.app;
const $ = (id) => document.getElementById(id);
const post = (path, body) =>
  fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }).then(async (r) => ({
    status: r.status,
    body: await r.json(),
  }));
const scheme = (value) => {
  $('scheme').textContent = value;
  document.body.classList.toggle('dark', value === 'dark');
};
let calls = 0;
$('name').textContent = app;
Object.assign(window, { sdk, example: { post: (what, body) => post(`${app}/${what}`, body) } });
$('clear').onclick = () => {
  calls = 0;
  $('calls').textContent = '0';
  void sdk.setBadge(0);
};

try {
  const info = await sdk.connect();
  $('user').textContent = `${info.user.username}@${info.user.domain}`;
  scheme(info.colorScheme);
  sdk.on('colorScheme', scheme);
  const presence = (p) => ($('presence').textContent = p.note ? `${p.status}: ${p.note}` : p.status);
  if (info.presence) presence(info.presence);
  sdk.on('presence', presence);
  await sdk.provide('phone', async (message, from) => {
    if (message && message.ping) return { app };
    calls += 1;
    $('calls').textContent = String(calls);
    $('last').textContent = `${message.number} (from ${from})`;
    await sdk.setBadge(calls);
    return { app, dialing: message.number };
  });
  $('ready').textContent = 'ready';
  const { body } = await post(`${app}/challenge`);
  const answer = await post(`${app}/login`, await sdk.login(body.challenge));
  $('login').textContent = answer.status === 200 ? `logged in as ${answer.body.user}` : 'login refused';
} catch (error) {
  $('error').textContent = `${error.code ?? 'error'}: ${error.message}`;
}
