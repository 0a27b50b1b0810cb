import { sessionExpiry } from './lifetime';

const DAY = 86_400_000;

describe('sessionExpiry', () => {
  it('ends a default session 24 hours after login however much it is used', () => {
    expect(sessionExpiry('default', 0, 20 * DAY)).toBe(DAY);
  });

  it('keeps a refreshable session for a day after its last use', () => {
    expect(sessionExpiry('refreshable', 0, 3 * DAY)).toBe(4 * DAY);
  });

  it('keeps a longLogin session for a week after its last use', () => {
    expect(sessionExpiry('longLogin', 0, 3 * DAY)).toBe(10 * DAY);
  });
});
