import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { GraphQLError } from 'graphql';
import { timingSafeEqual } from 'node:crypto';
import { ErrorCode, isKnownErrorCode } from '@sky/errors';
import { sendGraphQLError } from './http-app.ts';

/**
 * Internal endpoints (`POST /internal/<name>`) serve other subgraphs only: they are not part of
 * the public GraphQL API, the gateway never routes to them, and every call must carry the shared
 * service token (`INTERNAL_API_TOKEN`). Errors travel as `{ error: { code, message } }` so a
 * domain refusal (SOLD_OUT, SHOP_CLOSED, ...) reaches the public caller with its code intact.
 */

export type InternalHandler = (body: unknown, request: { requestId: string }) => Promise<unknown>;

function tokenMatches(expected: string, header: string | undefined): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

export function mountInternalApi(
  app: Express,
  token: string,
  handlers: Record<string, InternalHandler>,
): void {
  const router = express.Router();
  router.use(express.json({ limit: 1_000_000 }));
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (tokenMatches(token, req.header('authorization'))) return next();
    req.sky.logger.warn({ path: req.path }, 'internal call without a valid service token');
    sendGraphQLError(
      res,
      401,
      ErrorCode.UNAUTHENTICATED,
      'Service token required.',
      req.sky.requestId,
    );
  });
  for (const [name, handler] of Object.entries(handlers)) {
    router.post(`/${name}`, async (req, res) => {
      try {
        res.json({ data: await handler(req.body, { requestId: req.sky.requestId }) });
      } catch (error) {
        const code = error instanceof GraphQLError ? error.extensions.code : undefined;
        if (isKnownErrorCode(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
          res.status(422).json({
            error: {
              code,
              message: (error as Error).message,
              extensions: (error as GraphQLError).extensions,
            },
          });
          return;
        }
        req.sky.logger.error({ err: error, internal: name }, 'internal call failed');
        res
          .status(500)
          .json({ error: { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'Internal error.' } });
      }
    });
  }
  app.use('/internal', router);
}

export interface InternalClientOptions {
  /** The other subgraph's GraphQL URL (`.../graphql`); internal endpoints live beside it. */
  baseUrl: string;
  token: string;
  timeoutMs: number;
}

/** Calls another subgraph's internal endpoint with a deadline; refusals come back as GraphQLErrors. */
export async function callInternal<Result>(
  options: InternalClientOptions,
  name: string,
  body: unknown,
  requestId?: string,
): Promise<Result> {
  const url = options.baseUrl.replace(/\/graphql\/?$/, '') + `/internal/${name}`;
  let response: globalThis.Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${options.token}`,
        ...(requestId ? { 'x-request-id': requestId } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    throw new Error(`internal call ${name} failed: ${(error as Error).message}`, { cause: error });
  }
  const payload = (await response.json().catch(() => ({}))) as {
    data?: Result;
    error?: { code: string; message: string; extensions?: Record<string, unknown> };
  };
  if (response.ok && 'data' in payload) return payload.data as Result;
  if (payload.error && isKnownErrorCode(payload.error.code) && response.status === 422) {
    throw new GraphQLError(payload.error.message, {
      extensions: { ...payload.error.extensions, code: payload.error.code },
    });
  }
  throw new Error(`internal call ${name} answered HTTP ${response.status}`);
}
