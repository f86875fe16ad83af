import { useMutation, useQuery } from '@apollo/client/react';
import { MeDocument, PlaceOrderDocument } from '@sky/client-kit';
import { useState, type FormEvent } from 'react';
import { CartSummary, storeCart, useCart } from '../components/Cart.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { navigate } from '../router.ts';

/** Address, remark and tableware, then the order; every amount is computed by the server. */
export function CheckoutView({ merchantId }: { merchantId: string }) {
  const me = useQuery(MeDocument);
  const cart = useCart(merchantId).data?.myCart;
  const addresses = me.data?.me?.addresses ?? [];
  const [addressId, setAddressId] = useState<string | null>(null);
  const chosen = addressId ?? addresses.find((a) => a.isDefault)?.id ?? null;
  const [remark, setRemark] = useState('');
  const [tablewareCount, setTablewareCount] = useState(1);
  // One key per checkout: a retry after a lost answer returns the same order, never a second one.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [placeOrder, { loading, error }] = useMutation(PlaceOrderDocument, {
    // The server empties the cart once the order exists.
    update: (cache) => storeCart(cache, merchantId, null),
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    const { data } = await placeOrder({
      variables: {
        input: {
          merchantId,
          addressId: chosen,
          remark: remark || null,
          tablewareCount,
          idempotencyKey,
        },
      },
    }).catch(() => ({ data: null }));
    if (data) navigate({ name: 'order', orderId: data.placeOrder.id });
  };

  return (
    <section className="checkout">
      <h1>Check out</h1>
      <CartSummary merchantId={merchantId} editable={false} />
      <form onSubmit={submit}>
        <fieldset>
          <legend>Deliver to</legend>
          {addresses.map((address) => (
            <label key={address.id} className="choice">
              <input
                type="radio"
                name="address"
                value={address.id}
                checked={chosen === address.id}
                onChange={() => setAddressId(address.id)}
              />
              {address.label ?? 'Address'}: {address.detail} ({address.contactName})
            </label>
          ))}
        </fieldset>
        <label>
          Note to the merchant
          <input
            name="remark"
            value={remark}
            maxLength={200}
            onChange={(e) => setRemark(e.target.value)}
          />
        </label>
        <label>
          Tableware sets{' '}
          <input
            name="tableware"
            type="number"
            min={0}
            max={20}
            value={tablewareCount}
            onChange={(e) => setTablewareCount(Number(e.target.value))}
          />
        </label>
        <button type="submit" disabled={loading || !cart || !chosen}>
          Place order
        </button>
        <ErrorNote error={error} />
      </form>
    </section>
  );
}
