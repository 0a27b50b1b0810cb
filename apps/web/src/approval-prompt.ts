import { ApiError, type Api } from './api';
import { h, replace } from './dom';
import { formatTime, t } from './i18n';
import { approveWithPasskey, passkeysSupported } from './passkeys';
import type { ApprovalView } from './types';
import { errorText } from './views/errors';

/**
 * The dialog every signed-in tab shows when another device asks to sign in: device, address, time
 * and security code, Accept / Reject. Requests queue up; one decided anywhere disappears everywhere
 * (`approval.decided`), and each leaves at its expiry.
 */
export class ApprovalPrompt {
  private readonly open = new Map<string, { view: ApprovalView; timer: number }>();
  private readonly dialog = h('dialog', { class: 'approval', 'aria-labelledby': 'approval-title', 'data-testid': 'approval-dialog' });
  private error?: string;
  private busy = false;
  /** After this tab rejected a request: the seed's advice for a sign-in that was not the user's. */
  private advise = false;

  constructor(private readonly api: Api) {
    // A decision is asked for: Escape does not silently drop a request (it only closes the advice).
    this.dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      if (this.current() || !this.advise) return;
      this.advise = false;
      this.render();
    });
    document.body.append(this.dialog);
  }

  /** Everything waiting right now (after sign-in and after a reconnect: pushes may have been missed). */
  async refresh(): Promise<void> {
    const { approvals } = await this.api.call('GET /me/approvals');
    for (const pendingId of this.open.keys()) if (!approvals.some((a) => a.pendingId === pendingId)) this.drop(pendingId, false);
    for (const approval of approvals) this.add(approval, false);
    this.render();
  }

  add(view: ApprovalView, render = true): void {
    const known = this.open.get(view.pendingId);
    if (known) window.clearTimeout(known.timer);
    const timer = window.setTimeout(() => this.drop(view.pendingId), Math.max(0, Date.parse(view.expiresAt) - Date.now()));
    this.open.set(view.pendingId, { view, timer });
    if (render) this.render();
  }

  drop(pendingId: string, render = true): void {
    const known = this.open.get(pendingId);
    if (!known) return;
    window.clearTimeout(known.timer);
    this.open.delete(pendingId);
    if (this.current()?.pendingId !== pendingId) this.error = undefined;
    if (render) this.render();
  }

  destroy(): void {
    for (const { timer } of this.open.values()) window.clearTimeout(timer);
    this.open.clear();
    this.dialog.close();
    this.dialog.remove();
  }

  render(): void {
    // A late answer after sign-out finds the dialog gone.
    if (!this.dialog.isConnected) return;
    const view = this.current();
    if (!view && this.advise) return this.renderAdvice();
    if (!view) {
      this.error = undefined;
      if (this.dialog.open) this.dialog.close();
      this.dialog.replaceChildren();
      return;
    }
    const transfer = view.mode === 'transfer';
    const codeInput = transfer
      ? h('input', {
          id: 'approval-code',
          'data-key': 'approval-code',
          inputmode: 'numeric',
          autocomplete: 'one-time-code',
          required: true,
          maxlength: 32,
        })
      : null;
    replace(
      this.dialog,
      h(
        'form',
        { method: 'dialog', class: 'stack', onsubmit: (e: SubmitEvent) => this.submit(e, view, codeInput) },
        h('h2', { id: 'approval-title' }, t('approvalTitle')),
        h('p', {}, t('approvalIntro')),
        h(
          'dl',
          { class: 'facts' },
          h('dt', {}, t('device')),
          h('dd', { 'data-testid': 'approval-device' }, `${view.device.name} (${view.device.platform})`),
          h('dt', {}, t('address')),
          h('dd', { 'data-testid': 'approval-address' }, view.ip),
          h('dt', {}, t('time')),
          h('dd', {}, h('time', { datetime: view.requestedAt }, formatTime(view.requestedAt))),
          transfer ? null : h('dt', {}, t('securityCode')),
          transfer ? null : h('dd', { class: 'security-code', 'data-testid': 'approval-code' }, view.securityCode ?? ''),
        ),
        transfer ? [h('label', { for: 'approval-code' }, t('approvalEnterCode')), codeInput] : null,
        this.error ? h('p', { class: 'error', role: 'alert' }, this.error) : null,
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'submit',
              value: 'reject',
              formnovalidate: true,
              'data-key': 'approval-reject',
              'aria-disabled': this.busy ? 'true' : undefined,
            },
            t('reject'),
          ),
          h(
            'button',
            {
              type: 'submit',
              value: 'accept',
              class: 'primary',
              'data-key': 'approval-accept',
              'aria-disabled': this.busy ? 'true' : undefined,
            },
            t('accept'),
          ),
        ),
      ),
    );
    if (!this.dialog.open) {
      this.dialog.showModal();
      this.dialog.querySelector<HTMLElement>(transfer ? '#approval-code' : '[data-key="approval-accept"]')?.focus();
    }
  }

  private renderAdvice(): void {
    const close = () => {
      this.advise = false;
      this.render();
    };
    replace(
      this.dialog,
      h(
        'div',
        { class: 'stack' },
        h('h2', { id: 'approval-title' }, t('rejectedTitle')),
        h('p', {}, t('rejectedAdvice')),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', class: 'primary', 'data-key': 'approval-ok', onclick: close }, t('ok')),
        ),
      ),
    );
    if (!this.dialog.open) this.dialog.showModal();
    this.dialog.querySelector<HTMLElement>('[data-key="approval-ok"]')?.focus();
  }

  private current(): ApprovalView | undefined {
    return this.open.values().next().value?.view;
  }

  private async submit(event: SubmitEvent, view: ApprovalView, codeInput: HTMLInputElement | null): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const decision = (event.submitter as HTMLButtonElement | null)?.value === 'reject' ? 'reject' : 'accept';
    const code = decision === 'accept' && codeInput ? codeInput.value.trim() : undefined;
    this.busy = true;
    this.error = undefined;
    this.render();
    try {
      await this.api
        .call('POST /me/approvals/:pendingId', { params: { pendingId: view.pendingId }, body: { decision, ...(code ? { code } : {}) } })
        .catch(async (error: unknown) => {
          // The policy wants a passkey with user verification for an accept: ask the authenticator, then accept with it.
          if (!(error instanceof ApiError && error.code === 'passkey_required' && passkeysSupported())) throw error;
          await approveWithPasskey(this.api, view.pendingId, code);
        });
      this.advise = decision === 'reject';
      this.drop(view.pendingId, false);
    } catch (error) {
      // Decided elsewhere, expired or ended by too many wrong codes: nothing left to answer.
      if (error instanceof ApiError && [404, 409, 410].includes(error.status)) this.drop(view.pendingId, false);
      else this.error = errorText(error);
    } finally {
      this.busy = false;
    }
    this.render();
    // A wrong code: straight back into the field to type it again.
    if (this.error && codeInput) this.dialog.querySelector<HTMLElement>('#approval-code')?.focus();
  }
}
