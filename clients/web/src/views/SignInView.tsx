import { useMutation } from '@apollo/client/react';
import { SignInDocument } from '@sky/client-kit';
import { useState, type FormEvent } from 'react';
import { demoAccounts, demoPassword } from 'virtual:demo-accounts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { navigate } from '../router.ts';
import { setSession } from '../session.ts';

const shownRoles = new Set(['CUSTOMER', 'MERCHANT_STAFF', 'RIDER']);

export function SignInView() {
  const [email, setEmail] = useState(
    demoAccounts.find((a) => a.roles.includes('CUSTOMER'))?.email ?? '',
  );
  const [password, setPassword] = useState(demoPassword);
  const [signIn, { loading, error }] = useMutation(SignInDocument);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { data } = await signIn({ variables: { email, password } }).catch(() => ({ data: null }));
    if (!data) return;
    const { accessToken, refreshToken, user } = data.login;
    setSession({
      accessToken,
      refreshToken,
      user: {
        id: user.id,
        name: user.name,
        roles: user.roles ?? [],
        merchant: user.merchant ?? null,
      },
    });
    navigate(user.roles?.includes('MERCHANT_STAFF') ? { name: 'console' } : { name: 'merchants' });
  };

  return (
    <section className="sign-in">
      <h1>Sign in</h1>
      <form onSubmit={submit}>
        <label>
          Email
          <input
            name="email"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <button type="submit" disabled={loading}>
          Sign in
        </button>
        <ErrorNote error={error} />
      </form>
      <h2>Demo accounts</h2>
      <p>
        Password <code>{demoPassword}</code>. Pick one to fill the form:
      </p>
      <ul className="demo-accounts">
        {demoAccounts
          .filter((account) => account.roles.some((role) => shownRoles.has(role)))
          .map((account) => (
            <li key={account.email}>
              <button
                type="button"
                onClick={() => {
                  setEmail(account.email);
                  setPassword(demoPassword);
                }}
              >
                {account.name}
              </button>{' '}
              <small>
                {account.roles.join(', ')} · {account.email}
              </small>
            </li>
          ))}
      </ul>
    </section>
  );
}
