import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { textFrame } from './socket-hub.service';

describe('textFrame', () => {
  let server: WebSocketServer;

  beforeAll(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(server, 'listening');
  });

  afterAll(async () => {
    for (const client of server.clients) client.terminate();
    await new Promise((done) => server.close(done));
  });

  // The three length encodings of RFC 6455 (7 bits, 16 bits, 64 bits), and text beyond ASCII.
  it.each([
    ['short', '{"type":"apps.changed"}'],
    ['16-bit length', JSON.stringify({ raw: 'ä'.repeat(300) })],
    ['64-bit length', 'x'.repeat(70_000)],
  ])('is read by a WebSocket client as the text it was made of (%s)', async (_name, text) => {
    const connected = once(server, 'connection');
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const [, request] = (await connected) as [WebSocket, { socket: NodeJS.WritableStream }];
    await once(client, 'open');
    const received = once(client, 'message');
    request.socket.write(textFrame(text));
    const [data, isBinary] = (await received) as [Buffer, boolean];
    expect(isBinary).toBe(false);
    expect(data.toString()).toBe(text);
    client.terminate();
  });
});
