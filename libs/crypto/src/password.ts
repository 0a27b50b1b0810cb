import { Algorithm, hash, verify } from '@node-rs/argon2';

/** OWASP's argon2id setting: 19 MiB, 2 passes, 1 lane. Hashing runs on libuv's thread pool. */
export const argon2Options = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Unicode passwords are normalised (NFKC) so the same password typed on two keyboards matches. */
export const normalisePassword = (password: string) => password.normalize('NFKC');

export const hashPassword = (password: string) => hash(normalisePassword(password), argon2Options);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, normalisePassword(password), argon2Options);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** A hash to verify against when the user does not exist, so both cases cost the same. */
export const dummyPasswordHash = () => (dummy ??= hashPassword('gatehouse-no-such-user-dummy-password'));
