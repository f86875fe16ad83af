import { z } from 'zod';

/**
 * Configuration is parsed once, at start-up, from an environment record. Every service has one
 * `loadConfig(env)` built from these pieces; nothing else in the code base reads `process.env`.
 */

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

/** Parses `env` against `shape`, collecting every problem before failing. */
export function parseEnv<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: Env,
): z.infer<z.ZodObject<Shape>> {
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}

/** Runs `main`, printing configuration problems (all of them) and exiting 1 instead of a stack trace. */
export async function runMain(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

export const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65535).default(fallback);
export const positiveInt = (fallback: number) =>
  z.coerce.number().int().positive().default(fallback);
export const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

/**
 * Server mode is how production runs, so it must not fall back to development (introspection,
 * Sandbox, field suggestions, test-only payment outcomes) because an operator forgot a variable.
 * Embedded mode, the fresh-machine demo, keeps development as its default.
 */
export function explicitNodeEnvProblems(mode: 'embedded' | 'server', env: Env): string[] {
  return mode === 'server' && !env.NODE_ENV
    ? ['NODE_ENV: required in server mode (production, development or test)']
    : [];
}

/** Settings every service shares. */
export const commonEnv = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest accepted request body, in bytes. */
  BODY_LIMIT_BYTES: positiveInt(100_000),
  JWT_ISSUER: z.string().min(1).default('sky-takeout'),
  JWT_AUDIENCE: z.string().min(1).default('sky-takeout-api'),
};

export { z };
