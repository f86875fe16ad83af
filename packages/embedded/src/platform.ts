import { loadOrCreateKeyPair, generateKeyPair, type KeyPair } from '@sky/auth';
import type { Env } from '@sky/config';
import { createGateway, loadConfig as loadGatewayConfig, type Gateway } from '@sky/gateway';
import {
  createLogger,
  type DestinationStream,
  type LevelWithSilent,
  type Logger,
} from '@sky/logging';
import { createPaymentSandbox, loadConfig as loadSandboxConfig } from '@sky/payment-sandbox';
import * as catalog from '@sky/subgraph-catalog';
import * as delivery from '@sky/subgraph-delivery';
import * as order from '@sky/subgraph-order';
import * as payment from '@sky/subgraph-payment';
import * as user from '@sky/subgraph-user';
import type { DemoSeedOptions } from '@sky/demo-data';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/** How one subgraph is built, listened and seeded; the launcher knows nothing else about it. */
interface SubgraphModule {
  name: string;
  defaultPort: number;
  start(env: Env, logger?: Logger): Promise<RunningSubgraph>;
}

export interface RunningSubgraph {
  listen(port: number, host?: string): Promise<{ url: string }>;
  close(): Promise<void>;
  seed(options?: DemoSeedOptions): Promise<boolean>;
  /** Calls `listener` with every SQL statement the subgraph's Prisma client sends (tests count them). */
  onQuery(listener: (sql: string) => void): void;
}

type QueryEvent = { query: string };
const withQueryListener = <
  S extends { prisma: { $on(event: 'query', cb: (event: QueryEvent) => void): void } },
>(
  subgraph: S,
) => ({
  onQuery: (listener: (sql: string) => void) =>
    subgraph.prisma.$on('query', (event) => listener(event.query)),
});

const subgraphModules: SubgraphModule[] = [
  {
    name: 'user',
    defaultPort: 4001,
    async start(env, logger) {
      const subgraph = await user.createUserSubgraph(user.loadConfig(env), logger);
      return {
        ...subgraph,
        ...withQueryListener(subgraph),
        seed: (seedOptions) => user.seedUserDemoData(subgraph, seedOptions),
      };
    },
  },
  {
    name: 'catalog',
    defaultPort: 4002,
    async start(env, logger) {
      const subgraph = await catalog.createCatalogSubgraph(catalog.loadConfig(env), logger);
      return {
        ...subgraph,
        ...withQueryListener(subgraph),
        seed: () => catalog.seedCatalogDemoData(subgraph),
      };
    },
  },
  {
    name: 'order',
    defaultPort: 4003,
    async start(env, logger) {
      const subgraph = await order.createOrderSubgraph(order.loadConfig(env), logger);
      return {
        ...subgraph,
        ...withQueryListener(subgraph),
        seed: (seedOptions) => order.seedOrderDemoData(subgraph, seedOptions),
      };
    },
  },
  {
    name: 'payment',
    defaultPort: 4004,
    async start(env, logger) {
      const subgraph = await payment.createPaymentSubgraph(payment.loadConfig(env), logger);
      return {
        ...subgraph,
        ...withQueryListener(subgraph),
        seed: (seedOptions) => payment.seedPaymentDemoData(subgraph, seedOptions),
      };
    },
  },
  {
    name: 'delivery',
    defaultPort: 4005,
    async start(env, logger) {
      const subgraph = await delivery.createDeliverySubgraph(delivery.loadConfig(env), logger);
      return {
        ...subgraph,
        ...withQueryListener(subgraph),
        seed: (seedOptions) => delivery.seedDeliveryDemoData(subgraph, seedOptions),
      };
    },
  },
];

/**
 * Seeds one subgraph's slice of the demo dataset into the database its `env` names (server mode's
 * `npm run seed`), the way the embedded launcher seeds on first start: the subgraph is built
 * (which migrates its database), seeded unless it already holds data, and closed. True when it
 * wrote the data.
 */
export async function seedSubgraphDemoData(name: string, env: Env): Promise<boolean> {
  const module = subgraphModules.find((candidate) => candidate.name === name);
  if (!module) throw new Error(`no subgraph named ${name}`);
  const subgraph = await module.start(env);
  try {
    return await subgraph.seed();
  } finally {
    await subgraph.close();
  }
}

export interface PlatformOptions {
  /**
   * Embedded mode: root of the PGlite directories and the key pair (null keeps everything in
   * memory). Server mode: `{ databaseUrls, redisUrl }`, one PostgreSQL database per subgraph.
   */
  storage:
    | {
        mode: 'embedded';
        dataDir: string | null;
        /** Cache of prepared, migrated PGlite data directories (null: build every database). */
        templateDir?: string | null;
      }
    | { mode: 'server'; databaseUrls: Record<string, string>; redisUrl: string };
  /** Signing keys; embedded mode keeps its own in the data directory when not given. */
  keys?: KeyPair;
  /** Seed the demo dataset into empty databases. */
  seed: boolean;
  /**
   * With it the 60-day order history (default true). The e2e test supergraph leaves it out:
   * thousands of rows per test file that no test there reads.
   */
  seedHistory?: boolean;
  /** Gateway port; subgraphs take the next five ports (0 = random ports everywhere). */
  gatewayPort: number;
  host: string;
  /** Extra settings handed to every service (log level, argon2 cost, ...). */
  env: Env;
  logger: Logger;
  /**
   * Where every service writes its JSON log lines (tests read them back); default stdout, at
   * the level in `env.LOG_LEVEL`.
   */
  logDestination?: DestinationStream;
}

export interface Platform {
  gatewayUrl: string;
  /** Apollo Sandbox and the offline GraphiQL, when the gateway serves them (null otherwise). */
  explorerUrls: { sandbox: string; graphiql: string } | null;
  subgraphUrls: Record<string, string>;
  subgraphs: Record<string, RunningSubgraph>;
  /** The sandbox payment provider (tests complete payments with its test trigger). */
  paymentSandboxUrl: string;
  /**
   * The settings every service of this platform shares (service token, event namespace, keys,
   * provider): a test adds a second instance of a service with these.
   */
  sharedEnv: Env;
  keys: KeyPair;
  seeded: string[];
  stop(): Promise<void>;
}

function storageEnv(storage: PlatformOptions['storage'], subgraph: string): Env {
  if (storage.mode === 'embedded') {
    return {
      SKY_MODE: 'embedded',
      DATA_DIR: storage.dataDir ? join(storage.dataDir, subgraph) : '',
      // The catalog's uploaded and demo images live beside the databases (section 12.2).
      ...(subgraph === 'catalog' && storage.dataDir
        ? { IMAGE_DIR: join(storage.dataDir, 'images') }
        : {}),
      PGLITE_TEMPLATE_DIR: storage.templateDir ?? '',
    };
  }
  return {
    SKY_MODE: 'server',
    DATABASE_URL: storage.databaseUrls[subgraph],
    REDIS_URL: storage.redisUrl,
  };
}

/**
 * The gateway and the five subgraphs in one process, still talking HTTP to each other on their
 * own ports. Embedded mode (the README's run command) gives each subgraph its own PGlite
 * database; tests use the same wiring in server mode against one PostgreSQL database each.
 */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const keys: KeyPair =
    options.keys ??
    (options.storage.mode === 'embedded' && options.storage.dataDir
      ? loadOrCreateKeyPair(join(options.storage.dataDir, 'keys'))
      : generateKeyPair());
  const shared: Env = {
    // One platform's services share a service token and an event namespace; a second platform
    // in the same process or on the same Redis (tests) never sees their events.
    INTERNAL_API_TOKEN: randomBytes(32).toString('hex'),
    EVENT_NAMESPACE: `sky-${randomBytes(4).toString('hex')}`,
    ...options.env,
    JWT_PUBLIC_KEY: keys.publicKeyPem,
    JWT_PRIVATE_KEY: keys.privateKeyPem,
  };
  const started: { close(): Promise<void> }[] = [];
  // The sandbox payment provider plays the outside world: it starts first, and the payment
  // subgraph reaches it (and it calls back the payment subgraph's webhook) over HTTP.
  const webhookSecret = options.env.PAYMENT_WEBHOOK_SECRET ?? randomBytes(32).toString('hex');
  shared.PAYMENT_WEBHOOK_SECRET = webhookSecret;
  const stop = async () => {
    for (const service of started.reverse()) await service.close();
  };
  const serviceLogger = (name: string) =>
    options.logDestination
      ? createLogger(
          name,
          (options.env.LOG_LEVEL ?? 'info') as LevelWithSilent,
          options.logDestination,
        )
      : undefined;
  try {
    const sandbox = createPaymentSandbox(
      loadSandboxConfig({ ...options.env, PAYMENT_WEBHOOK_SECRET: webhookSecret }),
    );
    const sandboxPort = options.gatewayPort === 0 ? 0 : options.gatewayPort + 10;
    const { url: paymentSandboxUrl } = await sandbox.listen(sandboxPort, options.host);
    started.push({ close: sandbox.stop });
    shared.PAYMENT_PROVIDER_URL = paymentSandboxUrl;
    const subgraphUrls: Record<string, string> = {};
    const subgraphs: Record<string, RunningSubgraph> = {};
    const seeded: string[] = [];
    const seedOptions: DemoSeedOptions = { history: options.seedHistory ?? true };
    const urlEnv = () =>
      Object.fromEntries(
        Object.entries(subgraphUrls).map(([name, url]) => [
          `SUBGRAPH_${name.toUpperCase()}_URL`,
          url,
        ]),
      );
    const startOne = async (module: SubgraphModule, port: number) => {
      const service = await module.start(
        { ...shared, ...urlEnv(), ...storageEnv(options.storage, module.name) },
        serviceLogger(module.name),
      );
      started.push(service);
      subgraphs[module.name] = service;
      subgraphUrls[module.name] = (await service.listen(port, options.host)).url;
      return service;
    };
    if (options.gatewayPort === 0) {
      // Random ports: subgraphs start in dependency order; each learns the URLs of those already
      // running.
      for (const module of subgraphModules) {
        const service = await startOne(module, 0);
        if (options.seed && (await service.seed(seedOptions))) seeded.push(module.name);
      }
    } else {
      // Known ports: every subgraph's URL is known before any starts, so all five open their
      // databases at once (PGlite compiles its WebAssembly off the main thread meanwhile).
      const portOf = (module: SubgraphModule) => module.defaultPort - 4000 + options.gatewayPort;
      for (const module of subgraphModules) {
        subgraphUrls[module.name] = `http://${options.host}:${portOf(module)}/graphql`;
      }
      // Settled, not all: a failure must wait for the others, so that stop() closes them all.
      const results = await Promise.allSettled(
        subgraphModules.map((module) => startOne(module, portOf(module))),
      );
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      const services = results.map((r) => (r as PromiseFulfilledResult<RunningSubgraph>).value);
      if (options.seed) {
        const wrote = await Promise.all(services.map((service) => service.seed(seedOptions)));
        subgraphModules.forEach((module, i) => wrote[i] && seeded.push(module.name));
      }
    }
    // In server mode the gateway shares Redis too (persisted queries, the response cache).
    const gatewayEnv: Env = {
      ...shared,
      SKY_MODE: options.storage.mode,
      ...(options.storage.mode === 'server' ? { REDIS_URL: options.storage.redisUrl } : {}),
    };
    for (const [name, url] of Object.entries(subgraphUrls)) {
      gatewayEnv[`SUBGRAPH_${name.toUpperCase()}_URL`] = url;
    }
    const gateway: Gateway = await createGateway(
      loadGatewayConfig(gatewayEnv),
      serviceLogger('gateway'),
    );
    started.push({ close: gateway.stop });
    const { url: gatewayUrl } = await gateway.listen(options.gatewayPort, options.host);
    if (seeded.length > 0) options.logger.info({ seeded }, 'seeded demo data');
    return {
      gatewayUrl,
      explorerUrls: gateway.explorerUrls(gatewayUrl),
      subgraphUrls,
      subgraphs,
      paymentSandboxUrl,
      sharedEnv: { ...shared },
      keys,
      seeded,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
