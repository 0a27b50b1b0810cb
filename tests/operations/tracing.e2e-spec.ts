// Tracing (issue 23): one login's whole trace, read from an in-memory exporter — the HTTP request,
// each NATS hop (the sender's span and the handler's, joined through the message headers), the SQL
// statements and the Redis calls, all in one trace under the request.
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { SpanKind } from '@opentelemetry/api';
import { tracing as sdkTracing } from '@opentelemetry/sdk-node';
import { Tracing, otlpEndpoint, startTracing, tracingEnabled } from '@gatehouse/platform';
import { factory } from '../support/factories';
import { TestSystem, api, startTestSystem } from '../support/system';

type Span = sdkTracing.ReadableSpan;

describe('tracing', () => {
  const exporter = new sdkTracing.InMemorySpanExporter();
  let tracer: Tracing | undefined;
  let system: TestSystem;

  beforeAll(async () => {
    tracer = await startTracing({ serviceName: 'gatehouse', exporter });
    system = await startTestSystem();
  });
  afterAll(async () => {
    await system?.stop();
    await tracer?.shutdown();
  });

  const parentOf = (span: Span) => span.parentSpanContext?.spanId;
  const traceOf = (span: Span) => span.spanContext().traceId;

  it('records a login as one trace: HTTP request, NATS hops, SQL statements and Redis calls', async () => {
    const make = factory(system);
    const user = await make.user();
    await tracer!.forceFlush();
    exporter.reset();

    const login = await api(system, 'POST', '/api/v1/auth/login', {
      body: { username: user.username, password: user.password, device: { name: 'traced', platform: 'node' } },
      headers: { 'x-request-id': 'trace-me-1' },
    });
    expect(login.status).toBe(200);
    // The handlers' spans end as their replies leave; the last may trail the HTTP answer by a moment.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await tracer!.forceFlush();
    const spans = exporter.getFinishedSpans();

    const http = spans.find(
      (s) =>
        s.kind === SpanKind.SERVER &&
        s.instrumentationScope.name.includes('http') &&
        String(s.attributes['url.path'] ?? s.attributes['http.target']).endsWith('/auth/login'),
    );
    expect(http).toBeDefined();
    expect(parentOf(http!)).toBeUndefined(); // the request is the root: fetch is not traced
    const trace = spans.filter((s) => traceOf(s) === traceOf(http!));
    const byId = new Map(trace.map((s) => [s.spanContext().spanId, s]));
    // Every span of the trace hangs from the request, through parents that are in the trace.
    for (const span of trace) {
      let at: Span | undefined = span;
      while (at && parentOf(at)) at = byId.get(parentOf(at)!);
      expect(at).toBe(http);
    }

    // NATS: the gateway's `send` span of the login request, and auth's `process` span as its child.
    const sends = trace.filter((s) => s.name.startsWith('send '));
    const processes = trace.filter((s) => s.name.startsWith('process '));
    expect(sends.map((s) => s.name)).toContain('send auth.login.password');
    const authLogin = processes.find((s) => s.name === 'process auth.login.password');
    expect(authLogin).toBeDefined();
    expect(byId.get(parentOf(authLogin!)!)?.name).toBe('send auth.login.password');
    expect(authLogin!.attributes).toMatchObject({ 'messaging.system': 'nats', 'gatehouse.request_id': 'trace-me-1' });
    // auth asks other services in turn (directory for the user, sessions for the session): hops of hops.
    const nested = processes.filter((s) => s !== authLogin && isBelow(s, authLogin!, byId));
    expect(nested.length).toBeGreaterThan(0);

    // SQL statements and Redis calls, each under the handler that made it.
    const sql = trace.filter((s) => s.instrumentationScope.name.includes('pg') && s.kind === SpanKind.CLIENT);
    const redis = trace.filter((s) => s.instrumentationScope.name.includes('ioredis'));
    expect(sql.length).toBeGreaterThan(0);
    expect(
      sql.some((s) => /INSERT INTO sessions\."Session"/.test(String(s.attributes['db.query.text'] ?? s.attributes['db.statement']))),
    ).toBe(true);
    expect(redis.length).toBeGreaterThan(0);
    for (const span of [...sql, ...redis]) expect(processes.some((p) => isBelow(span, p, byId))).toBe(true);
    // No secret in any attribute: not the password, nor the session password or access token the login returned.
    const attributes = JSON.stringify(trace.map((s) => s.attributes));
    expect(attributes).not.toContain(user.password);
    expect(attributes).not.toContain(login.body.session.password);
    expect(attributes).not.toContain(login.body.accessToken);
  });

  it('exports over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    const received: { path: string; bytes: number; type?: string }[] = [];
    const collector = createServer((request, response) => {
      let bytes = 0;
      request.on('data', (chunk: Buffer) => (bytes += chunk.length));
      request.on('end', () => {
        received.push({ path: request.url ?? '', bytes, type: request.headers['content-type'] });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as AddressInfo;
    try {
      // a process of its own, awaited (not spawnSync: this process's collector must answer meanwhile)
      const child = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', 'tests/operations/tracing-otlp-child.ts'], {
        env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}/` },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(child.stdout).toContain('{"exported":true}');
      // two spans (the server's and the client's) in one OTLP/HTTP request to <endpoint>/v1/traces
      expect(received.length).toBeGreaterThan(0);
      expect(received[0]).toMatchObject({ path: '/v1/traces' });
      expect(received[0].bytes).toBeGreaterThan(100);
    } finally {
      collector.close();
    }
  });

  it('is off, and costs no SDK, without an exporter or OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    tracer = await startTracing({ serviceName: 'gatehouse', exporter });
    expect(tracingEnabled()).toBe(true);
    expect(otlpEndpoint({})).toBeUndefined();
    expect(otlpEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe('http://collector:4318');
    expect(() => otlpEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/must be http/);
    expect(() => otlpEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(/not a URL/);
    // A second start while one runs returns the running one; with nothing to export, none starts.
    expect(await startTracing({ serviceName: 'other', exporter })).toBe(tracer);
    await tracer!.shutdown();
    expect(tracingEnabled()).toBe(false);
    expect(await startTracing({ serviceName: 'off', env: {} })).toBeUndefined();
    expect(tracingEnabled()).toBe(false);
    // Off, a request makes no span at all.
    exporter.reset();
    expect((await api(system, 'GET', '/api/v1/auth/methods')).status).toBe(200);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });
});

function isBelow(span: Span, ancestor: Span, byId: Map<string, Span>): boolean {
  for (let at = byId.get(span.parentSpanContext?.spanId ?? ''); at; at = byId.get(at.parentSpanContext?.spanId ?? '')) {
    if (at === ancestor) return true;
  }
  return false;
}
