import { generateKeyPair } from '@sky/auth';
import { ConfigError, type Env } from '@sky/config';
import { TEST_ENV } from '@sky/testkit';
import { buildSchema, parse, validate } from 'graphql';
import { createClient } from 'graphql-ws';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WELCOME_DOCUMENT } from '../src/explorer/index.ts';
import { createGateway, loadConfig, type Gateway } from '../src/index.ts';

/**
 * What a browser meets at the gateway: CORS on /graphql, the Origin check of the WebSocket
 * handshake, Apollo Sandbox and the offline GraphiQL. `{ __typename }` is answered by the gateway
 * itself, so these gateways need no subgraph.
 */
const keys = generateKeyPair();
const started: Gateway[] = [];

async function startGateway(env: Env) {
  const gateway = await createGateway(
    loadConfig({ ...TEST_ENV, JWT_PUBLIC_KEY: keys.publicKeyPem, ...env }),
  );
  started.push(gateway);
  const { url } = await gateway.listen(0);
  return { url, origin: new URL(url).origin };
}

let development: { url: string; origin: string };
let production: { url: string; origin: string };
let configured: { url: string; origin: string };
let productionWithExplorer: { url: string; origin: string };

beforeAll(async () => {
  development = await startGateway({ NODE_ENV: 'development' });
  production = await startGateway({ NODE_ENV: 'production' });
  configured = await startGateway({
    NODE_ENV: 'production',
    CORS_ORIGINS: 'https://app.example.com, https://*.preview.example.com',
    CORS_ALLOW_CREDENTIALS: 'true',
    CORS_MAX_AGE_SECONDS: '120',
  });
  productionWithExplorer = await startGateway({ NODE_ENV: 'production', EXPLORER: 'on' });
});
afterAll(async () => {
  for (const gateway of started) await gateway.stop();
});

const preflight = (url: string, origin: string) =>
  fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    },
  });

const postFrom = (url: string, origin: string, query = '{ __typename }') =>
  fetch(url, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });

describe('CORS', () => {
  it('answers a preflight from a development origin with the allowed headers and a cache time', async () => {
    const response = await preflight(development.url, 'http://localhost:5173');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(response.headers.get('access-control-allow-headers')).toContain('content-type');
    expect(response.headers.get('access-control-max-age')).toBe('600');
    // Tokens travel in a header, so cookies are not allowed unless configured.
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('vary')).toMatch(/origin/i);
  });

  it('lets the page read the answer and the request id of an allowed origin', async () => {
    const response = await postFrom(development.url, 'http://127.0.0.1:3000');
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
    expect(response.headers.get('access-control-expose-headers')).toBe('x-request-id');
    expect(await response.json()).toMatchObject({ data: { __typename: 'Query' } });
  });

  it('refuses a preflight from any other origin, without a single CORS header', async () => {
    const response = await preflight(development.url, 'https://evil.example');
    expect(response.status).toBe(403);
    expect(((await response.json()) as { errors: unknown[] }).errors).toMatchObject([
      { extensions: { code: 'FORBIDDEN' } },
    ]);
    const corsHeaders = [...response.headers.keys()].filter((name) =>
      name.startsWith('access-control-'),
    );
    expect(corsHeaders).toEqual([]);
  });

  it('gives a simple request from another origin no CORS header, so the browser withholds it', async () => {
    const response = await postFrom(development.url, 'https://evil.example');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('vary')).toMatch(/origin/i);
  });

  it('allows no origin in production unless configured', async () => {
    for (const origin of ['http://localhost:5173', 'https://app.example.com']) {
      const response = await preflight(production.url, origin);
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('allows exactly the configured origins, with credentials when configured', async () => {
    for (const origin of ['https://app.example.com', 'https://pr-42.preview.example.com']) {
      const response = await preflight(configured.url, origin);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-allow-credentials')).toBe('true');
      expect(response.headers.get('access-control-max-age')).toBe('120');
    }
    for (const origin of [
      'http://localhost:5173',
      'http://app.example.com',
      'https://app.example.com.evil.example',
      'https://a.b.preview.example.com',
    ]) {
      const response = await preflight(configured.url, origin);
      expect(response.status, origin).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('refuses to start with an origin that is not one, or with credentials for every origin', () => {
    const load = (env: Env) => () =>
      loadConfig({ ...TEST_ENV, JWT_PUBLIC_KEY: keys.publicKeyPem, ...env });
    expect(load({ CORS_ORIGINS: 'https://app.example.com/path' })).toThrow(ConfigError);
    expect(load({ CORS_ORIGINS: 'app.example.com' })).toThrow(ConfigError);
    expect(load({ CORS_ORIGINS: '*', CORS_ALLOW_CREDENTIALS: 'true' })).toThrow(ConfigError);
    expect(load({ CORS_ORIGINS: '*' })().cors.origins).toEqual(['*']);
  });
});

/** Opens a graphql-ws connection with the given Origin header; resolves when acknowledged. */
function connectFrom(url: string, origin: string | undefined): Promise<'acknowledged'> {
  const socketUrl = url.replace(/^http/, 'ws');
  return new Promise((resolve, reject) => {
    const client = createClient({
      url: socketUrl,
      retryAttempts: 0,
      lazy: false,
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, origin ? { headers: { origin } } : {});
        }
      },
      onNonLazyError: (error) => {
        reject(error instanceof Error ? error : new Error('refused'));
      },
      on: {
        connected: () => {
          void client.dispose();
          resolve('acknowledged');
        },
      },
    });
  });
}

describe('WebSocket Origin', () => {
  it('accepts a development origin and clients that send no Origin (non-browser)', async () => {
    await expect(connectFrom(development.url, 'http://localhost:5173')).resolves.toBe(
      'acknowledged',
    );
    await expect(connectFrom(development.url, undefined)).resolves.toBe('acknowledged');
    await expect(connectFrom(configured.url, 'https://app.example.com')).resolves.toBe(
      'acknowledged',
    );
  });

  it('refuses the handshake from a disallowed origin', async () => {
    const refusal = await new Promise<number>((resolve) => {
      const socket = new WebSocket(development.url.replace(/^http/, 'ws'), 'graphql-transport-ws', {
        headers: { origin: 'https://evil.example' },
      });
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => resolve(101));
    });
    expect(refusal).toBe(403);
    await expect(connectFrom(production.url, 'http://localhost:5173')).rejects.toBeDefined();
  });

  it("accepts the gateway's own pages (same origin) even when no origin is configured", async () => {
    await expect(
      connectFrom(productionWithExplorer.url, productionWithExplorer.origin),
    ).resolves.toBe('acknowledged');
  });
});

const browserNavigation = (url: string) =>
  fetch(url, {
    headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
  });

describe('explorers', () => {
  it('serves Apollo Sandbox to a browser opening /graphql in development', async () => {
    const response = await browserNavigation(development.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('embeddable-sandbox');
    // It opens with the sign-in instructions.
    expect(html).toContain('SignIn');
  });

  it('still answers a GET query as JSON (with the header that proves it is not a CSRF form)', async () => {
    const response = await fetch(
      `${development.url}?query=${encodeURIComponent('{ __typename }')}`,
      {
        headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
      },
    );
    expect(await response.json()).toMatchObject({ data: { __typename: 'Query' } });
  });

  it('serves an offline GraphiQL with no external asset at /graphiql', async () => {
    const response = await fetch(new URL('/graphiql', development.url));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'self'");
    const html = await response.text();
    expect(html).toContain('renderYogaGraphiQL');
    expect(html).toContain('graphqlWs');
    // No tag loads anything from elsewhere: scripts are inline, the icon is a data: URL.
    expect(html.match(/<script\b[^>]*\bsrc\s*=/gi)).toBeNull();
    expect(html.match(/<link\b[^>]*\bhref\s*=\s*"(?!data:)/gi)).toBeNull();
    expect(html.match(/@import\s+url\(\s*["']?https?:/gi)).toBeNull();
    // The default tab documents the demo sign-in.
    expect(html).toContain('sky-demo-2026');
  });

  it('serves neither in production', async () => {
    const sandbox = await browserNavigation(production.url);
    expect(sandbox.headers.get('content-type')).not.toMatch(/text\/html/);
    expect(sandbox.status).toBe(400);
    expect(await sandbox.json()).toMatchObject({
      errors: [{ extensions: { code: 'BAD_REQUEST', requestId: expect.any(String) } }],
    });
    const graphiql = await fetch(new URL('/graphiql', production.url));
    expect(graphiql.status).toBe(404);
    expect(((await graphiql.json()) as { errors: unknown[] }).errors).toMatchObject([
      { extensions: { code: 'NOT_FOUND' } },
    ]);
  });

  it('serves both in production when configured, with introspection for them', async () => {
    const sandbox = await browserNavigation(productionWithExplorer.url);
    expect(await sandbox.text()).toContain('embeddable-sandbox');
    const graphiql = await fetch(new URL('/graphiql', productionWithExplorer.url));
    expect(graphiql.status).toBe(200);
    const introspection = await postFrom(
      productionWithExplorer.url,
      productionWithExplorer.origin,
      '{ __schema { queryType { name } } }',
    );
    expect(await introspection.json()).toMatchObject({
      data: { __schema: { queryType: { name: 'Query' } } },
    });
  });

  it('open with operations that are valid against the API schema', () => {
    const apiSchema = buildSchema(
      readFileSync(join(import.meta.dirname, '..', '..', 'schema', 'api.graphql'), 'utf8'),
    );
    expect(validate(apiSchema, parse(WELCOME_DOCUMENT))).toEqual([]);
  });

  it('names both in the gateway', () => {
    expect(started[0]!.explorerUrls(development.url)).toEqual({
      sandbox: development.url,
      graphiql: new URL('/graphiql', development.url).href,
    });
    expect(started[1]!.explorerUrls(production.url)).toBeNull();
  });
});
