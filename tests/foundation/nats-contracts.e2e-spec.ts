import { connect, NatsConnection, StringCodec } from 'nats';
import { NatsClient } from '@gatehouse/platform';
import { DirectorySubjects } from '@gatehouse/contracts';
import { startTestSystem, TestSystem } from '../support/system';

describe('NATS contracts', () => {
  let system: TestSystem;
  let raw: NatsConnection;
  let client: NatsClient;
  const codec = StringCodec();

  beforeAll(async () => {
    system = await startTestSystem();
    raw = await connect({ servers: system.testEnv.env.NATS_URL });
    client = new NatsClient(system.testEnv.env.NATS_URL!, 'test-client', 2000);
  });
  afterAll(async () => {
    await raw.close();
    await client.close();
    await system.stop();
  });

  const rawRequest = async (subject: string, body: string) => {
    const reply = await raw.request(subject, codec.encode(body), { timeout: 2000 });
    return JSON.parse(codec.decode(reply.data)) as { err?: { code: string; message: string }; response?: unknown };
  };

  it('answers a payload that breaks the contract with validation_failed', async () => {
    const reply = await rawRequest('directory.user.get', JSON.stringify({ userId: 'not-a-uuid' }));
    expect(reply.err).toMatchObject({ code: 'validation_failed' });
    expect(reply.err?.message).toMatch(/userId/);
  });

  it('answers a payload that is not JSON with validation_failed and keeps serving', async () => {
    const reply = await rawRequest('directory.user.get', '{not json');
    expect(reply.err).toMatchObject({ code: 'validation_failed', message: expect.stringMatching(/not JSON/) });

    const after = await client.send(DirectorySubjects.health, {});
    expect(after).toMatchObject({ service: 'directory', status: 'up' });
  });

  it('refuses unknown fields in a request', async () => {
    const reply = await rawRequest('directory.user.get', JSON.stringify({ userId: '00000000-0000-4000-8000-000000000000', extra: 1 }));
    expect(reply.err).toMatchObject({ code: 'validation_failed' });
  });

  it('turns a domain error into the shared error shape on the caller side', async () => {
    const user = { domain: 'example.com', username: 'alice' };
    await client.send(DirectorySubjects.userCreate, user);
    await expect(client.send(DirectorySubjects.userCreate, user)).rejects.toMatchObject({ code: 'user_exists' });
  });

  it('checks a request on the caller side before it is sent', async () => {
    await expect(client.send(DirectorySubjects.userGet, { userId: 'nope' } as never)).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
