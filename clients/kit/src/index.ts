/**
 * The Sky Take-out client kit: typed operations for the customer, merchant and rider apps
 * (generated from `schema/api.graphql`), the API's error codes, and an Apollo Client set up for
 * the gateway.
 */
export * from './__generated__/graphql.ts';
export { createSkyCache } from './cache.ts';
export {
  createSkyClient,
  sha256Hex,
  type SkyClient,
  type SkyClientOptions,
  type TokenSource,
} from './client.ts';
export {
  ErrorCode,
  errorCodesOf,
  graphQLErrorsOf,
  hasErrorCode,
  isKnownErrorCode,
} from './errors.ts';
