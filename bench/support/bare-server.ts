// A Fastify route that checks nothing: the ceiling for bench/token-check.
import Fastify from 'fastify';

async function main() {
  const app = Fastify({ logger: false });
  app.get('/bare', async () => ({ status: 'active' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
  process.stdout.write(`${JSON.stringify({ ready: true, url: `http://127.0.0.1:${port}` })}\n`);
}

void main();
