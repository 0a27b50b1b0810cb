import { escapeHtml } from '../http/html-page';

/**
 * The provider's own pages (device code entry and approval, logout), in Gatehouse's plain style:
 * no scripts, no fonts or anything else from other hosts. `form` is oidc-provider's hidden form
 * (with its xsrf token); the buttons submit it.
 */
const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box;text-transform:uppercase;text-align:center}' +
  'button{font:inherit;padding:.5rem 1.2rem;margin:.8rem .5rem 0 0}.code{font:700 2rem/1.2 ui-monospace,monospace;letter-spacing:.2em}.error{color:#b00020}@media(prefers-color-scheme:dark){body{background:#111;color:#eee}}';

interface Ctx {
  body?: string;
  type?: string;
  host: string;
  oidc: { client?: { clientId: string; clientName?: string } };
}

function page(ctx: Ctx, title: string, body: string): void {
  ctx.type = 'html';
  ctx.body =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

const appName = (ctx: Ctx) => escapeHtml(ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId ?? 'the app');

export const providerPages = {
  async userCodeInputSource(ctx: Ctx, form: string, _out: unknown, err?: { name?: string; userCode?: string }): Promise<void> {
    const message = !err
      ? '<p>Enter the code your device shows.</p>'
      : err.userCode || err.name === 'NoCodeError'
        ? '<p class="error">That code is not valid or has expired. Try again.</p>'
        : '<p class="error">The request could not be completed. Start again on the device.</p>';
    page(ctx, 'Connect a device', `${message}${form}<button type="submit" form="op.deviceInputForm">Continue</button>`);
  },

  /** Like a new-login approval: the app, the device's code and where the request came from; approve or reject. */
  async userCodeConfirmSource(
    ctx: Ctx,
    form: string,
    _client: unknown,
    deviceInfo: { ip?: string; ua?: string },
    userCode: string,
  ): Promise<void> {
    page(
      ctx,
      'Approve the device',
      `<p>A device asks to sign in to <strong>${appName(ctx)}</strong> as you. It shows this code:</p><p class="code">${escapeHtml(userCode)}</p>` +
        `<p>Requested from ${escapeHtml(deviceInfo.ip ?? 'an unknown address')}${deviceInfo.ua ? ` (${escapeHtml(deviceInfo.ua)})` : ''}. Approve only a device in front of you that shows the same code.</p>` +
        `${form}<button type="submit" form="op.deviceConfirmForm" autofocus>Approve</button>` +
        `<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Reject</button>`,
    );
  },

  async successSource(ctx: Ctx): Promise<void> {
    page(ctx, 'Device approved', `<p>The device is now signed in to ${appName(ctx)}. You can close this page.</p>`);
  },

  async logoutSource(ctx: Ctx, form: string): Promise<void> {
    page(
      ctx,
      'Sign out',
      `<p>Sign out of ${escapeHtml(ctx.host)} in this browser?</p>${form}` +
        `<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button><button type="submit" form="op.logoutForm">Stay signed in</button>`,
    );
  },

  async postLogoutSuccessSource(ctx: Ctx): Promise<void> {
    page(ctx, 'Signed out', `<p>You have signed out${ctx.oidc.client ? ` of ${appName(ctx)}` : ''}.</p>`);
  },
};
