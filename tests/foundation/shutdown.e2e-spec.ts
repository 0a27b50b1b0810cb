import { connect } from 'node:net';
import { startTestSystem } from '../support/system';

describe('gateway shutdown', () => {
  /** A client that started a request and never finishes it keeps its connection busy. */
  const halfRequest = (url: string) =>
    new Promise<void>((resolve, reject) => {
      const { hostname, port } = new URL(url);
      const socket = connect(Number(port), hostname, () => {
        socket.write(
          'POST /api/v1/auth/login HTTP/1.1\r\nHost: gatehouse\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user',
        );
        setTimeout(resolve, 200);
      });
      socket.on('error', () => undefined);
      socket.once('error', reject);
    });

  it('cuts off a request still open after SHUTDOWN_DRAIN_MS instead of waiting for it', async () => {
    const system = await startTestSystem({ SHUTDOWN_DRAIN_MS: '300' });
    await halfRequest(system.url);
    const started = Date.now();
    await system.stop();
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('waits for it while the drain time lasts', async () => {
    const system = await startTestSystem({ SHUTDOWN_DRAIN_MS: '3000' });
    await halfRequest(system.url);
    const started = Date.now();
    await system.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
  });
});
