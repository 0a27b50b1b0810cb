import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A child process that allocates, goes quiet and is collected in full, with V8 tracing its memory reducer
 * (started 100 ms after a full collection rather than 8 s). The reducer then plans collections of its own
 * ("waiting for …") unless keepGcPausesShort() ran.
 */
async function reducerTrace(keepShort: boolean): Promise<string> {
  const script = `
    const { keepGcPausesShort } = require(${JSON.stringify(join(__dirname, 'gc-pauses.ts'))});
    if (${keepShort}) keepGcPausesShort();
    let garbage = [];
    for (let i = 0; i < 300000; i++) garbage.push({ i, s: 'x' + i });
    garbage = null;
    setTimeout(() => { gc(); setTimeout(() => undefined, 1000); }, 500);
  `;
  const args = [
    '-r',
    '@swc-node/register',
    '--expose-gc',
    '--trace-memory-reducer',
    '--trace-gc',
    '--gc-memory-reducer-start-delay-ms=100',
  ];
  const { stdout } = await run(process.execPath, [...args, '-e', script], { cwd: join(__dirname, '..', '..', '..', '..') });
  return stdout;
}

describe('keepGcPausesShort', () => {
  it('leaves V8 no memory-reducing collections to plan after a full one', async () => {
    const [usual, kept] = await Promise.all([reducerTrace(false), reducerTrace(true)]);
    // the control: without it the reducer takes note of the full collection and plans more
    expect(usual).toMatch(/Memory reducer: /);
    expect(usual).toMatch(/Memory reducer: (waiting for|started GC)/);
    // with it the reducer still hears of the collection, and plans none
    expect(kept).toMatch(/Memory reducer: /);
    expect(kept).not.toMatch(/Memory reducer: (waiting for|started GC)/);
    expect(kept).not.toMatch(/Mark-Compact \(reduce\)/);
  }, 30_000);
});
