import { useQuery } from '@apollo/client/react';
import { MyOrdersDocument } from '@sky/client-kit';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { statusLabel } from '../components/Timeline.tsx';
import { formatMoney } from '../format.ts';
import { hrefOf } from '../router.ts';

export function OrdersView() {
  const { data, error, loading, fetchMore } = useQuery(MyOrdersDocument, {
    variables: { first: 10 },
    fetchPolicy: 'cache-and-network',
  });
  if (error) return <ErrorNote error={error} />;
  if (loading && !data) return <p>Loading…</p>;
  const page = data?.myOrders;
  return (
    <section>
      <h1>My orders</h1>
      <ul className="cards">
        {page?.edges.map(({ node: order }) => (
          <li key={order.id} className="card">
            <a href={hrefOf({ name: 'order', orderId: order.id })}>{order.orderNumber}</a>{' '}
            {order.merchant.name} · {formatMoney(order.total)} · {statusLabel(order.status)}
          </li>
        ))}
      </ul>
      {page?.pageInfo.hasNextPage && (
        <button
          type="button"
          onClick={() =>
            void fetchMore({
              variables: { after: page.pageInfo.endCursor },
              updateQuery: (previous, { fetchMoreResult }) => ({
                myOrders: {
                  ...fetchMoreResult.myOrders,
                  edges: [...previous.myOrders.edges, ...fetchMoreResult.myOrders.edges],
                },
              }),
            })
          }
        >
          More
        </button>
      )}
    </section>
  );
}
