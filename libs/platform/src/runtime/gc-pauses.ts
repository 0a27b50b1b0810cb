import { setFlagsFromString } from 'node:v8';

/**
 * Keeps V8's memory reducer from collecting: once a process allocates little (a gateway answering token checks
 * from its cache, a service between bursts), the reducer runs two extra full collections ~8 s after a full one,
 * the first compacting the whole heap to give memory back. On the gateway's ~110 MB heap (mostly the code it
 * loaded) that was a 120 ms pause, then 12 ms (--trace-gc in bench:sweep, where they put one idle window's
 * token-check p99 at 11–26 ms against 3–4 ms), and a request that arrives then waits for it. The price: a heap
 * keeps its committed size after a burst (the gateway's ~245 MB instead of ~115 MB) until an ordinary
 * collection shrinks it. Called as a process starts its server (gateway or service); a process-wide setting.
 * The reducer itself is made as V8 starts, so `--no-memory-reducer` has no effect here; its count of
 * collections is read each time it would start one, and zero means none.
 */
export function keepGcPausesShort(): void {
  setFlagsFromString('--memory-reducer-gc-count=0');
}
