import type { Api } from './api';
import { openSocket } from './socket';
import type { ActiveLogin, PendingLogin, PendingStatus } from './types';

export type PendingOutcome =
  { status: 'approved'; login: ActiveLogin } | { status: Exclude<PendingStatus, 'pending' | 'approved'> | 'lost' };

const POLL_MS = 5000;

/**
 * Waits for a login to be approved or rejected: told at once over the WebSocket
 * (`{ type: "pending" }` first message, then `approval.decided`), with slow polling as a backstop.
 * The first read after approval carries the new session, once; `lost` means another reader took it.
 */
export function watchPending(api: Api, pending: PendingLogin, done: (outcome: PendingOutcome) => void): () => void {
  let finished = false;
  let reading = false;
  const finish = (outcome: PendingOutcome) => {
    if (finished) return;
    stop();
    done(outcome);
  };
  const read = async () => {
    if (finished || reading) return;
    reading = true;
    try {
      const reply = await api.call('GET /auth/login/pending/:id', {
        params: { id: pending.pendingId },
        auth: false,
        headers: { authorization: `Pending ${pending.pollToken}` },
      });
      if (reply.status === 'approved') {
        finish('session' in reply ? { status: 'approved', login: { ...reply, status: 'active' } } : { status: 'lost' });
      } else if (reply.status !== 'pending') finish({ status: reply.status });
    } catch {
      // network or server trouble: the next poll tries again
    } finally {
      reading = false;
    }
  };
  const closeSocket = openSocket(
    async () => ({ type: 'pending', pendingId: pending.pendingId, pollToken: pending.pollToken }),
    (message) => {
      if (message.type === 'approval.decided') void read();
    },
    () => undefined,
  );
  const timer = window.setInterval(() => void read(), POLL_MS);
  const expiry = window.setTimeout(() => void read(), Math.max(0, Date.parse(pending.expiresAt) - Date.now()) + 1000);
  function stop() {
    finished = true;
    closeSocket();
    window.clearInterval(timer);
    window.clearTimeout(expiry);
  }
  return stop;
}
