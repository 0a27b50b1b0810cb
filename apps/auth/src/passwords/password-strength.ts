import { ZxcvbnFactory, type OptionsType } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';

/** zxcvbn's cost grows steeply with length (over a second at 64): it judges the first 40 characters. */
export const STRENGTH_CHECKED_LENGTH = 40;

/** Below 10^8 guesses (zxcvbn score 2 and lower, short of one random 8-character password): anything is easier to guess. */
const MIN_GUESSES_LOG10 = 8;
/** A password made only of listed words and patterns needs 10^13 guesses (four random diceware words are about 10^15). */
const MIN_PATTERN_ONLY_GUESSES_LOG10 = 13;

/** What zxcvbn found: the part of its result the policy reads (it crosses a worker boundary). */
export interface StrengthEstimate {
  guessesLog10: number;
  sequence: { pattern: string; token: string }[];
  warning: string | null;
  suggestions: string[];
}

export type EstimateStrength = (password: string, userInputs: string[]) => Promise<StrengthEstimate>;

export interface WeakFinding {
  /** zxcvbn's warning, or our own sentence when it has none. */
  reason: string;
  suggestions: string[];
}

/** zxcvbn with the common (breached passwords, diceware, keyboards) and English (words, names, Wikipedia) lists. */
export const strengthOptions = (): OptionsType => ({
  translations,
  graphs: adjacencyGraphs,
  dictionary: { ...commonDictionary, ...englishDictionary },
  maxLength: STRENGTH_CHECKED_LENGTH,
});

/** An in-process estimator: for unit tests and tools; the service runs the same in a worker (StrengthPool). */
export function inProcessEstimator(): EstimateStrength {
  const zxcvbn = new ZxcvbnFactory(strengthOptions());
  return async (password, userInputs) => {
    const result = zxcvbn.check(password, userInputs);
    return {
      guessesLog10: result.guessesLog10,
      sequence: result.sequence.map(({ pattern, token }) => ({ pattern, token })),
      warning: result.feedback.warning,
      suggestions: result.feedback.suggestions,
    };
  };
}

/**
 * What zxcvbn's dictionaries find in a password (breached passwords, common words, names, keyboard
 * walks, sequences, repeats, dates and the user's own name), or null when it is not easy to guess.
 */
export function judgeStrength(estimate: StrengthEstimate): WeakFinding | null {
  const finding = (fallback: string) => ({ reason: estimate.warning ?? fallback, suggestions: estimate.suggestions });
  if (estimate.guessesLog10 < MIN_GUESSES_LOG10) return finding('This password is easy to guess.');
  // Separators and punctuation zxcvbn could not place do not make a password of listed words less listed.
  const onlyPatterns = estimate.sequence.every((match) => match.pattern !== 'bruteforce' || !/[\p{L}\p{N}]/u.test(match.token));
  if (onlyPatterns && estimate.guessesLog10 < MIN_PATTERN_ONLY_GUESSES_LOG10) {
    return finding('This password is made only of common words, names or patterns.');
  }
  return null;
}
