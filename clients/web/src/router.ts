import { useSyncExternalStore } from 'react';

/**
 * A hash router small enough to read: `#/merchants/<id>` and friends. Query parameters (such as
 * `?gateway=`) stay untouched while the hash changes.
 */
export type Route =
  | { name: 'signIn' }
  | { name: 'merchants' }
  | { name: 'menu'; merchantId: string }
  | { name: 'checkout'; merchantId: string }
  | { name: 'orders' }
  | { name: 'order'; orderId: string }
  | { name: 'console' }
  | { name: 'reports' };

function parse(hash: string): Route {
  const [first, second] = hash.replace(/^#\/?/, '').split('/');
  switch (first) {
    case 'merchants':
      return second ? { name: 'menu', merchantId: second } : { name: 'merchants' };
    case 'checkout':
      return second ? { name: 'checkout', merchantId: second } : { name: 'merchants' };
    case 'orders':
      return second ? { name: 'order', orderId: second } : { name: 'orders' };
    case 'console':
      return { name: 'console' };
    case 'reports':
      return { name: 'reports' };
    default:
      return { name: 'signIn' };
  }
}

export function hrefOf(route: Route): string {
  switch (route.name) {
    case 'signIn':
      return '#/';
    case 'merchants':
      return '#/merchants';
    case 'menu':
      return `#/merchants/${route.merchantId}`;
    case 'checkout':
      return `#/checkout/${route.merchantId}`;
    case 'orders':
      return '#/orders';
    case 'order':
      return `#/orders/${route.orderId}`;
    case 'console':
      return '#/console';
    case 'reports':
      return '#/reports';
  }
}

export function navigate(route: Route): void {
  window.location.hash = hrefOf(route);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(
    (listener) => {
      window.addEventListener('hashchange', listener);
      return () => window.removeEventListener('hashchange', listener);
    },
    () => window.location.hash,
  );
  return parse(hash);
}
