/** Polls `probe` until it returns true or the deadline passes. */
export async function waitFor(probe: () => Promise<boolean> | boolean, { timeoutMs = 10_000, intervalMs = 100 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
