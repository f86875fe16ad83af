import { useQuery } from '@apollo/client/react';
import { MerchantMenuDocument, type MerchantMenuQuery } from '@sky/client-kit';
import { useState } from 'react';
import { CartSummary, useAddToCart, useCart } from '../components/Cart.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { formatMoney } from '../format.ts';
import { hrefOf } from '../router.ts';

type Dish = NonNullable<MerchantMenuQuery['merchant']>['dishes']['edges'][number]['node'];

/** A merchant's menu by category, with the cart beside it. */
export function MenuView({ merchantId }: { merchantId: string }) {
  const { data, loading, error } = useQuery(MerchantMenuDocument, { variables: { merchantId } });
  const cart = useCart(merchantId).data?.myCart;
  if (error) return <ErrorNote error={error} />;
  if (loading) return <p>Loading…</p>;
  const merchant = data?.merchant;
  if (!merchant) return <p>There is no such merchant.</p>;
  const dishes = merchant.dishes.edges.map((edge) => edge.node);
  const canCheckOut = cart && cart.subtotal.amount >= cart.merchant.minimumOrder.amount;
  return (
    <section className="menu">
      <div>
        <h1>{merchant.name}</h1>
        <p>
          {merchant.description} · delivery {formatMoney(merchant.deliveryFee)} · packing{' '}
          {formatMoney(merchant.packingFeePerItem)} per item
          {!merchant.isOpenNow && <strong> · closed now</strong>}
        </p>
        {merchant.categories.map((category) => (
          <section key={category.id}>
            <h2>{category.name}</h2>
            <ul className="dishes">
              {dishes
                .filter((dish) => dish.category.id === category.id)
                .map((dish) => (
                  <DishRow key={dish.id} merchantId={merchant.id} dish={dish} />
                ))}
            </ul>
          </section>
        ))}
      </div>
      <aside>
        <h2>Cart</h2>
        <CartSummary merchantId={merchant.id} editable />
        {canCheckOut && (
          <a className="button" href={hrefOf({ name: 'checkout', merchantId: merchant.id })}>
            Check out
          </a>
        )}
      </aside>
    </section>
  );
}

function DishRow({ merchantId, dish }: { merchantId: string; dish: Dish }) {
  // One option per flavor group, the first by default, sent by name (`flavors`).
  const [choices, setChoices] = useState(() =>
    dish.flavors.map((flavor) => flavor.options[0] ?? ''),
  );
  const [add, { loading, error }] = useAddToCart(merchantId);
  const soldOut = dish.stockLeftToday === 0;
  return (
    <li className="dish" data-testid="dish">
      <div>
        <strong>{dish.name}</strong> <span>{formatMoney(dish.price)}</span>
        {dish.stockLeftToday !== null && dish.stockLeftToday !== undefined && (
          <small> · {dish.stockLeftToday} left today</small>
        )}
        <p>{dish.description}</p>
        {dish.flavors.map((flavor, index) => (
          <label key={flavor.name}>
            {flavor.name}{' '}
            <select
              value={choices[index]}
              onChange={(e) =>
                setChoices((before) => before.map((c, i) => (i === index ? e.target.value : c)))
              }
            >
              {flavor.options.map((option) => (
                <option key={option}>{option}</option>
              ))}
            </select>
          </label>
        ))}
        <ErrorNote error={error} />
      </div>
      <button
        type="button"
        disabled={loading || soldOut}
        aria-label={`Add ${dish.name}`}
        onClick={() =>
          void add({
            variables: {
              input: {
                merchantId,
                dishId: dish.id,
                flavors: dish.flavors.map((flavor, index) => ({
                  name: flavor.name,
                  option: choices[index] ?? '',
                })),
              },
            },
          }).catch(() => undefined)
        }
      >
        {soldOut ? 'Sold out' : 'Add'}
      </button>
    </li>
  );
}
