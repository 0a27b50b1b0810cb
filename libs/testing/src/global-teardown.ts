export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __gatehouseStopServers?: () => Promise<void> }).__gatehouseStopServers?.();
}
