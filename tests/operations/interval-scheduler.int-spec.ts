import { randomBytes } from 'node:crypto';
import { IntervalScheduler, Metrics, Redis, createLogger, createRedis } from '@gatehouse/platform';
import { testServers } from '@gatehouse/testing';

describe('IntervalScheduler against Redis', () => {
  const prefix = `ghtest:${randomBytes(6).toString('hex')}:`;
  const connections: Redis[] = [];
  const replica = async (task: () => Promise<unknown>, intervalMs = 3_600_000) => {
    const redis = createRedis({ url: testServers().redisUrl, prefix });
    connections.push(redis);
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
    const sut = new IntervalScheduler(redis, createLogger({ service: 'test', level: 'silent' }), new Metrics('test'));
    sut.every('test.job', intervalMs, task);
    return sut;
  };
  afterAll(async () => {
    await connections[0]?.del('schedule:test.job'); // claims of an hour-long interval would outlive the test by two
    await Promise.all(connections.map((r) => r.quit().catch(() => undefined)));
  });

  it('runs a job once per interval however many replicas tick in it', async () => {
    let runs = 0;
    const task = async () => void runs++;
    const [a, b, c] = await Promise.all([replica(task), replica(task), replica(task)]);

    const together = await Promise.all([a, b, c].map((sut) => sut.tick('test.job')));
    const later = [await a.tick('test.job'), await b.tick('test.job'), await c.tick('test.job')];

    expect(together.sort()).toEqual(['ran', 'skipped', 'skipped']);
    expect(later).toEqual(['skipped', 'skipped', 'skipped']);
    expect(runs).toBe(1);
    await Promise.all([a, b, c].map((sut) => sut.beforeApplicationShutdown()));
  });

  it('leaves an interval to the others while its own run is still going', async () => {
    let finish!: () => void;
    const sut = await replica(() => new Promise<void>((resolve) => (finish = resolve)), 50);
    const first = sut.tick('test.job');
    await new Promise((resolve) => setTimeout(resolve, 120)); // a later interval
    expect(await sut.tick('test.job')).toBe('busy');
    finish();
    expect(await first).toBe('ran');
    await sut.beforeApplicationShutdown();
  });

  it('still runs the job while Redis is unreachable', async () => {
    let runs = 0;
    const sut = await replica(async () => void runs++);
    connections.at(-1)!.disconnect();
    expect(await sut.tick('test.job')).toBe('ran_unlocked');
    expect(runs).toBe(1);
    await sut.beforeApplicationShutdown();
  });
});
