import WebSocket from 'ws';

export interface TestSocket {
  ws: WebSocket;
  messages: Record<string, any>[];
  closed: Promise<{ code: number; reason: string; at: number }>;
  next(type: string, timeoutMs?: number): Promise<Record<string, any>>;
}

/** A client socket on /api/v1/ws that records what the server says and how it closes. */
export async function openSocket(url: string): Promise<TestSocket> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/ws`);
  const messages: Record<string, any>[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    messages.push(JSON.parse(data.toString()));
    waiters.splice(0).forEach((wake) => wake());
  });
  const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString(), at: Date.now() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = (type: string, timeoutMs = 3000) =>
    new Promise<Record<string, any>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} message within ${timeoutMs} ms`)), timeoutMs);
      const look = () => {
        const found = messages.find((m) => m.type === type);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        } else waiters.push(look);
      };
      look();
    });
  return { ws, messages, closed, next };
}

export async function authedSocket(url: string, accessToken: string): Promise<TestSocket> {
  const socket = await openSocket(url);
  socket.ws.send(JSON.stringify({ type: 'auth', accessToken }));
  await socket.next('ready');
  return socket;
}
