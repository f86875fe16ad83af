import { errorCodes, graphql } from '@sky/testkit';
import { startTestSupergraph, type TestSupergraph } from './supergraph.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let supergraph: TestSupergraph;
beforeAll(async () => {
  supergraph = await startTestSupergraph({ env: { LOGIN_MAX_FAILURES: '3' } });
});
afterAll(async () => {
  await supergraph?.stop();
});

const REGISTER = `mutation($input: RegisterInput!) {
  register(input: $input) { accessToken refreshToken user { id name email roles } }
}`;
const LOGIN = `mutation($email: String!, $password: String!) {
  login(input: { email: $email, password: $password }) { accessToken refreshToken user { id email } }
}`;
const REFRESH = `mutation($token: String!) {
  refreshAccessToken(refreshToken: $token) { accessToken refreshToken }
}`;

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

let counter = 0;
const uniqueEmail = () => `user${Date.now()}${counter++}@example.com`;

async function register(email = uniqueEmail(), password = 'correct horse battery') {
  const response = await graphql<{
    register: Tokens & { user: { id: string; email: string; roles: string[] } };
  }>(supergraph.gatewayUrl, REGISTER, {
    variables: { input: { email, password, name: 'New Customer' } },
  });
  return { response, email, password };
}

describe('registration and sign-in', () => {
  it('registers a customer who can then sign in and read themself', async () => {
    const { response, email, password } = await register();
    expect(response.errors).toBeUndefined();
    expect(response.data!.register.user).toMatchObject({ email, roles: ['CUSTOMER'] });
    const login = await graphql<{ login: Tokens }>(supergraph.gatewayUrl, LOGIN, {
      variables: { email: email.toUpperCase(), password },
    });
    expect(login.errors).toBeUndefined();
    const me = await graphql<{ me: { email: string } }>(supergraph.gatewayUrl, '{ me { email } }', {
      token: login.data!.login.accessToken,
    });
    expect(me.data?.me.email).toBe(email);
  });

  it('refuses a second account with the same email (CONFLICT) and bad input (BAD_USER_INPUT)', async () => {
    const { email } = await register();
    const again = await register(email);
    expect(errorCodes(again.response)).toEqual(['CONFLICT']);
    const badEmail = await register('not-an-email');
    expect(errorCodes(badEmail.response)).toEqual(['BAD_USER_INPUT']);
    const shortPassword = await register(uniqueEmail(), 'short');
    expect(errorCodes(shortPassword.response)).toEqual(['BAD_USER_INPUT']);
  });

  it('answers a wrong password with UNAUTHENTICATED without saying which part was wrong', async () => {
    const { email } = await register();
    const wrongPassword = await graphql(supergraph.gatewayUrl, LOGIN, {
      variables: { email, password: 'wrong password' },
    });
    const unknownEmail = await graphql(supergraph.gatewayUrl, LOGIN, {
      variables: { email: uniqueEmail(), password: 'wrong password' },
    });
    expect(errorCodes(wrongPassword)).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(unknownEmail)).toEqual(['UNAUTHENTICATED']);
    expect(wrongPassword.errors![0]!.message).toBe(unknownEmail.errors![0]!.message);
  });

  it('throttles repeated failures with RATE_LIMITED, even when the right password follows', async () => {
    const { email, password } = await register();
    for (let attempt = 0; attempt < 3; attempt++) {
      await graphql(supergraph.gatewayUrl, LOGIN, {
        variables: { email, password: 'wrong password' },
      });
    }
    const locked = await graphql(supergraph.gatewayUrl, LOGIN, { variables: { email, password } });
    expect(errorCodes(locked)).toEqual(['RATE_LIMITED']);
    expect(locked.errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('counts concurrent failures too (no lost updates)', async () => {
    const { email, password } = await register();
    await Promise.all(
      Array.from({ length: 6 }, () =>
        graphql(supergraph.gatewayUrl, LOGIN, { variables: { email, password: 'wrong password' } }),
      ),
    );
    const locked = await graphql(supergraph.gatewayUrl, LOGIN, { variables: { email, password } });
    expect(errorCodes(locked)).toEqual(['RATE_LIMITED']);
  });
});

describe('refresh tokens', () => {
  it('rotates: the new pair works, and the old refresh token stops working', async () => {
    const { response } = await register();
    const first = response.data!.register;
    const rotated = await graphql<{ refreshAccessToken: Tokens }>(supergraph.gatewayUrl, REFRESH, {
      variables: { token: first.refreshToken },
    });
    expect(rotated.errors).toBeUndefined();
    const next = rotated.data!.refreshAccessToken;
    expect(next.refreshToken).not.toBe(first.refreshToken);
    const me = await graphql(supergraph.gatewayUrl, '{ me { id } }', { token: next.accessToken });
    expect(me.errors).toBeUndefined();
  });

  it('revokes the whole family when a rotated token is used again', async () => {
    const { response } = await register();
    const original = response.data!.register.refreshToken;
    const rotated = await graphql<{ refreshAccessToken: Tokens }>(supergraph.gatewayUrl, REFRESH, {
      variables: { token: original },
    });
    const latest = rotated.data!.refreshAccessToken.refreshToken;
    const reuse = await graphql(supergraph.gatewayUrl, REFRESH, { variables: { token: original } });
    expect(errorCodes(reuse)).toEqual(['UNAUTHENTICATED']);
    // The thief's reuse also signs out the legitimate holder of the newest token.
    const afterReuse = await graphql(supergraph.gatewayUrl, REFRESH, {
      variables: { token: latest },
    });
    expect(errorCodes(afterReuse)).toEqual(['UNAUTHENTICATED']);
  });

  it('lets exactly one of two concurrent exchanges of one token win', async () => {
    const { response } = await register();
    const token = response.data!.register.refreshToken;
    const results = await Promise.all([
      graphql(supergraph.gatewayUrl, REFRESH, { variables: { token } }),
      graphql(supergraph.gatewayUrl, REFRESH, { variables: { token } }),
    ]);
    const successes = results.filter((r) => !r.errors);
    expect(successes).toHaveLength(1);
  });

  it("treats the loser of a concurrent exchange as reuse: the winner's new token is revoked too", async () => {
    // Before the exchange became one transaction, the loser's family revocation could run
    // before the winner's insert and leave the winner's token alive; try it a few times.
    for (let round = 0; round < 5; round++) {
      const { response } = await register();
      const token = response.data!.register.refreshToken;
      const results = await Promise.all(
        [0, 1].map(() =>
          graphql<{ refreshAccessToken: Tokens }>(supergraph.gatewayUrl, REFRESH, {
            variables: { token },
          }),
        ),
      );
      const winner = results.find((r) => !r.errors)!.data!.refreshAccessToken.refreshToken;
      const afterRace = await graphql(supergraph.gatewayUrl, REFRESH, {
        variables: { token: winner },
      });
      expect(errorCodes(afterRace)).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('logout revokes the family and is safe to repeat', async () => {
    const { response } = await register();
    const token = response.data!.register.refreshToken;
    const LOGOUT = 'mutation($token: String!) { logout(refreshToken: $token) }';
    for (let i = 0; i < 2; i++) {
      const logout = await graphql(supergraph.gatewayUrl, LOGOUT, { variables: { token } });
      expect(logout.data).toEqual({ logout: true });
    }
    const refresh = await graphql(supergraph.gatewayUrl, REFRESH, { variables: { token } });
    expect(errorCodes(refresh)).toEqual(['UNAUTHENTICATED']);
  });
});
