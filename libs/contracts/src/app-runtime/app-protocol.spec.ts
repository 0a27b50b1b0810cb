import { APP_PROTOCOL, AppToClient, ClientToApp } from './app-protocol';

describe('app window-message protocol', () => {
  const ok = (message: object) => AppToClient.safeParse({ gatehouse: APP_PROTOCOL, id: 'm1', ...message }).success;

  it('accepts the messages an app sends', () => {
    expect(ok({ type: 'connect' })).toBe(true);
    expect(ok({ type: 'login', challenge: 'c-123' })).toBe(true);
    expect(ok({ type: 'call', api: 'phone', message: { number: '1' }, target: 'ask' })).toBe(true);
    expect(ok({ type: 'call', api: 'phone', target: 'softphone' })).toBe(true);
    expect(ok({ type: 'attach', label: 'Alice', query: 'id=alice', fragment: 'x=1' })).toBe(true);
    expect(ok({ type: 'badge', count: 0 })).toBe(true);
  });

  it('drops another version, an unknown type or field, and values outside the protocol', () => {
    expect(AppToClient.safeParse({ gatehouse: 'app/2', id: 'm1', type: 'connect' }).success).toBe(false);
    expect(ok({ type: 'navigate', url: 'https://evil.example' })).toBe(false);
    expect(ok({ type: 'connect', extra: true })).toBe(false);
    expect(ok({ type: 'badge', count: -1 })).toBe(false);
    expect(ok({ type: 'badge', count: 1.5 })).toBe(false);
    expect(ok({ type: 'call', api: 'phone', target: '../other' })).toBe(false);
    // An item may not break out of its home-screen entry.
    expect(ok({ type: 'attach', label: 'Alice', query: 'id=alice,evil' })).toBe(false);
    expect(ok({ type: 'attach', label: 'Alice', fragment: 'a#b' })).toBe(false);
    expect(ok({ type: 'login', challenge: 'x'.repeat(1025) })).toBe(false);
    expect(AppToClient.safeParse({ gatehouse: APP_PROTOCOL, type: 'connect' }).success).toBe(false);
  });

  it('checks what the client sends just as strictly', () => {
    expect(ClientToApp.safeParse({ gatehouse: APP_PROTOCOL, type: 'colorScheme', scheme: 'dark' }).success).toBe(true);
    expect(ClientToApp.safeParse({ gatehouse: APP_PROTOCOL, type: 'colorScheme', scheme: 'neon' }).success).toBe(false);
    expect(
      ClientToApp.safeParse({ gatehouse: APP_PROTOCOL, type: 'reply', id: 'm1', error: { code: 'timeout', message: 'late' } }).success,
    ).toBe(true);
    expect(ClientToApp.safeParse({ gatehouse: APP_PROTOCOL, type: 'reply', id: 'm1', error: { code: 'boom', message: 'x' } }).success).toBe(
      false,
    );
    expect(
      ClientToApp.safeParse({ gatehouse: APP_PROTOCOL, type: 'presence', presence: { status: 'busy', note: 'In a meeting' } }).success,
    ).toBe(true);
  });
});
