import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printExecutableGraphQLDocument } from '@graphql-tools/documents';
import { generateKeyPair, TokenVerifier } from '@sky/auth';
import { ConfigError, requestLimitsFrom, type Env } from '@sky/config';
import { createLogger } from '@sky/logging';
import { createGraphQLService, DocumentLimits, type GraphQLService } from '@sky/server-kit';
import { TEST_ENV, testSettings } from '@sky/testkit';
import { parse } from 'graphql';
import { Redis } from 'ioredis';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, loadConfig, type Gateway } from '../src/index.ts';

/**
 * Automatic persisted queries (Apollo's protocol, cached in the machine's Redis) and trusted
 * documents, over real HTTP through a gateway in front of a small made-up subgraph.
 */
const keys = generateKeyPair();
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const menuSdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
  type Dish @key(fields: "id") { id: ID! name: String! }
  type Query { dishes: [Dish!]! }`;
const DISHES = [
  { id: 'd1', name: 'Beef noodles' },
  { id: 'd2', name: 'Pork dumplings' },
];

/** The client kit's manifest, written the way GraphQL Code Generator's client preset writes it. */
const manifestDocument = printExecutableGraphQLDocument(
  parse('query MenuDishes { dishes { id name } }'),
);
const manifestHash = sha256(manifestDocument);

let menu: GraphQLService;
let dir: string;
let redis: Redis;
const started: Gateway[] = [];
const logLines: Record<string, unknown>[] = [];

async function startGateway(env: Env) {
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        logLines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const gateway = await createGateway(
    loadConfig({
      ...TEST_ENV,
      JWT_PUBLIC_KEY: keys.publicKeyPem,
      SUPERGRAPH_PATH: join(dir, 'supergraph.graphql'),
      SUBGRAPH_MENU_URL: menuUrl,
      ...env,
    }),
    createLogger('gateway', 'info', logStream),
  );
  started.push(gateway);
  return (await gateway.listen(0)).url;
}

let menuUrl: string;

let apq: string;
let apqOtherInstance: string;
let apqInMemory: string;
let enforce: string;
let log: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sky-persisted-'));
  const logger = createLogger('menu', 'silent');
  menu = await createGraphQLService({
    name: 'menu',
    logger,
    verifier: new TokenVerifier(keys.publicKeyPem, {
      issuer: 'sky-takeout',
      audience: 'sky-takeout-api',
    }),
    bodyLimitBytes: 100_000,
    production: false,
    limits: new DocumentLimits(requestLimitsFrom(), false),
    trustProxy: 'false',
    schema: buildSubgraphSchema([
      { typeDefs: parse(menuSdl), resolvers: { Query: { dishes: () => DISHES } } },
    ]),
    createContext: (state) => state,
    checkReadiness: async () => {},
  });
  menuUrl = (await menu.listen(0)).url;
  const composed = composeServices([{ name: 'menu', url: menuUrl, typeDefs: parse(menuSdl) }]);
  if (composed.errors) throw composed.errors[0];
  writeFileSync(join(dir, 'supergraph.graphql'), composed.supergraphSdl);
  writeFileSync(
    join(dir, 'persisted-documents.json'),
    JSON.stringify({ [`sha256:${manifestHash}`]: manifestDocument }, null, 2),
  );
  redis = new Redis(testSettings.TEST_REDIS_URL);

  const trusted = (mode: string) => ({
    NODE_ENV: 'production',
    REDIS_URL: testSettings.TEST_REDIS_URL,
    TRUSTED_DOCUMENTS: mode,
    TRUSTED_DOCUMENTS_MANIFEST: join(dir, 'persisted-documents.json'),
  });
  apq = await startGateway({ REDIS_URL: testSettings.TEST_REDIS_URL });
  apqOtherInstance = await startGateway({ REDIS_URL: testSettings.TEST_REDIS_URL });
  apqInMemory = await startGateway({});
  enforce = await startGateway(trusted('enforce'));
  log = await startGateway(trusted('log'));
});
afterAll(async () => {
  for (const gateway of started) await gateway.stop();
  await menu?.stop();
  redis?.disconnect();
});

interface Answer {
  status: number;
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function post(url: string, body: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

async function get(url: string, params: Record<string, unknown>): Promise<Answer> {
  const search = new URLSearchParams(
    Object.entries(params).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  );
  const response = await fetch(`${url}?${search}`, {
    headers: { 'apollo-require-preflight': 'true' },
  });
  return { status: response.status, ...((await response.json()) as object) };
}

const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });
const codes = (answer: Answer) => (answer.errors ?? []).map((error) => error.extensions?.code);

/** A query no other test run has registered, so the shared Redis cannot know it yet. */
function freshQuery() {
  const query = `query Fresh { dishes { id name } run: __typename } # ${randomUUID()}`;
  return { query, hash: sha256(query) };
}

describe('automatic persisted queries', () => {
  it('answers an unknown hash with PERSISTED_QUERY_NOT_FOUND, so the client sends the query', async () => {
    const { hash } = freshQuery();
    const answer = await post(apq, { extensions: persisted(hash) });
    expect(answer.status).toBe(200);
    expect(codes(answer)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(answer.data).toBeUndefined();
  });

  it('registers query and hash, then answers the hash alone, on every instance sharing Redis', async () => {
    const { query, hash } = freshQuery();
    const registered = await post(apq, { query, extensions: persisted(hash) });
    expect(registered.data).toEqual({ dishes: DISHES, run: 'Query' });

    const again = await post(apq, { extensions: persisted(hash) });
    expect(again.data).toEqual({ dishes: DISHES, run: 'Query' });
    const elsewhere = await get(apqOtherInstance, { extensions: persisted(hash) });
    expect(elsewhere.data).toEqual({ dishes: DISHES, run: 'Query' });

    // Bounded: the entry expires (a day by default).
    const ttl = await redis.ttl(`sky:gateway:apq:${hash}`);
    expect(ttl).toBeGreaterThan(86_000);
    expect(ttl).toBeLessThanOrEqual(86_400);
  });

  it('keeps persisted queries in memory when the gateway has no Redis', async () => {
    const { query, hash } = freshQuery();
    expect(codes(await post(apqInMemory, { extensions: persisted(hash) }))).toEqual([
      'PERSISTED_QUERY_NOT_FOUND',
    ]);
    await post(apqInMemory, { query, extensions: persisted(hash) });
    expect((await post(apqInMemory, { extensions: persisted(hash) })).data).toMatchObject({
      dishes: DISHES,
    });
    expect(await redis.exists(`sky:gateway:apq:${hash}`)).toBe(0);
  });

  it('treats an unreachable Redis as a cache miss: answers at once, never an error', async () => {
    // Port 1 refuses connections: Redis is down for this gateway.
    const withoutRedis = await startGateway({ REDIS_URL: 'redis://127.0.0.1:1' });
    const { query, hash } = freshQuery();
    const startedAt = Date.now();
    expect(codes(await post(withoutRedis, { extensions: persisted(hash) }))).toEqual([
      'PERSISTED_QUERY_NOT_FOUND',
    ]);
    expect((await post(withoutRedis, { query, extensions: persisted(hash) })).data).toMatchObject({
      dishes: DISHES,
    });
    expect(Date.now() - startedAt).toBeLessThan(1_000);
  });

  it('refuses a hash that is not the SHA-256 of the query, and registers nothing', async () => {
    const { query } = freshQuery();
    const wrongHash = sha256('something else');
    const answer = await post(apq, { query, extensions: persisted(wrongHash) });
    expect(answer.status).toBe(400);
    expect(codes(answer)).toEqual(['BAD_REQUEST']);
    expect(answer.errors?.[0]?.message).toMatch(/not the SHA-256/);
    expect(codes(await post(apq, { extensions: persisted(wrongHash) }))).toEqual([
      'PERSISTED_QUERY_NOT_FOUND',
    ]);
  });

  it('refuses other protocol versions and malformed hashes with BAD_REQUEST', async () => {
    const { query, hash } = freshQuery();
    const version2 = await post(apq, {
      query,
      extensions: { persistedQuery: { version: 2, sha256Hash: hash } },
    });
    expect(version2.status).toBe(400);
    expect(codes(version2)).toEqual(['BAD_REQUEST']);
    const notHex = await post(apq, { extensions: persisted('not-a-hash') });
    expect(codes(notHex)).toEqual(['BAD_REQUEST']);
  });
});

describe('trusted documents (enforce)', () => {
  it('answers a manifest document named by hash, by documentId (POST and GET) or sent in full', async () => {
    const expected = { dishes: DISHES };
    expect((await post(enforce, { extensions: persisted(manifestHash) })).data).toEqual(expected);
    expect((await post(enforce, { documentId: `sha256:${manifestHash}` })).data).toEqual(expected);
    expect((await get(enforce, { documentId: `sha256:${manifestHash}` })).data).toEqual(expected);
    // The same operation as a client formats it (another layout, another field order).
    const reformatted = 'query MenuDishes {\n  dishes {\n    name\n    id\n  }\n}\n';
    const answer = await post(enforce, { query: reformatted });
    expect(answer.data).toEqual({ dishes: DISHES.map(({ name, id }) => ({ name, id })) });
  });

  it('refuses any other operation with TRUSTED_DOCUMENT_REQUIRED', async () => {
    const answer = await post(enforce, { query: '{ dishes { id } }' });
    expect(answer.status).toBe(400);
    expect(answer.data).toBeUndefined();
    expect(codes(answer)).toEqual(['TRUSTED_DOCUMENT_REQUIRED']);
    expect(answer.errors?.[0]?.message).toMatch(/trusted documents/);
  });

  it('does not let automatic persisted queries register an untrusted operation', async () => {
    const { query, hash } = freshQuery();
    expect(codes(await post(enforce, { extensions: persisted(hash) }))).toEqual([
      'PERSISTED_QUERY_NOT_FOUND',
    ]);
    expect(codes(await post(enforce, { query, extensions: persisted(hash) }))).toEqual([
      'TRUSTED_DOCUMENT_REQUIRED',
    ]);
    expect(codes(await post(enforce, { extensions: persisted(hash) }))).toEqual([
      'PERSISTED_QUERY_NOT_FOUND',
    ]);
  });

  it('refuses an unknown documentId with PERSISTED_QUERY_NOT_FOUND', async () => {
    const answer = await post(enforce, { documentId: `sha256:${sha256('unknown')}` });
    expect(answer.status).toBe(400);
    expect(codes(answer)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });
});

describe('trusted documents (log)', () => {
  it('answers an operation missing from the manifest and logs it', async () => {
    const answer = await post(log, { query: 'query Unlisted { dishes { name } }' });
    expect(answer.data).toEqual({ dishes: DISHES.map(({ name }) => ({ name })) });
    expect(logLines).toContainEqual(
      expect.objectContaining({
        msg: 'operation is not in the trusted documents manifest',
        operationName: 'Unlisted',
      }),
    );
  });

  it('logs nothing for a manifest document', async () => {
    const before = logLines.length;
    expect((await post(log, { extensions: persisted(manifestHash) })).data).toEqual({
      dishes: DISHES,
    });
    const warned = logLines
      .slice(before)
      .filter((line) => line.msg === 'operation is not in the trusted documents manifest');
    expect(warned).toEqual([]);
  });
});

describe('trusted documents configuration', () => {
  const config = (env: Env) =>
    loadConfig({
      ...TEST_ENV,
      JWT_PUBLIC_KEY: keys.publicKeyPem,
      SUPERGRAPH_PATH: join(dir, 'supergraph.graphql'),
      TRUSTED_DOCUMENTS: 'enforce',
      ...env,
    });

  it('refuses to start without a readable manifest', async () => {
    await expect(
      createGateway(config({ TRUSTED_DOCUMENTS_MANIFEST: join(dir, 'missing.json') })),
    ).rejects.toThrow(ConfigError);
  });

  it('refuses a manifest whose ids are not the hashes of their documents', async () => {
    const forged = join(dir, 'forged.json');
    writeFileSync(forged, JSON.stringify({ [`sha256:${sha256('x')}`]: '{ dishes { id } }' }));
    await expect(createGateway(config({ TRUSTED_DOCUMENTS_MANIFEST: forged }))).rejects.toThrow(
      /not the SHA-256 of its document/,
    );
  });
});
