const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A plain page for the browser that came back from the provider: no stack traces, no details. */
export function oauth2ErrorPage(code: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Login failed</title></head>
<body><h1>Login failed</h1><p>${escapeHtml(message)}</p><p><code>${escapeHtml(code)}</code></p></body></html>`;
}
