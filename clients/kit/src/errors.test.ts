import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { describe, expect, it } from 'vitest';
import { ErrorCode, errorCodesOf, hasErrorCode } from './errors.ts';

describe('error codes of failed operations', () => {
  it('reads the codes of GraphQL errors and ignores codes the API does not define', () => {
    const error = new CombinedGraphQLErrors({ data: null }, [
      { message: 'The shop is closed.', extensions: { code: 'SHOP_CLOSED' } },
      { message: 'Odd.', extensions: { code: 'NOT_A_CODE_OF_OURS' } },
    ]);
    expect(errorCodesOf(error)).toEqual([ErrorCode.SHOP_CLOSED]);
    expect(hasErrorCode(error, 'SHOP_CLOSED')).toBe(true);
    expect(hasErrorCode(error, 'SOLD_OUT')).toBe(false);
  });

  it('reads the GraphQL body of a rejected request (HTTP 401 for a bad token)', () => {
    const bodyText = JSON.stringify({
      errors: [{ message: 'Invalid token.', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    const error = new ServerError('Response not successful', {
      response: new Response(bodyText, { status: 401 }),
      bodyText,
    });
    expect(errorCodesOf(error)).toEqual(['UNAUTHENTICATED']);
    expect(
      errorCodesOf(
        new ServerError('Bad gateway', {
          response: new Response('<html>', { status: 502 }),
          bodyText: '<html>',
        }),
      ),
    ).toEqual([]);
  });
});
