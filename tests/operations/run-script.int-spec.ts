import { randomBytes } from 'node:crypto';
import { testServers } from '@gatehouse/testing';
import { Redis, createRedis, runScript } from '@gatehouse/platform';

describe('runScript against Redis', () => {
  let redis: Redis;
  const script = `return redis.call('INCRBY', KEYS[1], ARGV[1]) .. ':${randomBytes(8).toString('hex')}'`; // a script no one else loaded
  beforeAll(async () => {
    redis = createRedis({ url: testServers().redisUrl, prefix: `ghtest:${randomBytes(6).toString('hex')}:` });
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  });
  afterAll(async () => {
    await redis.del('counter');
    await redis.quit();
  });

  it('loads the script once, then runs it by its SHA1 with the prefixed keys', async () => {
    const first = (await runScript(redis, script, ['counter'], [2])) as string;
    const second = (await runScript(redis, script, ['counter'], [3])) as string;
    expect([first.split(':')[0], second.split(':')[0]]).toEqual(['2', '5']);
    expect(await redis.get('counter')).toBe('5'); // the key prefix applied inside the script too
  });

  it('sends the text again when the server lost its scripts', async () => {
    await redis.script('FLUSH');
    expect(((await runScript(redis, script, ['counter'], [1])) as string).split(':')[0]).toBe('6');
  });

  it('passes other errors on', async () => {
    await expect(runScript(redis, "return redis.error_reply('boom')", ['counter'], [])).rejects.toThrow('boom');
  });
});
