import { HeaderMap, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { GraphQLFormattedError } from 'graphql';
import { deadlineExceeded, ErrorCode, isKnownErrorCode } from '@sky/errors';
import { databaseOutage } from './resilience/database-outage.ts';
import type { RequestState } from './http-app.ts';

export type RequestContext = BaseContext & RequestState;

/** Apollo's own codes that are safe to show as they are. */
const APOLLO_CLIENT_CODES = new Set<string>([
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_USER_INPUT,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
]);

/** A code the client may see as it is (ours, or Apollo's request-level ones). */
export const isClientFacing = (code: unknown): code is string =>
  (isKnownErrorCode(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) ||
  (typeof code === 'string' && APOLLO_CLIENT_CODES.has(code));

/**
 * Codes that mean the service (or one it depends on) failed, not that the caller was refused:
 * these count as errors in the error-ratio alerts; every other code is a refusal.
 */
const SERVER_FAULT_CODES = new Set<string>([
  ErrorCode.INTERNAL_SERVER_ERROR,
  ErrorCode.SERVICE_UNAVAILABLE,
  // A spent budget: the answer came too late, whoever was slow.
  ErrorCode.DEADLINE_EXCEEDED,
]);

export const isServerFault = (code: unknown): boolean =>
  !isClientFacing(code) || SERVER_FAULT_CODES.has(code);

/**
 * Keeps refusals with a stable code as they are and masks everything else: internals are only in
 * the logs (see `errorLoggingPlugin`), never in a response, in any mode.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error?: unknown,
): GraphQLFormattedError {
  // A busy or unreachable database is an outage with a retry hint, not a defect to mask.
  const outage =
    formatted.extensions?.code === undefined ||
    formatted.extensions.code === ErrorCode.INTERNAL_SERVER_ERROR
      ? databaseOutage(unwrapResolverError(error))
      : null;
  if (outage) {
    return {
      message: outage.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: outage.extensions,
    };
  }
  const code = formatted.extensions?.code;
  const {
    stacktrace: _stacktrace,
    exception: _exception,
    // The gateway names the subgraph an error came from: topology a client has no use for.
    serviceName: _serviceName,
    ...extensions
  } = formatted.extensions ?? {};
  if (isClientFacing(code)) return { ...formatted, extensions };
  // Apollo marks variable coercion errors and similar with its own codes; anything else here is
  // an unexpected failure, logged with its cause by errorLoggingPlugin.
  return {
    message: 'Internal server error.',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}

/** Adds `extensions.requestId` to every GraphQL response. */
export function requestIdPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind === 'single') {
            const result = response.body.singleResult;
            result.extensions = { ...result.extensions, requestId: contextValue.requestId };
            for (const error of result.errors ?? []) {
              (error.extensions as Record<string, unknown> | undefined) ??= {};
              (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
            }
          }
        },
      };
    },
  };
}

/** Logs unexpected errors with the request's logger (so they carry the request id). */
export function errorLoggingPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            const outage = databaseOutage(unwrapResolverError(error));
            if (outage) {
              // Not a defect, but an operator wants to see it: the database is the bottleneck.
              contextValue.logger.warn(
                { reason: outage.extensions.reason, path: error.path, operationName },
                'database unavailable: answered SERVICE_UNAVAILABLE',
              );
            } else if (isClientFacing(code)) {
              contextValue.logger.debug({ code, message: error.message, operationName }, 'refused');
            } else {
              contextValue.logger.error(
                { err: unwrapResolverError(error), path: error.path, operationName },
                'unexpected GraphQL error',
              );
            }
          }
        },
      };
    },
  };
}

/**
 * Refuses to execute an operation whose budget ran out while it was parsed, validated or waiting:
 * its caller has stopped waiting, so the work would only load the service.
 */
export function deadlinePlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ contextValue }) {
          if (!contextValue.deadline?.expired) return null;
          return {
            http: { status: 504, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: { errors: [deadlineExceeded().toJSON()] } },
          };
        },
      };
    },
  };
}

/** Sandbox on in development, landing page off in production. */
export function landingPagePlugin(production: boolean): ApolloServerPlugin<RequestContext> {
  return production
    ? ApolloServerPluginLandingPageDisabled()
    : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false });
}
