import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { ErrorCode, isKnownErrorCode } from '@sky/errors';

/**
 * The API's stable error codes, from the list the services themselves use, so a code the server
 * can send is a member of this union and a misspelt one does not compile.
 */
export { ErrorCode, isKnownErrorCode };

interface FormattedError {
  message: string;
  extensions?: { code?: unknown; [key: string]: unknown };
}

/** The GraphQL errors inside whatever Apollo Client rejected an operation with. */
export function graphQLErrorsOf(error: unknown): readonly FormattedError[] {
  if (CombinedGraphQLErrors.is(error)) return error.errors;
  // A rejected token answers HTTP 401 with a GraphQL body; Apollo reports it as a ServerError.
  if (ServerError.is(error)) {
    try {
      const body = JSON.parse(error.bodyText) as { errors?: unknown };
      if (Array.isArray(body.errors)) return body.errors as FormattedError[];
    } catch {
      // Not JSON (a proxy's error page, for example): there are no GraphQL errors to report.
    }
  }
  return [];
}

/** The known error codes of a failed operation, in the order the server sent them. */
export function errorCodesOf(error: unknown): ErrorCode[] {
  return graphQLErrorsOf(error)
    .map((e) => e.extensions?.code)
    .filter(isKnownErrorCode);
}

/** Whether a failed operation was refused with `code` (e.g. `SHOP_CLOSED`). */
export function hasErrorCode(error: unknown, code: ErrorCode): boolean {
  return errorCodesOf(error).includes(code);
}
