// Run by tracing.e2e-spec.ts in a plain Node process (Jest's module sandbox cannot load the OTLP
// exporter's transport): tracing from OTEL_EXPORTER_OTLP_ENDPOINT, one traced NATS-less HTTP round trip
// through the process's own server, then a flush. Prints `{"exported":true}` when the exporter was used.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTracing } from '@gatehouse/platform';

async function main() {
  const tracing = await startTracing({ serviceName: 'gatehouse-otlp-test' });
  if (!tracing) throw new Error('tracing did not start: OTEL_EXPORTER_OTLP_ENDPOINT is not set');
  const server = createServer((_request, response) => response.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => {
    // node:http (not fetch): the client side is traced too
    import('node:http')
      .then(({ get }) => get(`http://127.0.0.1:${port}/traced`, (response) => response.resume().on('end', resolve)).on('error', reject))
      .catch(reject);
  });
  server.close();
  await tracing.shutdown();
  process.stdout.write(`${JSON.stringify({ exported: true })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
