import type { ApolloCache } from '@apollo/client';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  AddToCartDocument,
  DecrementCartItemDocument,
  MyCartDocument,
  type CartFieldsFragment,
} from '@sky/client-kit';
import { formatMoney } from '../format.ts';
import { ErrorNote } from './ErrorNote.tsx';

/**
 * Cart mutations answer the whole cart (or null once it is empty); writing that answer into the
 * `myCart` query keeps every view of the cart current without another request.
 */
export function storeCart(cache: ApolloCache, merchantId: string, cart: CartFieldsFragment | null) {
  cache.writeQuery({ query: MyCartDocument, variables: { merchantId }, data: { myCart: cart } });
}

export function useCart(merchantId: string) {
  return useQuery(MyCartDocument, { variables: { merchantId } });
}

export function useAddToCart(merchantId: string) {
  return useMutation(AddToCartDocument, {
    update: (cache, { data }) => data && storeCart(cache, merchantId, data.addToCart),
  });
}

/** The cart's lines with − and + per line, and the subtotal against the minimum order. */
export function CartSummary({ merchantId, editable }: { merchantId: string; editable: boolean }) {
  const { data, error } = useCart(merchantId);
  const [add, adding] = useAddToCart(merchantId);
  const [decrement, decrementing] = useMutation(DecrementCartItemDocument, {
    update: (cache, { data: result }) =>
      result && storeCart(cache, merchantId, result.decrementCartItem ?? null),
  });
  const cart = data?.myCart;
  if (error) return <ErrorNote error={error} />;
  if (!cart) return <p data-testid="cart-empty">Your cart is empty.</p>;
  const belowMinimum = cart.subtotal.amount < cart.merchant.minimumOrder.amount;
  return (
    <div className="cart" data-testid="cart">
      <ul>
        {cart.items.map((line) => (
          <li key={line.id}>
            <span>
              {line.name}
              {line.flavor && <small> ({line.flavor})</small>}
            </span>
            {editable && (
              <button
                type="button"
                aria-label={`One less ${line.name}`}
                onClick={() =>
                  void decrement({ variables: { cartItemId: line.id } }).catch(() => undefined)
                }
              >
                −
              </button>
            )}
            <span data-testid="cart-quantity">× {line.quantity}</span>
            {editable && (line.dish || line.setMeal) && (
              <button
                type="button"
                aria-label={`One more ${line.name}`}
                onClick={() =>
                  void add({
                    variables: {
                      input: {
                        merchantId,
                        dishId: line.dish?.id,
                        setMealId: line.setMeal?.id,
                        flavor: line.flavor,
                      },
                    },
                  }).catch(() => undefined)
                }
              >
                +
              </button>
            )}
            <span>
              {formatMoney({ ...line.unitPrice, amount: line.unitPrice.amount * line.quantity })}
            </span>
          </li>
        ))}
      </ul>
      <p>
        Subtotal <strong data-testid="cart-subtotal">{formatMoney(cart.subtotal)}</strong>
        {belowMinimum && <small> (minimum order {formatMoney(cart.merchant.minimumOrder)})</small>}
      </p>
      <ErrorNote error={adding.error ?? decrementing.error} />
    </div>
  );
}
