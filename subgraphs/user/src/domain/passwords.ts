import { hash } from '@node-rs/argon2';

export interface PasswordSettings {
  /** argon2id memory cost in KiB; configurable so tests stay cheap (50 hashes at 64 MiB = 3 GiB). */
  memoryKiB: number;
  timeCost: number;
  /** Hashes computed at once per process; more wait their turn. */
  maxConcurrency?: number;
}

/** An argon2id hash of `password` at the configured cost. */
export function hashPassword(password: string, settings: PasswordSettings): Promise<string> {
  return hash(password, {
    // Algorithm.Argon2id; the enum is a const enum, which isolated modules cannot import.
    algorithm: 2,
    memoryCost: settings.memoryKiB,
    timeCost: settings.timeCost,
    parallelism: 1,
  });
}
