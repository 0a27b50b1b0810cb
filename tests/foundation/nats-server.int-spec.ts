import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, MicroserviceOptions, NatsContext, Payload, ServerNats } from '@nestjs/microservices';
import { connect, headers as natsHeaders, JSONCodec, Msg, NatsConnection, StringCodec } from 'nats';
import { AppError } from '@gatehouse/errors';
import { EventOf, SessionsSubjects } from '@gatehouse/contracts';
import { LogCapture, PrivateNats, testServers } from '@gatehouse/testing';
import {
  EventHandler,
  GatehouseNatsServer,
  Metrics,
  NatsClient,
  RpcErrorFilter,
  RpcHandler,
  createLogger,
  currentCall,
  currentRequestId,
  natsServerOptions,
  runWithRequestId,
  runtimeProviders,
} from '@gatehouse/platform';

const SESSION = '00000000-0000-4000-8000-000000000001';
const USER = '00000000-0000-4000-8000-000000000002';

type SeenCall = { id: string; waitMs?: number } | undefined;
const seen: {
  touch: { data: unknown; requestId?: string; call?: SeenCall }[];
  revoked: string[];
  revokedAgain: string[];
  revokedCalls: SeenCall[];
} = {
  touch: [],
  revoked: [],
  revokedAgain: [],
  revokedCalls: [],
};

/** The call the handler runs in, as it sees it: the gateway's id and how long the caller still waits. */
const seenCall = (): SeenCall => {
  const call = currentCall();
  return call && { id: call.id(), waitMs: call.deadline === undefined ? undefined : call.deadline - performance.now() };
};

@Controller()
class ProbeController {
  @RpcHandler(SessionsSubjects.touch)
  async touch(@Payload() data: { sessionId: string }) {
    seen.touch.push({ data, requestId: currentRequestId(), call: seenCall() });
    if (data.sessionId === SESSION.replace(/1$/, '9')) throw new AppError('not_found', 'no such session');
    if (data.sessionId === SESSION.replace(/1$/, '8')) throw new Error('database gone');
    // a field the contract does not name never leaves
    return { alive: true, secret: 'internal' };
  }

  @RpcHandler(SessionsSubjects.health)
  health() {
    return { service: 'sessions' as const, status: 'up' as const, checks: {} };
  }

  @EventHandler(SessionsSubjects.revoked)
  revoked(@Payload() event: EventOf<'sessions.session.revoked'>) {
    seen.revoked.push(`${event.sessionId}:${currentRequestId()}`);
    seen.revokedCalls.push(seenCall());
  }

  @MessagePattern('probe.plain')
  plain(@Payload() data: unknown) {
    return { echoed: data };
  }
}

/** A second handler of the same event in the same app (the gateway has such pairs): both run. */
@Controller()
class SecondListener {
  @EventHandler(SessionsSubjects.revoked)
  async revoked(@Payload() event: EventOf<'sessions.session.revoked'>) {
    seen.revokedAgain.push(event.sessionId);
  }
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
};

describe('GatehouseNatsServer', () => {
  let nats: PrivateNats | undefined;
  let url: string;
  let app: INestMicroservice;
  let raw: NatsConnection;
  let client: NatsClient;
  const logs = new LogCapture();
  const logger = createLogger({ service: 'probe', level: 'info', destination: logs });
  const metrics = new Metrics('probe');
  const json = JSONCodec();

  beforeAll(async () => {
    // as createTestEnv: the containers' NATS when tests run against containers, else one of this file's own
    const shared = testServers().natsUrl;
    nats = shared ? undefined : await PrivateNats.start();
    url = shared ?? nats!.url;
    @Module({ controllers: [ProbeController, SecondListener], providers: runtimeProviders({ config: {}, logger, metrics }) })
    class ProbeModule {}
    const options = natsServerOptions(url, 'probe', { queue: 'probe', logger });
    app = await NestFactory.createMicroservice<MicroserviceOptions>(ProbeModule, { ...options, logger: false });
    app.useGlobalFilters(new RpcErrorFilter(logger));
    options.strategy.useMetrics(metrics);
    await app.listen();
    raw = await connect({ servers: url });
    client = new NatsClient(url, 'probe-client', 2000);
  });
  afterAll(async () => {
    await client?.close();
    await raw?.close();
    await app?.close();
    await nats?.stop();
  });

  /** A request as a plain NATS client sends it (no Nest packet): its reply subject is its id. */
  const rawRequest = async (subject: string, body: string) =>
    json.decode((await raw.request(subject, StringCodec().encode(body), { timeout: 2000 })).data) as {
      response?: unknown;
      err?: { code: string; message: string };
      isDisposed?: boolean;
    };

  const counted = async (subject: string, outcome: string) => {
    const counter = (await metrics.registry.getSingleMetric('gatehouse_nats_requests_total')?.get())?.values ?? [];
    return counter.find((value) => value.labels.subject === subject && value.labels.outcome === outcome)?.value ?? 0;
  };

  it('is the strategy natsServerOptions builds, routing by the plain subject', () => {
    const server = natsServerOptions(url, 'probe', { logger }).strategy;
    expect(server).toBeInstanceOf(GatehouseNatsServer);
    expect(server).toBeInstanceOf(ServerNats);
    expect(server.getRouteFromPattern(SessionsSubjects.touch)).toBe(SessionsSubjects.touch);
  });

  it('answers a request with the reply stripped to its contract, inside the caller’s request id', async () => {
    const reply = await client.send(SessionsSubjects.touch, { sessionId: SESSION });
    expect(reply).toEqual({ alive: true });
    const replyRaw = await rawRequest(SessionsSubjects.touch, JSON.stringify({ sessionId: SESSION }));
    expect(replyRaw).toEqual({ response: { alive: true }, isDisposed: true, id: expect.any(String) });

    const headers = natsHeaders();
    headers.set('x-request-id', 'req-42');
    const packet = { pattern: SessionsSubjects.touch, data: { sessionId: SESSION }, id: 'packet-1' };
    const answer = await raw.request(SessionsSubjects.touch, json.encode(packet), { timeout: 2000, headers });
    expect(json.decode(answer.data)).toEqual({ response: { alive: true }, id: 'packet-1', isDisposed: true });
    expect(seen.touch.at(-1)).toEqual({ data: { sessionId: SESSION }, requestId: 'req-42' });
    expect(await counted(SessionsSubjects.touch, 'ok')).toBeGreaterThanOrEqual(3);
  });

  it('serves a handler that takes no payload, still validating it', async () => {
    expect(await client.send(SessionsSubjects.health, {})).toEqual({ service: 'sessions', status: 'up', checks: {} });
    expect((await rawRequest(SessionsSubjects.health, JSON.stringify({ extra: 1 }))).err).toMatchObject({ code: 'validation_failed' });
  });

  it('refuses a payload that breaks the contract or is not JSON, before the handler, logged as the filter logs', async () => {
    const before = seen.touch.length;
    const invalid = await rawRequest(SessionsSubjects.touch, JSON.stringify({ sessionId: 'nope' }));
    expect(invalid).toEqual({
      err: { code: 'validation_failed', message: expect.stringMatching(/^sessions\.session\.touch: .* at sessionId$/) },
      isDisposed: true,
      id: expect.any(String),
    });
    const notJson = await rawRequest(SessionsSubjects.touch, '{nope');
    expect(notJson.err).toEqual({ code: 'validation_failed', message: 'sessions.session.touch: payload is not JSON' });
    expect(seen.touch.length).toBe(before);
    expect(logs.where({ subject: SessionsSubjects.touch, code: 'validation_failed', level: 'info' })).toHaveLength(2);
    expect(await counted(SessionsSubjects.touch, 'validation_failed')).toBe(2);
  });

  it('answers what a handler throws in the one error shape', async () => {
    await expect(client.send(SessionsSubjects.touch, { sessionId: SESSION.replace(/1$/, '9') })).rejects.toMatchObject({
      code: 'not_found',
      message: 'no such session',
    });
    const internal = await rawRequest(SessionsSubjects.touch, JSON.stringify({ sessionId: SESSION.replace(/1$/, '8') }));
    expect(internal.err).toEqual({ code: 'internal_error', message: 'Internal error' });
    expect(logs.where({ subject: SessionsSubjects.touch, msg: 'handler failed', level: 'error' })).toHaveLength(1);
    expect(await counted(SessionsSubjects.touch, 'not_found')).toBe(1);
    expect(await counted(SessionsSubjects.touch, 'error')).toBe(1);
  });

  it('delivers a valid event to every handler of its subject, once, and drops an invalid one', async () => {
    const event = { sessionId: SESSION, userId: USER, external: false, reason: 'logout' };
    const headers = natsHeaders();
    headers.set('x-request-id', 'evt-7');
    raw.publish(SessionsSubjects.revoked, json.encode({ pattern: SessionsSubjects.revoked, data: event }), { headers });
    raw.publish(SessionsSubjects.revoked, json.encode({ pattern: SessionsSubjects.revoked, data: { ...event, sessionId: 'nope' } }));
    // NATS orders messages per connection only: the server has these two before the client's own connection sends
    await raw.flush();
    await client.emit(SessionsSubjects.revoked, { ...event, reason: 'expired' });
    await until(() => seen.revoked.length >= 2 && seen.revokedAgain.length >= 2);
    expect(seen.revoked).toEqual([`${SESSION}:evt-7`, expect.stringMatching(new RegExp(`^${SESSION}:`))]);
    expect(seen.revokedAgain).toEqual([SESSION, SESSION]);
    expect(await counted(SessionsSubjects.revoked, 'ok')).toBe(2);
    expect(await counted(SessionsSubjects.revoked, 'validation_failed')).toBe(1);
  });

  it('sends through NatsClient with the request id, and says why nothing came back', async () => {
    await runWithRequestId('req-client', () => client.send(SessionsSubjects.touch, { sessionId: SESSION }));
    expect(seen.touch.at(-1)).toEqual({ data: { sessionId: SESSION }, requestId: 'req-client' });
    // nobody listens
    await expect(client.send(SessionsSubjects.list, { userId: USER })).rejects.toMatchObject({
      code: 'service_unavailable',
      message: `${SessionsSubjects.list} could not be reached`,
    });
    // somebody listens but never answers
    const silent = raw.subscribe(SessionsSubjects.revoke);
    await raw.flush();
    await expect(
      client.send(SessionsSubjects.revoke, { userId: USER, sessionId: SESSION }, { timeoutMs: 100, retries: 1 }),
    ).rejects.toMatchObject({
      code: 'service_unavailable',
      message: `no answer on ${SessionsSubjects.revoke} in time`,
    });
    expect(silent.getReceived()).toBe(2);
    silent.unsubscribe();
  });

  it("carries a request's call with what is left of the caller's wait, and no call outside one or on an event", async () => {
    const CALL = '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b';
    const call = (deadline?: number) => ({ id: () => CALL, ...(deadline !== undefined ? { deadline } : {}) });

    await runWithRequestId('req-call', () => client.send(SessionsSubjects.touch, { sessionId: SESSION }, { timeoutMs: 2000 }), call());
    const whole = seen.touch.at(-1)!.call!;
    expect(whole.id).toBe(CALL);
    expect(whole.waitMs).toBeGreaterThan(1500); // this request's own timeout
    expect(whole.waitMs).toBeLessThanOrEqual(2000);

    // the call's own deadline is sooner than the request's timeout: that is what the handler may count on
    await runWithRequestId(
      'req-call',
      () => client.send(SessionsSubjects.touch, { sessionId: SESSION }, { timeoutMs: 2000 }),
      call(performance.now() + 400),
    );
    const shorter = seen.touch.at(-1)!.call!;
    expect(shorter.waitMs).toBeGreaterThan(0);
    expect(shorter.waitMs).toBeLessThanOrEqual(400);

    await runWithRequestId('req-none', () => client.send(SessionsSubjects.touch, { sessionId: SESSION }));
    expect(seen.touch.at(-1)!.call).toBeUndefined();

    const events = seen.revoked.length;
    const event = { sessionId: SESSION, userId: USER, external: false, reason: 'logout' as const };
    await runWithRequestId('req-event', () => client.emit(SessionsSubjects.revoked, event), call(performance.now() + 400));
    await until(() => seen.revoked.length > events);
    expect(seen.revokedCalls.at(-1)).toBeUndefined();
  });

  it('leaves a handler without a contract to Nest, and answers a subject without a handler as Nest does', async () => {
    expect(await rawRequest('probe.plain', JSON.stringify({ a: 1 }))).toMatchObject({ response: { echoed: { a: 1 } } });
    const server = natsServerOptions(url, 'probe', { logger }).strategy;
    const responses: unknown[] = [];
    const msg = {
      subject: 'probe.none',
      reply: 'inbox.1',
      data: json.encode({ pattern: 'probe.none', data: {}, id: '1' }),
      headers: undefined,
    };
    await server.handleMessage('probe.none', {
      ...msg,
      respond: (data: Uint8Array) => responses.push(json.decode(data)),
    } as unknown as Msg);
    expect(responses).toEqual([{ id: '1', status: 'error', err: 'There is no matching message handler defined in the remote service.' }]);
  });

  // What the subclass relies on in Nest's ServerNats: a Nest upgrade that changes it fails here first.
  it("still finds Nest's ServerNats as it was written against", () => {
    const server = natsServerOptions(url, 'probe', { logger }).strategy as unknown as Record<string, unknown>;
    for (const member of ['getPublisher', 'handleMessage', 'getRouteFromPattern', 'onProcessingStartHook']) {
      expect(typeof server[member]).toBe('function');
    }
    expect(server.messageHandlers).toBeInstanceOf(Map);
    expect(NatsContext.prototype.getHeaders).toBeDefined();
  });
});
