import { sessionExpiry } from './lifetime';

const DAY = 86_400_000;
const MAX = 30 * DAY;

describe('sessionExpiry', () => {
  it('ends a default session 24 hours after login however much it is used', () => {
    expect(sessionExpiry('default', 0, 20 * DAY, MAX)).toBe(DAY);
  });

  it('keeps a refreshable session for a day after its last use', () => {
    expect(sessionExpiry('refreshable', 0, 3 * DAY, MAX)).toBe(4 * DAY);
  });

  it('keeps a longLogin session for a week after its last use', () => {
    expect(sessionExpiry('longLogin', 0, 3 * DAY, MAX)).toBe(10 * DAY);
  });

  it('ends any session at the absolute limit after login, however recently it was used', () => {
    expect(sessionExpiry('longLogin', 0, 29 * DAY, MAX)).toBe(MAX);
    expect(sessionExpiry('refreshable', 0, 29.5 * DAY, MAX)).toBe(MAX);
    expect(sessionExpiry('default', 0, 0, 12 * 3_600_000)).toBe(12 * 3_600_000);
  });
});
