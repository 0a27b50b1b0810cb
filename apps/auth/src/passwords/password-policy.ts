import { PASSWORD_MAX_LENGTH } from '@gatehouse/contracts';
import { normalisePassword } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { commonPasswords } from './common-passwords';

const common = new Set(commonPasswords.map((p) => p.normalize('NFKC').toLowerCase()));

/** NIST 800-63B: length, not composition; 8 with a second factor, 15 without. */
export const minimumLength = (twoFactor: boolean, adminMinimum = 0) => Math.max(twoFactor ? 8 : 15, adminMinimum);

/** Throws weak_password naming the rule; counts code points of the NFKC form, never truncates. */
export function checkPassword(password: string, options: { twoFactor: boolean; adminMinimum?: number }): void {
  const normalised = normalisePassword(password);
  const length = [...normalised].length;
  const min = minimumLength(options.twoFactor, options.adminMinimum);
  if (length < min) throw new AppError('weak_password', `The password must have at least ${min} characters`, { rule: 'min_length', min });
  if (length > PASSWORD_MAX_LENGTH) {
    throw new AppError('weak_password', `The password may have at most ${PASSWORD_MAX_LENGTH} characters`, { rule: 'max_length', max: PASSWORD_MAX_LENGTH });
  }
  if (common.has(normalised.toLowerCase())) throw new AppError('weak_password', 'This password is too common', { rule: 'common' });
}
