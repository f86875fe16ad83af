import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { Express, Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ErrorCode } from '@sky/errors';
import { sendGraphQLError, type RequestContext } from '@sky/server-kit';
import { renderGraphiQLPage } from './graphiql-page.ts';

export const GRAPHIQL_PATH = '/graphiql';

/** The operations and instructions both explorers open with (sign-in, headers, a first query). */
export const WELCOME_DOCUMENT = readFileSync(join(import.meta.dirname, 'welcome.graphql'), 'utf8');

/**
 * The page browsers have no internet for: it only talks to this gateway, so the policy allows
 * nothing else (inline code is how the page is built; Monaco runs its workers from blob: URLs).
 */
const GRAPHIQL_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'unsafe-inline'",
  'worker-src blob:',
  "style-src 'unsafe-inline'",
  'img-src data: blob:',
  'font-src data:',
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Apollo Sandbox on `GET /graphql` for a browser; Apollo's page loads Sandbox from Apollo's CDN,
 * so it needs internet (the offline GraphiQL does not).
 */
export function sandboxLandingPage(): ApolloServerPlugin<RequestContext> {
  return ApolloServerPluginLandingPageLocalDefault({
    embed: true,
    includeCookies: false,
    document: WELCOME_DOCUMENT,
  });
}

/** The page is large (GraphiQL with its editor, about 9 MB): built once, served compressed. */
async function graphiqlResponse() {
  const html = Buffer.from(
    await renderGraphiQLPage({
      title: 'Sky Take-out GraphiQL',
      endpoint: '/graphql',
      defaultQuery: WELCOME_DOCUMENT,
    }),
  );
  return {
    html,
    gzipped: gzipSync(html),
    etag: `"${createHash('sha256').update(html).digest('base64url')}"`,
  };
}

/**
 * `GET /graphiql`: the offline explorer, or a 404 that says how to turn it on. Queries go to
 * `/graphql` on the same origin and subscriptions to the same path over graphql-ws.
 */
export function mountGraphiQL(app: Express, enabled: boolean): void {
  // Built on the first request; concurrent first requests share the one build.
  let page: ReturnType<typeof graphiqlResponse> | undefined;
  app.get(GRAPHIQL_PATH, async (req: Request, res: Response) => {
    if (!enabled) {
      return sendGraphQLError(
        res,
        404,
        ErrorCode.NOT_FOUND,
        'The explorer is off here (EXPLORER=on serves it).',
        req.sky.requestId,
      );
    }
    page ??= graphiqlResponse();
    const { html, gzipped, etag } = await page;
    res.setHeader('content-security-policy', GRAPHIQL_CONTENT_SECURITY_POLICY);
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('etag', etag);
    res.vary('Accept-Encoding');
    res.type('html');
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    if (req.acceptsEncodings('gzip') === 'gzip') {
      res.setHeader('content-encoding', 'gzip');
      res.send(gzipped);
    } else {
      res.send(html);
    }
  });
}
