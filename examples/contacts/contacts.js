// The contacts example app: logs its user in, calls the phone API, attaches contacts to the home screen.
const sdk = await import(document.documentElement.dataset.sdk);
const app = document.documentElement.dataset.app;
const $ = (id) => document.getElementById(id);
const post = (path, body) =>
  fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }).then(async (r) => ({
    status: r.status,
    body: await r.json(),
  }));
const contacts = [
  { id: 'alice', name: 'Alice Example', number: '+49 30 1234567' },
  { id: 'bob', name: 'Bob Example', number: '+49 30 7654321' },
];
const show = (error) => ($('error').textContent = `${error.code ?? 'error'}: ${error.message}`);
const scheme = (value) => {
  $('scheme').textContent = value;
  document.body.classList.toggle('dark', value === 'dark');
};

// For the tests and the curious: the library and the helper that talks to this app's own server.
Object.assign(window, { sdk, example: { post: (what, body) => post(`${app}/${what}`, body) } });

for (const contact of contacts) {
  const call = document.createElement('button');
  call.textContent = `Call ${contact.name}`;
  call.onclick = () =>
    sdk
      .call('phone', { number: contact.number }, { target: $('target').value })
      .then((result) => ($('result').textContent = JSON.stringify(result)), show);
  const attach = document.createElement('button');
  attach.textContent = `Attach ${contact.name}`;
  attach.onclick = () =>
    sdk.attach({ label: contact.name, query: `id=${contact.id}` }).then(() => ($('result').textContent = `attached ${contact.name}`), show);
  const item = document.createElement('li');
  item.append(`${contact.name} (${contact.number}) `, call, ' ', attach);
  $('contacts').append(item);
}

try {
  const info = await sdk.connect();
  $('user').textContent = `${info.user.displayName} <${info.user.username}@${info.user.domain}>`;
  scheme(info.colorScheme);
  sdk.on('colorScheme', scheme);
  const presence = (p) => ($('presence').textContent = p.note ? `${p.status}: ${p.note}` : p.status);
  if (info.presence) presence(info.presence);
  sdk.on('presence', presence);
  for (const phone of await phones()) $('target').append(new Option(phone, phone));
  // App login: our server's challenge, signed by Gatehouse with our shared secret, checked by our server.
  const { body } = await post(`${app}/challenge`);
  const answer = await post(`${app}/login`, await sdk.login(body.challenge));
  $('login').textContent = answer.status === 200 ? `logged in as ${answer.body.user}` : 'login refused';
} catch (error) {
  show(error);
}

async function phones() {
  try {
    return (await sdk.call('phone', { ping: true }, { target: 'all', timeoutMs: 3000 })).map((entry) => entry.app);
  } catch {
    return [];
  }
}
