import fc from 'fast-check';
import { z } from 'zod';
import { UserListRes } from './directory/directory.contract';
import { ListRes } from './sessions/sessions.contract';
import { NOT_THE_SHAPE, compileStrip } from './strip';

const user = (i: number) => ({
  id: `0d6f7d6e-8a7b-4c1e-9a0e-2a1f5d3c4b${String(i).padStart(2, '0')}`,
  domain: 'example.com',
  username: `greta.hahn${i}`,
  email: i % 2 ? `greta.hahn${i}@example.com` : null,
  displayName: `Greta Hahn ${i}`,
  language: 'de',
  admin: false,
  external: i === 3,
  createdAt: '2026-12-06T20:37:00.000Z',
  sipUri: `sip:greta.hahn${i}@example.com`,
  templates: ['Standard'],
  apps: ['chat', 'phone'],
  devices: i % 3 ? [] : [{ device: 'desk', app: 'phone' }],
});
const userPage = { items: [0, 1, 2, 3].map(user), total: 4, offset: 0, limit: 50 };
const session = {
  id: '0d6f7d6e-8a7b-4c1e-9a0e-2a1f5d3c4b5a',
  device: { name: 'bench', platform: 'node' },
  application: 'longLogin',
  subid: null,
  ip: '127.0.0.1',
  createdAt: '2026-12-06T20:37:00.000Z',
  lastUsedAt: '2026-12-06T20:37:00.000Z',
  expiresAt: '2027-12-06T20:37:00.000Z',
  current: true,
};

describe('compileStrip', () => {
  it('gives what the parse gives for the admin list and the session list', () => {
    expect(UserListRes.safeParse(userPage).success).toBe(true);
    expect(compileStrip(UserListRes)!(userPage)).toEqual(UserListRes.parse(userPage));
    expect(compileStrip(ListRes)!({ sessions: [session] })).toEqual(ListRes.parse({ sessions: [session] }));
  });

  it('returns a reply of exactly its fields as it is, without a copy', () => {
    expect(compileStrip(UserListRes)!(userPage)).toBe(userPage);
  });

  it('leaves out every field the contract does not declare, at any depth', () => {
    const leaky = {
      ...userPage,
      cursor: 'x',
      items: userPage.items.map((item) => ({ ...item, listTotal: 4, homeScreen: '{}' })),
    };
    expect(compileStrip(UserListRes)!(leaky)).toEqual(UserListRes.parse(leaky));
    // A strict object's parse refuses an unknown key; the strip drops it (and the receiver's parse accepts the rest).
    const withDeviceIds = {
      ...leaky,
      items: leaky.items.map((item) => ({ ...item, devices: item.devices.map((d) => ({ ...d, id: 1 })) })),
    };
    const stripped = compileStrip(UserListRes)!(withDeviceIds);
    expect(stripped).toEqual(userPage);
    expect(JSON.stringify(stripped)).not.toMatch(/listTotal|homeScreen|cursor|"id":1/);
  });

  it('applies the rewrites of the schema (trim) as the parse does', () => {
    const padded = { ...userPage, items: [{ ...user(0), devices: [{ device: '  desk ', app: 'phone' }] }] };
    expect(compileStrip(UserListRes)!(padded)).toEqual(UserListRes.parse(padded));
    expect(padded.items[0].devices[0].device).toBe('  desk ');
  });

  it('answers NOT_THE_SHAPE when an object or a list is something else, for the parse to explain', () => {
    const strip = compileStrip(UserListRes)!;
    expect(strip(null)).toBe(NOT_THE_SHAPE);
    expect(strip({ ...userPage, items: {} })).toBe(NOT_THE_SHAPE);
    expect(strip({ ...userPage, items: [...userPage.items, 'user'] })).toBe(NOT_THE_SHAPE);
  });

  it('declines schemas whose parse does more than strip: transforms, defaults, unions, loose objects', () => {
    expect(compileStrip(z.object({ n: z.string().transform(Number) }))).toBeUndefined();
    expect(compileStrip(z.object({ n: z.number().default(1) }))).toBeUndefined();
    expect(compileStrip(z.object({ n: z.union([z.string(), z.object({ a: z.string() })]) }))).toBeUndefined();
    expect(compileStrip(z.looseObject({ a: z.string() }))).toBeUndefined();
    expect(compileStrip(z.object({ a: z.record(z.string(), z.string()) }))).toBeUndefined();
  });

  it('agrees with the parse on any value the parse accepts', () => {
    const schema = z.object({
      a: z.string().trim(),
      b: z.number().int().optional(),
      c: z.array(z.object({ d: z.email().nullable(), e: z.boolean() }).strict()),
      f: z
        .object({ g: z.enum(['x', 'y']) })
        .nullable()
        .optional(),
    });
    const strip = compileStrip(schema)!;
    const extra = fc.dictionary(fc.constantFrom('x1', 'x2', 'listTotal'), fc.jsonValue());
    const value = fc.record(
      {
        a: fc.string(),
        b: fc.option(fc.integer(), { nil: undefined }),
        c: fc.array(fc.tuple(fc.record({ d: fc.option(fc.emailAddress(), { nil: null }), e: fc.boolean() }), extra)),
        f: fc.option(fc.option(fc.tuple(fc.record({ g: fc.constantFrom('x' as const, 'y' as const) }), extra), { nil: null }), {
          nil: undefined,
        }),
      },
      { requiredKeys: ['a', 'c'] },
    );
    fc.assert(
      fc.property(value, extra, (v, more) => {
        const input = {
          ...more,
          ...v,
          c: v.c.map(([item, x]) => ({ ...x, ...item })),
          ...(v.f ? { f: { ...v.f[1], ...v.f[0] } } : 'f' in v ? { f: v.f } : {}),
        };
        const parsed = schema.safeParse(input);
        fc.pre(parsed.success);
        expect(strip(input)).toEqual(parsed.data);
      }),
      { numRuns: 300 },
    );
  });
});
