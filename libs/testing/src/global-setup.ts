import { prepareTemplate } from './databases';
import { publishServers, startServers } from './servers';

/** Jest global setup: servers up (containers or local), migrated template database ready. */
export default async function globalSetup(): Promise<void> {
  const { servers, stop } = await startServers();
  publishServers(servers);
  process.env.GATEHOUSE_TEST_TEMPLATE = await prepareTemplate(servers.postgresUrl);
  (globalThis as { __gatehouseStopServers?: () => Promise<void> }).__gatehouseStopServers = stop;
}
