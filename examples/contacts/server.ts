import { startExampleApp, type ExampleAppServer } from '../support/app-server';

/** The contacts app's server: `contacts.htm`, `contacts.png`, and its login at `/contacts/challenge|login`. */
export function startContactsApp(options: {
  gatehouseUrl: string;
  domain: string;
  secret: string;
  appId?: string;
  host?: string;
  port?: number;
}): Promise<ExampleAppServer> {
  return startExampleApp({
    dir: __dirname,
    gatehouseUrl: options.gatehouseUrl,
    domain: options.domain,
    host: options.host,
    port: options.port,
    pages: { contacts: { file: 'contacts.htm', appId: options.appId ?? 'contacts', secret: options.secret } },
  });
}
