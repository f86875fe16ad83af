import { skipToken, useLazyQuery, useQuery } from '@apollo/client/react';
import { MeDocument, NearbyMerchantsDocument, SearchDishesDocument } from '@sky/client-kit';
import { useState, type FormEvent } from 'react';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { formatMoney } from '../format.ts';
import { hrefOf } from '../router.ts';

/** Merchants that deliver to the chosen address, open ones first; and a dish search. */
export function MerchantsView() {
  const me = useQuery(MeDocument);
  const addresses = me.data?.me?.addresses ?? [];
  const [addressId, setAddressId] = useState<string | null>(null);
  const address = addresses.find((a) => a.id === addressId) ?? addresses.find((a) => a.isDefault);
  const near = address && {
    latitude: address.location.latitude,
    longitude: address.location.longitude,
  };
  const nearby = useQuery(
    NearbyMerchantsDocument,
    near ? { variables: { near, first: 20 } } : skipToken,
  );

  if (me.error) return <ErrorNote error={me.error} />;
  if (me.loading) return <p>Loading…</p>;
  if (!address) return <p>Add a delivery address to your account to see merchants nearby.</p>;

  return (
    <section>
      <h1>Merchants near you</h1>
      <label>
        Deliver to{' '}
        <select value={address.id} onChange={(e) => setAddressId(e.target.value)}>
          {addresses.map((a) => (
            <option key={a.id} value={a.id}>
              {a.label ?? 'Address'}: {a.detail}
            </option>
          ))}
        </select>
      </label>
      <ErrorNote error={nearby.error} />
      <ul className="cards" data-testid="merchant-list">
        {nearby.data?.merchants.edges.map(({ node: merchant }) => (
          <li key={merchant.id} className={merchant.isOpenNow ? 'card' : 'card closed'}>
            <a href={hrefOf({ name: 'menu', merchantId: merchant.id })}>
              <strong>{merchant.name}</strong>
            </a>
            <span className="badge">{merchant.isOpenNow ? 'Open' : 'Closed'}</span>
            <p>{merchant.description}</p>
            <small>
              Delivery {formatMoney(merchant.deliveryFee)} · minimum{' '}
              {formatMoney(merchant.minimumOrder)}
            </small>
          </li>
        ))}
      </ul>
      {nearby.data?.merchants.edges.length === 0 && <p>No merchant delivers here yet.</p>}
      <DishSearch />
    </section>
  );
}

function DishSearch() {
  const [keyword, setKeyword] = useState('');
  const [search, result] = useLazyQuery(SearchDishesDocument);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (keyword.trim()) void search({ variables: { keyword: keyword.trim(), first: 10 } });
  };
  return (
    <section>
      <h2>Find a dish</h2>
      <form onSubmit={submit} className="inline">
        <input
          name="keyword"
          placeholder="e.g. 面 or dumplings"
          value={keyword}
          onChange={(e) => setKeyword(e.target.value)}
        />
        <button type="submit">Search</button>
      </form>
      <ErrorNote error={result.error} />
      <ul>
        {result.data?.searchDishes.edges.map(({ node: dish }) => (
          <li key={dish.id}>
            {dish.name} · {formatMoney(dish.price)} at{' '}
            <a href={hrefOf({ name: 'menu', merchantId: dish.merchant.id })}>
              {dish.merchant.name}
            </a>
          </li>
        ))}
      </ul>
      {result.data?.searchDishes.edges.length === 0 && <p>No dish matches.</p>}
    </section>
  );
}
