import {
  booleanFlag,
  commonEnv,
  ConfigError,
  explicitNodeEnvProblems,
  GATEWAY_LIMIT_DEFAULTS,
  metricsEnv,
  parseEnv,
  port,
  positiveInt,
  readPem,
  readMetricsSettings,
  readRequestLimits,
  readResilienceSettings,
  readTracingSettings,
  requestLimitsEnv,
  resilienceEnv,
  tracingEnv,
  z,
  type Env,
} from '@sky/config';
import { join } from 'node:path';
import { DEVELOPMENT_ORIGINS, parseOrigins } from './cors.ts';

export type GatewayConfig = ReturnType<typeof loadConfig>;

const SUBGRAPH_URL_VARIABLE = /^SUBGRAPH_([A-Z0-9_]+)_URL$/;
const repositoryRoot = join(import.meta.dirname, '..', '..');

/** Whether trusted documents are ignored, checked and logged, or required. */
export type TrustedDocumentsMode = 'off' | 'log' | 'enforce';

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
      SUPERGRAPH_PATH: z.string().default(join(repositoryRoot, 'schema', 'supergraph.graphql')),
      // The longest one subgraph fetch may take; REQUEST_TIMEOUT_MS bounds the whole request.
      SUBGRAPH_TIMEOUT_MS: positiveInt(10_000),
      // Identical subgraph reads of one principal in flight at once are sent once (on by default).
      SUBGRAPH_DEDUP: z.enum(['on', 'off']).default('on'),
      ...resilienceEnv,
      JWT_PUBLIC_KEY: z.string().min(1, 'JWT_PUBLIC_KEY or JWT_PUBLIC_KEY_FILE is required'),
      // Request limits: the defaults pass every operation documented in the README.
      ...requestLimitsEnv(GATEWAY_LIMIT_DEFAULTS),
      ...metricsEnv,
      ...tracingEnv,
      // The recent-traces page (/debug/traces): unset means on in development, off in production.
      DEBUG_TRACES: z.enum(['on', 'off']).optional(),
      // The gateway is the edge: X-Forwarded-For is believed only behind a configured proxy.
      TRUST_PROXY: z.string().default('false'),
      // Browsers: unset means the loopback origins in development and none in production.
      CORS_ORIGINS: z.string().optional(),
      CORS_ALLOW_CREDENTIALS: booleanFlag(false),
      CORS_MAX_AGE_SECONDS: positiveInt(600),
      // Unset means on in development and off in production.
      EXPLORER: z.enum(['on', 'off']).optional(),
      // Server mode keeps automatic persisted queries in Redis, shared by every gateway instance.
      REDIS_URL: z.string().url().optional(),
      PERSISTED_QUERIES_TTL_SECONDS: positiveInt(86_400),
      // Whole answers to anonymous catalog-only queries (docs section 13.2): Redis in server mode.
      RESPONSE_CACHE: z.enum(['on', 'off']).default('on'),
      RESPONSE_CACHE_TTL_SECONDS: positiveInt(30),
      RESPONSE_CACHE_MAX_ENTRIES: positiveInt(10_000),
      // The platform's live channels (catalog changes) are named under this, as in the subgraphs.
      EVENT_NAMESPACE: z
        .string()
        .regex(/^[a-z0-9_-]+$/i)
        .default('sky'),
      TRUSTED_DOCUMENTS: z.enum(['off', 'log', 'enforce']).default('off'),
      TRUSTED_DOCUMENTS_MANIFEST: z
        .string()
        .default(
          join(
            repositoryRoot,
            'clients',
            'kit',
            'src',
            '__generated__',
            'persisted-documents.json',
          ),
        ),
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
  const production = parsed.NODE_ENV === 'production';
  const corsOrigins =
    parsed.CORS_ORIGINS === undefined
      ? { origins: production ? [] : DEVELOPMENT_ORIGINS, problems: [] }
      : parseOrigins(parsed.CORS_ORIGINS);
  const problems = [...badUrls.map((key) => `${key}: not a URL`), ...corsOrigins.problems];
  if (parsed.CORS_ALLOW_CREDENTIALS && corsOrigins.origins.includes('*')) {
    problems.push('CORS_ALLOW_CREDENTIALS: cannot be true while CORS_ORIGINS allows every origin');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    production,
    logLevel: parsed.LOG_LEVEL,
    host: parsed.HOST,
    port: parsed.PORT,
    bodyLimitBytes: parsed.BODY_LIMIT_BYTES,
    supergraphPath: parsed.SUPERGRAPH_PATH,
    subgraphUrlOverrides,
    subgraphTimeoutMs: parsed.SUBGRAPH_TIMEOUT_MS,
    /** In-flight deduplication of identical subgraph reads (inflight-fetches.ts). */
    subgraphDedup: parsed.SUBGRAPH_DEDUP === 'on',
    /** Request deadlines, a circuit breaker per subgraph, retries of subgraph reads. */
    resilience: readResilienceSettings(parsed),
    jwt: {
      issuer: parsed.JWT_ISSUER,
      audience: parsed.JWT_AUDIENCE,
      publicKeyPem: parsed.JWT_PUBLIC_KEY,
    },
    limits: readRequestLimits(parsed),
    /** Prometheus metrics on `/metrics` of the gateway's port (never under `/graphql`). */
    metrics: readMetricsSettings(parsed),
    trustProxy: parsed.TRUST_PROXY,
    cors: {
      origins: corsOrigins.origins,
      allowCredentials: parsed.CORS_ALLOW_CREDENTIALS,
      maxAgeSeconds: parsed.CORS_MAX_AGE_SECONDS,
    },
    /** Apollo Sandbox on GET /graphql and the offline GraphiQL on GET /graphiql. */
    explorer: parsed.EXPLORER === undefined ? !production : parsed.EXPLORER === 'on',
    tracing: readTracingSettings(parsed, 'gateway'),
    /** /debug/traces lists the traces this process keeps in memory (when it keeps any). */
    debugTracesPage: parsed.DEBUG_TRACES === undefined ? !production : parsed.DEBUG_TRACES === 'on',
    persistedQueries: {
      redisUrl: parsed.REDIS_URL ?? null,
      ttlSeconds: parsed.PERSISTED_QUERIES_TTL_SECONDS,
      /** Keys under `<namespace>:gateway:` (`sky` by default), apart from other platforms'. */
      namespace: parsed.EVENT_NAMESPACE,
    },
    /** The response cache of public catalog reads (response-cache.ts). */
    responseCache: {
      enabled: parsed.RESPONSE_CACHE === 'on',
      ttlSeconds: parsed.RESPONSE_CACHE_TTL_SECONDS,
      maxEntries: parsed.RESPONSE_CACHE_MAX_ENTRIES,
      redisUrl: parsed.REDIS_URL ?? null,
      namespace: parsed.EVENT_NAMESPACE,
    },
    trustedDocuments: {
      mode: parsed.TRUSTED_DOCUMENTS as TrustedDocumentsMode,
      manifestPath: parsed.TRUSTED_DOCUMENTS_MANIFEST,
    },
  };
}
