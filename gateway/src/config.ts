import {
  commonEnv,
  ConfigError,
  explicitNodeEnvProblems,
  parseEnv,
  port,
  positiveInt,
  readPem,
  readRequestLimits,
  requestLimitsEnv,
  z,
  type Env,
} from '@sky/config';
import { join } from 'node:path';

export type GatewayConfig = ReturnType<typeof loadConfig>;

const SUBGRAPH_URL_VARIABLE = /^SUBGRAPH_([A-Z0-9_]+)_URL$/;

/**
 * The gateway knows no subgraph by name: it serves whatever supergraph file it is given, and any
 * `SUBGRAPH_<NAME>_URL` variable overrides the URL the supergraph records for subgraph <name>.
 */
export function loadConfig(env: Env) {
  const parsed = parseEnv(
    {
      ...commonEnv,
      SKY_MODE: z.enum(['embedded', 'server']).default('server'),
      HOST: z.string().default('127.0.0.1'),
      PORT: port(4000),
      SUPERGRAPH_PATH: z
        .string()
        .default(join(import.meta.dirname, '..', '..', 'schema', 'supergraph.graphql')),
      SUBGRAPH_TIMEOUT_MS: positiveInt(10_000),
      JWT_PUBLIC_KEY: z.string().min(1, 'JWT_PUBLIC_KEY or JWT_PUBLIC_KEY_FILE is required'),
      // Request limits: the defaults pass every operation documented in the README.
      ...requestLimitsEnv({ maxConnectionsPerAddress: 50 }),
      // The gateway is the edge: X-Forwarded-For is believed only behind a configured proxy.
      TRUST_PROXY: z.string().default('false'),
    },
    { ...env, JWT_PUBLIC_KEY: readPem(env, 'JWT_PUBLIC_KEY') },
  );
  const nodeEnvProblems = explicitNodeEnvProblems(parsed.SKY_MODE, env);
  if (nodeEnvProblems.length > 0) throw new ConfigError(nodeEnvProblems);
  const subgraphUrlOverrides: Record<string, string> = {};
  const badUrls: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    const match = SUBGRAPH_URL_VARIABLE.exec(key);
    if (!match || !value) continue;
    if (!z.string().url().safeParse(value).success) badUrls.push(key);
    subgraphUrlOverrides[match[1]!.toLowerCase()] = value;
  }
  if (badUrls.length > 0) throw new ConfigError(badUrls.map((key) => `${key}: not a URL`));
  return {
    production: parsed.NODE_ENV === 'production',
    logLevel: parsed.LOG_LEVEL,
    host: parsed.HOST,
    port: parsed.PORT,
    bodyLimitBytes: parsed.BODY_LIMIT_BYTES,
    supergraphPath: parsed.SUPERGRAPH_PATH,
    subgraphUrlOverrides,
    subgraphTimeoutMs: parsed.SUBGRAPH_TIMEOUT_MS,
    jwt: {
      issuer: parsed.JWT_ISSUER,
      audience: parsed.JWT_AUDIENCE,
      publicKeyPem: parsed.JWT_PUBLIC_KEY,
    },
    limits: readRequestLimits(parsed),
    trustProxy: parsed.TRUST_PROXY,
  };
}
