import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  commonEnv,
  ConfigError,
  explicitNodeEnvProblems,
  parseEnv,
  port,
  positiveInt,
  type Env,
} from './env.ts';
import { metricsEnv, readMetricsSettings, type MetricsSettings } from './metrics.ts';
import { readResilienceSettings, resilienceEnv, type ResilienceSettings } from './resilience.ts';
import {
  readRequestLimits,
  requestLimitsEnv,
  SUBGRAPH_LIMIT_DEFAULTS,
  type RequestLimits,
} from './limits.ts';
import { readTracingSettings, tracingEnv, type TracingSettings } from './tracing.ts';

/** A PEM value given inline (`X`) or as a file path (`X_FILE`); inline wins. */
function pem(env: Env, name: string): string | undefined {
  const inline = env[name];
  if (inline) return inline.replace(/\\n/g, '\n');
  const file = env[`${name}_FILE`];
  return file ? readFileSync(file, 'utf8') : undefined;
}

export type DatabaseSetting =
  | {
      kind: 'postgres';
      url: string;
      poolSize: number;
      /** How long a query waits for a free pooled connection before SERVICE_UNAVAILABLE. */
      poolTimeoutMs: number;
    }
  | {
      kind: 'pglite';
      dataDir: string | null;
      /** The cache of prepared, migrated data directories (PGLITE_TEMPLATE_DIR; null: none). */
      templateDir: string | null;
    };

export interface SubgraphConfig {
  name: string;
  production: boolean;
  logLevel: z.infer<typeof commonEnv.LOG_LEVEL>;
  host: string;
  port: number;
  bodyLimitBytes: number;
  limits: RequestLimits;
  /**
   * Which callers' `X-Forwarded-For` is believed (Express's `trust proxy` syntax): by default the
   * private network the gateway calls from, so the client's address reaches the subgraph.
   */
  trustProxy: string;
  database: DatabaseSetting;
  /** Deadlines, circuit breakers and retries of the calls this subgraph makes. */
  resilience: ResilienceSettings;
  redisUrl: string | null;
  jwt: { issuer: string; audience: string; publicKeyPem: string };
  /** Service-to-service calls between subgraphs (internal endpoints). */
  internal: {
    token: string;
    timeoutMs: number;
    /** Other subgraphs' GraphQL URLs by name, from `SUBGRAPH_<NAME>_URL`. */
    subgraphUrls: Record<string, string>;
  };
  /** Prometheus metrics on `/metrics` (see @sky/config's metrics settings). */
  metrics: MetricsSettings;
  /** Outbox relay, event consumers and durable timers. */
  events: {
    /** Separates event streams of platforms sharing one Redis (tests); default "sky". */
    namespace: string;
    pollIntervalMs: number;
    /** An event not acknowledged by all its consumers within this time is published again. */
    redeliverAfterMs: number;
  };
  tracing: TracingSettings;
}

/**
 * The settings every subgraph shares. Server mode needs DATABASE_URL (its own database) and
 * REDIS_URL; embedded mode needs DATA_DIR (its PGlite directory; empty means in memory) and may
 * name PGLITE_TEMPLATE_DIR (prepared, migrated data directories to copy a new database from).
 */
export function loadSubgraphConfig(name: string, defaultPort: number, env: Env): SubgraphConfig {
  const parsed = parseEnv(
    {
      ...commonEnv,
      ...requestLimitsEnv(SUBGRAPH_LIMIT_DEFAULTS),
      ...metricsEnv,
      ...resilienceEnv,
      ...tracingEnv,
      TRUST_PROXY: z.string().default('loopback, uniquelocal'),
      SKY_MODE: z.enum(['embedded', 'server']).default('server'),
      HOST: z.string().default('127.0.0.1'),
      PORT: port(defaultPort),
      DATABASE_URL: z.string().url().optional(),
      DATABASE_POOL_SIZE: positiveInt(10),
      DATABASE_POOL_TIMEOUT_MS: positiveInt(5_000),
      DATA_DIR: z.string().optional(),
      PGLITE_TEMPLATE_DIR: z.string().optional(),
      REDIS_URL: z.string().url().optional(),
      JWT_PUBLIC_KEY: z.string().min(1, 'JWT_PUBLIC_KEY or JWT_PUBLIC_KEY_FILE is required'),
      INTERNAL_API_TOKEN: z.string().min(32, 'INTERNAL_API_TOKEN needs at least 32 characters'),
      INTERNAL_CALL_TIMEOUT_MS: positiveInt(5_000),
      EVENT_NAMESPACE: z
        .string()
        .regex(/^[a-z0-9_-]+$/i)
        .default('sky'),
      EVENT_POLL_INTERVAL_MS: positiveInt(500),
      EVENT_REDELIVER_AFTER_MS: positiveInt(10_000),
    },
    { ...env, JWT_PUBLIC_KEY: pem(env, 'JWT_PUBLIC_KEY') },
  );
  const problems: string[] = explicitNodeEnvProblems(parsed.SKY_MODE, env);
  if (parsed.SKY_MODE === 'server' && !parsed.DATABASE_URL) {
    problems.push('DATABASE_URL: required in server mode');
  }
  if (parsed.SKY_MODE === 'server' && !parsed.REDIS_URL) {
    problems.push('REDIS_URL: required in server mode');
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  const subgraphUrls: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(key);
    if (match && value) subgraphUrls[match[1]!.toLowerCase()] = value;
  }
  return {
    name,
    production: parsed.NODE_ENV === 'production',
    logLevel: parsed.LOG_LEVEL,
    host: parsed.HOST,
    port: parsed.PORT,
    bodyLimitBytes: parsed.BODY_LIMIT_BYTES,
    limits: readRequestLimits(parsed),
    trustProxy: parsed.TRUST_PROXY,
    database:
      parsed.SKY_MODE === 'server'
        ? {
            kind: 'postgres',
            url: parsed.DATABASE_URL!,
            poolSize: parsed.DATABASE_POOL_SIZE,
            poolTimeoutMs: parsed.DATABASE_POOL_TIMEOUT_MS,
          }
        : {
            kind: 'pglite',
            dataDir: parsed.DATA_DIR || null,
            templateDir: parsed.PGLITE_TEMPLATE_DIR || null,
          },
    resilience: readResilienceSettings(parsed),
    redisUrl: parsed.REDIS_URL ?? null,
    jwt: {
      issuer: parsed.JWT_ISSUER,
      audience: parsed.JWT_AUDIENCE,
      publicKeyPem: parsed.JWT_PUBLIC_KEY,
    },
    internal: {
      token: parsed.INTERNAL_API_TOKEN,
      timeoutMs: parsed.INTERNAL_CALL_TIMEOUT_MS,
      subgraphUrls,
    },
    metrics: readMetricsSettings(parsed),
    events: {
      namespace: parsed.EVENT_NAMESPACE,
      pollIntervalMs: parsed.EVENT_POLL_INTERVAL_MS,
      redeliverAfterMs: parsed.EVENT_REDELIVER_AFTER_MS,
    },
    tracing: readTracingSettings(parsed, name),
  };
}

/**
 * What `main.js migrate` needs (the Kubernetes migration Job): only the subgraph's own database,
 * so the Job's pod holds no token, key or Redis address it does not use.
 */
export function loadMigrationConfig(name: string, env: Env) {
  const parsed = parseEnv({ LOG_LEVEL: commonEnv.LOG_LEVEL, DATABASE_URL: z.string().url() }, env);
  return {
    name,
    logLevel: parsed.LOG_LEVEL,
    database: { kind: 'postgres', url: parsed.DATABASE_URL, poolSize: 1 } as const,
  };
}

export type MigrationConfig = ReturnType<typeof loadMigrationConfig>;

export { pem as readPem };
