import { errorCodesOf, graphQLErrorsOf, type ErrorCode } from '@sky/client-kit';

/** What a customer reads for the refusals this example can run into. */
const explanations: Partial<Record<ErrorCode, string>> = {
  UNAUTHENTICATED: 'Your session has ended: sign in again.',
  SHOP_CLOSED: 'The shop is closed right now.',
  OUT_OF_DELIVERY_RANGE: 'This address is outside the shop’s delivery range.',
  BELOW_MINIMUM_ORDER: 'The cart is below the shop’s minimum order.',
  ITEM_UNAVAILABLE: 'An item is no longer available.',
  SOLD_OUT: 'An item is sold out for today.',
  PAYMENT_DECLINED: 'The payment was declined.',
  RATE_LIMITED: 'Too many attempts: wait a moment and try again.',
  INVALID_STATE_TRANSITION: 'The order has moved on in the meantime.',
};

/** A failed operation: the API's stable code and a sentence for people. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const [code] = errorCodesOf(error);
  const message =
    (code && explanations[code]) ??
    graphQLErrorsOf(error)[0]?.message ??
    (error instanceof Error ? error.message : 'Something went wrong.');
  return (
    <p className="error" role="alert" data-code={code ?? 'NETWORK'}>
      {code && <code>{code}</code>} {message}
    </p>
  );
}
