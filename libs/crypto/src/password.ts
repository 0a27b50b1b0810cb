import { Algorithm, hash, verify } from '@node-rs/argon2';

/** argon2id cost: memory in KiB and passes; one lane (the pool runs one hash per core). */
export interface Argon2Cost {
  memoryKiB: number;
  passes: number;
}

/** OWASP's floor for argon2id; configuration never goes below it. */
export const ARGON2_MINIMUM: Argon2Cost = { memoryKiB: 19_456, passes: 2 };
/** The production default: RFC 9106's second recommendation (64 MiB, 3 passes). */
export const ARGON2_DEFAULT: Argon2Cost = { memoryKiB: 65_536, passes: 3 };

export const argon2Options = (cost: Argon2Cost) =>
  ({ algorithm: Algorithm.Argon2id, memoryCost: cost.memoryKiB, timeCost: cost.passes, parallelism: 1 }) as const;

/** Unicode passwords are normalised (NFKC) so the same password typed on two keyboards matches. */
export const normalisePassword = (password: string) => password.normalize('NFKC');

/** On libuv's thread pool; services hash on auth's HashingPool instead. */
export const hashPassword = (password: string, cost: Argon2Cost) => hash(normalisePassword(password), argon2Options(cost));

/** The cost a stored hash was made with (from its PHC string), null when it is not argon2id. */
export function argon2CostOf(passwordHash: string): Argon2Cost | null {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=\d+\$/.exec(passwordHash);
  return match ? { memoryKiB: Number(match[1]), passes: Number(match[2]) } : null;
}

/** A stored hash made with another cost than the configured one is replaced at the next login. */
export function needsRehash(passwordHash: string, cost: Argon2Cost): boolean {
  const made = argon2CostOf(passwordHash);
  return !made || made.memoryKiB !== cost.memoryKiB || made.passes !== cost.passes;
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    // The cost comes from the hash itself, so hashes made before a cost change still verify.
    return await verify(passwordHash, normalisePassword(password));
  } catch {
    return false;
  }
}
