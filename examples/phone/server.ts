import { startExampleApp, type ExamplePage, type ExampleAppServer } from '../support/app-server';

/**
 * The phone app's server. One server may offer several phone apps (`phone`, `softphone`, ...), each
 * its own app object in Gatehouse with its own secret; the `websocket` ones hold an app socket.
 */
export function startPhoneApp(options: {
  gatehouseUrl: string;
  domain: string;
  phones: Record<string, Omit<ExamplePage, 'file'>>;
  host?: string;
  port?: number;
}): Promise<ExampleAppServer> {
  return startExampleApp({
    dir: __dirname,
    gatehouseUrl: options.gatehouseUrl,
    domain: options.domain,
    host: options.host,
    port: options.port,
    pages: Object.fromEntries(Object.entries(options.phones).map(([name, page]) => [name, { ...page, file: 'phone.htm' }])),
  });
}
