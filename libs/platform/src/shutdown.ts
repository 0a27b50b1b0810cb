interface Closable {
  close(): Promise<unknown>;
}

/**
 * On SIGTERM or SIGINT: stop taking work, let in-flight requests finish, drain NATS, exit.
 * Apps close in the order given (the gateway first, so no new request reaches the services).
 */
export function stopOnSignals(apps: Closable[], graceMs = 10_000): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(
      `${JSON.stringify({ level: 'info', msg: `${signal} received, shutting down`, time: new Date().toISOString() })}\n`,
    );
    const deadline = setTimeout(() => process.exit(1), graceMs);
    deadline.unref();
    for (const app of apps) await app.close().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
