import { ApolloProvider, useApolloClient } from '@apollo/client/react';
import { SignOutDocument } from '@sky/client-kit';
import { clientFor, SkyClientContext } from './client.ts';
import { hrefOf, navigate, useRoute, type Route } from './router.ts';
import { setSession, useSession, type Session } from './session.ts';
import { gatewayUrl } from './settings.ts';
import { CheckoutView } from './views/CheckoutView.tsx';
import { ConsoleView } from './views/ConsoleView.tsx';
import { MenuView } from './views/MenuView.tsx';
import { MerchantsView } from './views/MerchantsView.tsx';
import { OrdersView } from './views/OrdersView.tsx';
import { ReportView } from './views/ReportView.tsx';
import { RiderView } from './views/RiderView.tsx';
import { SignInView } from './views/SignInView.tsx';
import { TrackingView } from './views/TrackingView.tsx';

export function App() {
  const session = useSession();
  const client = clientFor(session?.user.id ?? 'anonymous');
  return (
    <SkyClientContext value={client}>
      <ApolloProvider client={client.apollo}>
        <header className="top-bar">
          <strong>Sky Take-out 苍穹外卖</strong>
          {session && <Navigation session={session} />}
        </header>
        <main>{session ? <SignedIn session={session} /> : <SignInView />}</main>
        <footer>
          Gateway: <code>{gatewayUrl}</code>
        </footer>
      </ApolloProvider>
    </SkyClientContext>
  );
}

const isMerchantStaff = (session: Session) => session.user.roles.includes('MERCHANT_STAFF');

function Navigation({ session }: { session: Session }) {
  const apollo = useApolloClient();
  const signOut = () => {
    // Revoking the refresh token is best effort: the session ends in this tab either way.
    void apollo
      .mutate({ mutation: SignOutDocument, variables: { refreshToken: session.refreshToken } })
      .catch(() => undefined);
    setSession(null);
    navigate({ name: 'signIn' });
  };
  const links: [string, Route][] = isMerchantStaff(session)
    ? [
        ['Incoming orders', { name: 'console' }],
        ['Reports', { name: 'reports' }],
      ]
    : session.user.roles.includes('RIDER')
      ? []
      : [
          ['Merchants', { name: 'merchants' }],
          ['My orders', { name: 'orders' }],
        ];
  return (
    <nav>
      {links.map(([label, route]) => (
        <a key={label} href={hrefOf(route)}>
          {label}
        </a>
      ))}
      <span className="who" data-testid="signed-in-as">
        {session.user.name}
      </span>
      <button type="button" onClick={signOut}>
        Sign out
      </button>
    </nav>
  );
}

function SignedIn({ session }: { session: Session }) {
  const route = useRoute();
  if (isMerchantStaff(session)) {
    if (!session.user.merchant) return <p>This account works for no merchant.</p>;
    if (route.name === 'reports') return <ReportView merchant={session.user.merchant} />;
    return <ConsoleView merchant={session.user.merchant} />;
  }
  if (session.user.roles.includes('RIDER')) return <RiderView />;
  if (!session.user.roles.includes('CUSTOMER')) {
    return (
      <p>
        This example has a customer app, a merchant console and a rider view. Sign in with a
        customer, merchant staff or rider account.
      </p>
    );
  }
  switch (route.name) {
    case 'menu':
      return <MenuView merchantId={route.merchantId} />;
    case 'checkout':
      return <CheckoutView merchantId={route.merchantId} />;
    case 'orders':
      return <OrdersView />;
    case 'order':
      return <TrackingView orderId={route.orderId} />;
    default:
      return <MerchantsView />;
  }
}
