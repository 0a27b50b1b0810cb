// OpenTelemetry tracing (issue 23): a span per HTTP request, NATS hop, SQL statement and Redis call,
// the trace context carried in NATS headers beside the request id. On when OTEL_EXPORTER_OTLP_ENDPOINT
// (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, or when a test hands in an exporter; otherwise
// nothing of the SDK is even loaded, and the NATS client and handlers skip every tracing step.
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { tracing } from '@opentelemetry/sdk-node';

export interface TracingOptions {
  /** `service.name` of every span this process makes (one process may run every service: `gatehouse`). */
  serviceName: string;
  /** Where spans go instead of OTLP (tests: an InMemorySpanExporter); each span is handed over as it ends. */
  exporter?: tracing.SpanExporter;
  /** The environment to read OTEL_EXPORTER_OTLP_ENDPOINT from (process.env by default). */
  env?: Record<string, string | undefined>;
}

export interface Tracing {
  readonly serviceName: string;
  /** Hands every ended span to the exporter now. */
  forceFlush(): Promise<void>;
  /** Flushes, stops the SDK and takes the instrumentation off the modules it wrapped. */
  shutdown(): Promise<void>;
}

/** What each instrumentation class offers besides the Instrumentation interface: the modules it wraps. */
interface ModuleDefinition {
  name: string;
  patch?: (exports: any, version?: string) => unknown;
  unpatch?: (exports: any, version?: string) => void;
}
type ModuleInstrumentation = Instrumentation & { getModuleDefinitions(): ModuleDefinition[] };

let active: Tracing | undefined;
let starting: Promise<Tracing | undefined> | undefined;

/** True once tracing runs in this process: the NATS client and handlers do nothing for it otherwise. */
export const tracingEnabled = (): boolean => active !== undefined;

/** The OTLP endpoint the environment names, checked once; undefined: tracing stays off. */
export function otlpEndpoint(env: Record<string, string | undefined> = process.env): string | undefined {
  const value = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`OTEL_EXPORTER_OTLP_ENDPOINT is not a URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`OTEL_EXPORTER_OTLP_ENDPOINT must be http(s): ${value}`);
  return value;
}

/**
 * Starts tracing for this process, once: the first caller names the service, later calls return the
 * same handle. Returns undefined (and loads nothing) when there is neither an exporter nor an endpoint.
 */
export function startTracing(options: TracingOptions): Promise<Tracing | undefined> {
  if (active) return Promise.resolve(active);
  if (!options.exporter && !otlpEndpoint(options.env)) return Promise.resolve(undefined);
  starting ??= start(options).finally(() => (starting = undefined));
  return starting;
}

/** Where spans are POSTed: the traces endpoint as given, or `<endpoint>/v1/traces` (the OTLP/HTTP convention). */
function tracesUrl(env: Record<string, string | undefined>): string {
  const endpoint = otlpEndpoint(env)!;
  return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? endpoint : `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}

async function start({ serviceName, exporter, env = process.env }: TracingOptions): Promise<Tracing> {
  const [{ NodeSDK, tracing }, { HttpInstrumentation }, { PgInstrumentation }, { IORedisInstrumentation }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/instrumentation-ioredis'),
  ]);
  const spanProcessor = exporter
    ? new tracing.SimpleSpanProcessor(exporter)
    : new tracing.BatchSpanProcessor(
        new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter({ url: tracesUrl(env) }),
      );
  const instrumentations: ModuleInstrumentation[] = [
    new HttpInstrumentation({
      // probes and scrapes are not requests anyone follows
      ignoreIncomingRequestHook: (request) => /^\/(health|metrics)\b/.test(request.url ?? ''),
    }),
    // Statements and Redis calls inside a request or a NATS hop; pool pings and timers alone make no trace.
    new PgInstrumentation({ requireParentSpan: true }),
    new IORedisInstrumentation({ requireParentSpan: true }),
  ];
  const sdk = new NodeSDK({ serviceName, spanProcessors: [spanProcessor], instrumentations, autoDetectResources: false });
  sdk.start();
  const unpatch = patchLoadedModules(instrumentations);
  const handle: Tracing = {
    serviceName,
    forceFlush: () => spanProcessor.forceFlush(),
    async shutdown() {
      if (active !== handle) return;
      active = undefined;
      unpatch();
      await sdk.shutdown();
      const api = await import('@opentelemetry/api');
      api.trace.disable();
      api.context.disable();
      api.propagation.disable();
    },
  };
  active = handle;
  return handle;
}

/**
 * The instrumentations wrap modules as they are required; the services load pg, ioredis and http
 * before tracing starts (and Jest loads modules through its own registry, which those hooks never
 * see). So each instrumented module is also wrapped here, as this process's own `require` resolves it
 * (the patches unwrap before they wrap, so a module wrapped twice is wrapped once).
 */
function patchLoadedModules(instrumentations: ModuleInstrumentation[]): () => void {
  const undo: (() => void)[] = [];
  for (const instrumentation of instrumentations) {
    for (const definition of instrumentation.getModuleDefinitions()) {
      const loaded = loadModule(definition.name);
      if (!loaded || !definition.patch) continue;
      definition.patch(loaded.exports, loaded.version);
      undo.push(() => definition.unpatch?.(loaded.exports, loaded.version));
    }
  }
  return () => undo.splice(0).forEach((fn) => fn());
}

function loadModule(name: string): { exports: unknown; version?: string } | undefined {
  try {
    // `require`, not import(): under Jest this is the test file's module registry, the one the services use.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports: unknown = require(name);
    let version: string | undefined;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      version = (require(`${name}/package.json`) as { version?: string }).version;
    } catch {
      version = undefined; // core modules (http, https) have none
    }
    return { exports, version };
  } catch {
    return undefined; // not installed here (pg-pool under another package, say)
  }
}
