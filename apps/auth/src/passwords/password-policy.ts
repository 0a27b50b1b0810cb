import { PASSWORD_MAX_LENGTH } from '@gatehouse/contracts';
import { normalisePassword } from '@gatehouse/crypto';
import { AppError } from '@gatehouse/errors';
import { judgeStrength, type EstimateStrength } from './password-strength';

/** NIST 800-63B: length, not composition; 8 with a second factor, 15 without. */
export const minimumLength = (twoFactor: boolean, adminMinimum = 0) => Math.max(twoFactor ? 8 : 15, adminMinimum);

export interface PasswordRules {
  twoFactor: boolean;
  adminMinimum?: number;
  /** The user's name, email, display name, domain: listed words for this user. */
  userInputs?: readonly string[];
}

/**
 * Throws weak_password naming the rule; counts code points of the NFKC form, never truncates.
 * The blocklist NIST 800-63B-4 asks for is zxcvbn's dictionaries (password-strength.ts).
 */
export async function checkPassword(password: string, rules: PasswordRules, estimate: EstimateStrength): Promise<void> {
  const normalised = normalisePassword(password);
  const length = [...normalised].length;
  const min = minimumLength(rules.twoFactor, rules.adminMinimum);
  if (length < min) throw new AppError('weak_password', `The password must have at least ${min} characters`, { rule: 'min_length', min });
  if (length > PASSWORD_MAX_LENGTH) {
    throw new AppError('weak_password', `The password may have at most ${PASSWORD_MAX_LENGTH} characters`, {
      rule: 'max_length',
      max: PASSWORD_MAX_LENGTH,
    });
  }
  const inputs = (rules.userInputs ?? []).filter((input) => input.length > 0);
  const weakness = judgeStrength(await estimate(normalised, inputs));
  if (weakness) {
    throw new AppError('weak_password', `This password is too easy to guess. ${weakness.reason}`, {
      rule: 'common',
      reason: weakness.reason,
      suggestions: weakness.suggestions,
    });
  }
}
