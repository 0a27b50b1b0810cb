import { execFileSync } from 'node:child_process';
import { startTestSystem } from '../support/system';

/** The nats-server watchdogs this process has started and not stopped. */
const natsChildren = (): string[] =>
  execFileSync('ps', ['--ppid', String(process.pid), '-o', 'args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('nats-server'));

describe('the test harness after a failed set-up', () => {
  it('stops the private nats-server of a system that cannot start', async () => {
    const before = natsChildren();
    await expect(startTestSystem({ PORT: 'not-a-port' })).rejects.toThrow(/PORT/);
    expect(natsChildren()).toEqual(before);
  });
});
