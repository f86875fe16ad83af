/**
 * Server mode on one machine, by hand (README "Server mode"): what `npm run server:setup`,
 * `npm run seed`, `npm run server` and `npm run scale-drill` share. They read `.env` (written by
 * `npm run keys`; a variable already set in the environment wins) and hand each service only the
 * variables it needs; every service still parses its own configuration in its config module.
 */
import { parseEnv, port, type Env } from '@sky/config';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const root = join(import.meta.dirname, '..', '..');

export const SUBGRAPHS = ['user', 'catalog', 'order', 'payment', 'delivery'] as const;
export type Subgraph = (typeof SUBGRAPHS)[number];
export type Service = Subgraph | 'gateway' | 'payment-sandbox';

/** The built bundle of each service (`npm run build`). */
export const bundleOf = (service: Service): string =>
  service === 'gateway'
    ? join(root, 'gateway', 'dist', 'main.js')
    : service === 'payment-sandbox'
      ? join(root, 'packages', 'payment-sandbox', 'dist', 'main.js')
      : join(root, 'subgraphs', service, 'dist', 'main.js');

/** Which other subgraphs each subgraph calls on its internal endpoints. */
const CALLEES: Record<Subgraph, Subgraph[]> = {
  user: [],
  catalog: [],
  order: ['catalog', 'user'],
  payment: ['order'],
  delivery: [],
};

const secret = z.string().min(1, 'missing: run `npm run keys` (writes .env)');

function readSettings(env: Env) {
  return parseEnv(
    {
      // The gateway's port; subgraphs take the next five, the payment sandbox PORT + 10.
      PORT: port(4000),
      HOST: z.string().default('127.0.0.1'),
      NODE_ENV: z.enum(['production', 'development', 'test']).default('production'),
      // The administrator's connection (creates roles and databases; subgraphs never get it).
      POSTGRES_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/postgres'),
      // Each subgraph's database and role are `<prefix>_<subgraph>` (sky_user, sky_catalog, ...).
      DATABASE_PREFIX: z
        .string()
        .regex(/^[a-z_][a-z0-9_]*$/)
        .default('sky'),
      REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
      JWT_PUBLIC_KEY_FILE: z.string().default(join(root, '.secrets', 'jwt-public.pem')),
      JWT_PRIVATE_KEY_FILE: z.string().default(join(root, '.secrets', 'jwt-private.pem')),
      INTERNAL_API_TOKEN: secret,
      PAYMENT_WEBHOOK_SECRET: secret,
      USER_DB_PASSWORD: secret,
      CATALOG_DB_PASSWORD: secret,
      ORDER_DB_PASSWORD: secret,
      PAYMENT_DB_PASSWORD: secret,
      DELIVERY_DB_PASSWORD: secret,
    },
    env,
  );
}

export type ServerSettings = ReturnType<typeof readSettings>;

/** `.env` under the environment: what the operator exported wins over the file. */
export function loadServerSettings(): ServerSettings {
  const file = join(root, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
  return readSettings(process.env);
}

export const databaseName = (settings: ServerSettings, subgraph: Subgraph) =>
  `${settings.DATABASE_PREFIX}_${subgraph}`;

export const databasePassword = (settings: ServerSettings, subgraph: Subgraph) =>
  settings[`${subgraph.toUpperCase() as Uppercase<Subgraph>}_DB_PASSWORD`];

/** The subgraph's own database, reached as its own role (never the administrator). */
export function databaseUrl(settings: ServerSettings, subgraph: Subgraph): string {
  const url = new URL(settings.POSTGRES_URL);
  url.username = databaseName(settings, subgraph);
  url.password = databasePassword(settings, subgraph);
  url.pathname = `/${databaseName(settings, subgraph)}`;
  return url.toString();
}

/** The default port of one instance: gateway PORT, subgraphs PORT+1..5, sandbox PORT+10. */
export const defaultPort = (settings: ServerSettings, service: Service): number =>
  service === 'gateway'
    ? settings.PORT
    : service === 'payment-sandbox'
      ? settings.PORT + 10
      : settings.PORT + 1 + SUBGRAPHS.indexOf(service);

/** Where services reach each other: the instances themselves, or a load balancer in front. */
export interface Addresses {
  subgraphUrl(subgraph: Subgraph): string;
  sandboxUrl: string;
}

export const directAddresses = (settings: ServerSettings): Addresses => ({
  subgraphUrl: (subgraph) => `http://${settings.HOST}:${defaultPort(settings, subgraph)}/graphql`,
  sandboxUrl: `http://${settings.HOST}:${defaultPort(settings, 'payment-sandbox')}`,
});

/**
 * Settings of the launcher or meant for one service only: never passed through to the others
 * (one subgraph's database password opens its data; the administrator's opens everything).
 */
const PRIVATE =
  /^(POSTGRES_URL|DATABASE_PREFIX|INTERNAL_API_TOKEN|PAYMENT_WEBHOOK_SECRET|POSTGRES_ADMIN_PASSWORD|JWT_PRIVATE_KEY(_FILE)?|[A-Z]+_DB_PASSWORD)$/;

/**
 * The environment of one service instance: the caller's environment minus other services'
 * secrets (so LOG_LEVEL, ARGON2_*, ... still reach whoever reads them), plus what this service
 * needs, as in docker-compose.yml.
 */
export function serviceEnv(
  settings: ServerSettings,
  service: Service,
  listenPort: number,
  addresses: Addresses,
): Env {
  const passed = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !PRIVATE.test(key)),
  );
  const common = { ...passed, NODE_ENV: settings.NODE_ENV, HOST: settings.HOST };
  const urlOf = (subgraph: Subgraph) => ({
    [`SUBGRAPH_${subgraph.toUpperCase()}_URL`]: addresses.subgraphUrl(subgraph),
  });
  if (service === 'payment-sandbox') {
    return {
      ...common,
      PORT: undefined,
      SANDBOX_PORT: String(listenPort),
      PAYMENT_WEBHOOK_SECRET: settings.PAYMENT_WEBHOOK_SECRET,
    };
  }
  if (service === 'gateway') {
    return {
      ...common,
      PORT: String(listenPort),
      SKY_MODE: 'server',
      REDIS_URL: settings.REDIS_URL,
      JWT_PUBLIC_KEY_FILE: settings.JWT_PUBLIC_KEY_FILE,
      ...Object.assign({}, ...SUBGRAPHS.map(urlOf)),
    };
  }
  return {
    ...common,
    PORT: String(listenPort),
    SKY_MODE: 'server',
    DATABASE_URL: databaseUrl(settings, service),
    REDIS_URL: settings.REDIS_URL,
    JWT_PUBLIC_KEY_FILE: settings.JWT_PUBLIC_KEY_FILE,
    INTERNAL_API_TOKEN: settings.INTERNAL_API_TOKEN,
    ...Object.assign({}, ...CALLEES[service].map(urlOf)),
    ...(service === 'user' ? { JWT_PRIVATE_KEY_FILE: settings.JWT_PRIVATE_KEY_FILE } : {}),
    ...(service === 'payment'
      ? {
          PAYMENT_PROVIDER_URL: addresses.sandboxUrl,
          PAYMENT_WEBHOOK_SECRET: settings.PAYMENT_WEBHOOK_SECRET,
          // Our webhook as the provider (the sandbox) reaches it.
          PAYMENT_CALLBACK_URL: new URL('/webhooks/sandbox', addresses.subgraphUrl('payment')).href,
        }
      : {}),
  };
}
