import type { ApolloServerPlugin } from '@apollo/server';
import type { MetricsSettings } from '@sky/config';
import type { Database } from '@sky/database';
import { ErrorCode } from '@sky/errors';
import {
  INVALID_OPERATION,
  secondsSince,
  ServiceMetrics,
  type OperationNameFolder,
} from '@sky/telemetry';
import type { NextFunction, Request, Response } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { isClientFacing, isServerFault, type RequestContext } from './apollo-plugins.ts';
import { tokenMatches } from './internal-api.ts';

export type { ServiceMetrics } from '@sky/telemetry';

/** The code label of an error: what the caller sees (masked codes are INTERNAL_SERVER_ERROR). */
const codeLabel = (error: GraphQLFormattedError): string => {
  const code = error.extensions?.code;
  return isClientFacing(code) ? code : ErrorCode.INTERNAL_SERVER_ERROR;
};

/** A service's metrics: its own registry, runtime collectors only when metrics are on. */
export const createServiceMetrics = (service: string, settings: MetricsSettings) =>
  new ServiceMetrics(service, { runtime: settings.enabled });

/**
 * Rate, errors and duration of every GraphQL request per (folded) operation name, and every error
 * sent by code. It reads the response as sent, after error masking, so codes are the bounded set
 * callers see.
 */
export function graphqlMetricsPlugin(
  metrics: ServiceMetrics,
  operationNames: OperationNameFolder,
): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      let operation = INVALID_OPERATION;
      let operationType = 'unknown';
      return {
        async didResolveOperation(request) {
          operation = operationNames.fold(request.operationName);
          operationType = request.operation?.operation ?? 'unknown';
        },
        async willSendResponse({ response }) {
          const labels = { operation, operation_type: operationType };
          metrics.graphqlRequests.inc(labels);
          metrics.graphqlDuration.observe(labels, secondsSince(started));
          const errors =
            response.body.kind === 'single'
              ? response.body.singleResult.errors
              : response.body.initialResult.errors;
          if (!errors?.length) return;
          let serverFault = false;
          for (const error of errors) {
            const code = codeLabel(error);
            serverFault ||= isServerFault(code);
            metrics.graphqlErrors.inc({ code });
          }
          metrics.graphqlRequestErrors.inc({ ...labels, kind: serverFault ? 'server' : 'client' });
        },
      };
    },
  };
}

/** Open sockets and active subscriptions, read at scrape time from the graphql-ws server. */
export function trackWebSockets(
  metrics: ServiceMetrics,
  sockets: { connectionCount(): number; subscriptionCount(): number },
): void {
  metrics.sampleOnScrape('websockets', () => {
    metrics.webSockets.set(sockets.connectionCount());
    metrics.subscriptions.set(sockets.subscriptionCount());
  });
}

/** The database pool at scrape time; PGlite reports its one connection and nothing it cannot know. */
export function trackDatabasePool(metrics: ServiceMetrics, database: Database): void {
  metrics.sampleOnScrape('database_pool', () => {
    const stats = database.poolStats();
    metrics.databaseConnections.set({ state: 'total' }, stats.total);
    metrics.databaseMaxConnections.set(stats.max);
    if (stats.idle !== null) {
      metrics.databaseConnections.set({ state: 'idle' }, stats.idle);
      metrics.databaseConnections.set({ state: 'busy' }, stats.total - stats.idle);
    }
    if (stats.waiting !== null) metrics.databaseWaiting.set(stats.waiting);
  });
}

/**
 * With `METRICS_TOKEN` set, a scrape without `Authorization: Bearer <token>` gets 401 and nothing
 * else; without it, `/metrics` relies on the port not being reachable from outside.
 */
export function requireMetricsToken(token: string | null) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (token === null || tokenMatches(token, req.header('authorization'))) return next();
    res
      .status(401)
      .set('www-authenticate', 'Bearer realm="metrics"')
      .send('metrics token required\n');
  };
}
