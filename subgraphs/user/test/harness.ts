import { randomUUID } from 'node:crypto';
import type { Role } from '@sky/auth';
import { startTestSubgraph, type TestSubgraph } from '@sky/testkit';
import { createUserSubgraph, loadConfig, type UserSubgraph } from '../src/index.ts';

export interface TestUser {
  id: string;
  token: string;
}

/** The user subgraph alone, in server mode, on its own fresh database and a random port. */
export type UserSubgraphHarness = TestSubgraph<UserSubgraph> & {
  /** Registers a customer through the public mutation and returns its id and access token. */
  registerCustomer(name?: string): Promise<TestUser>;
  /** An access token with other roles for an existing user (e.g. ADMIN). */
  tokenFor(userId: string, roles: Role[]): string;
};

const REGISTER = `mutation($input: RegisterInput!) {
  register(input: $input) { accessToken user { id } }
}`;

export async function startUserSubgraph(): Promise<UserSubgraphHarness> {
  const harness = await startTestSubgraph({
    name: 'user',
    build: (env) => createUserSubgraph(loadConfig(env)),
  });
  let counter = 0;
  return {
    ...harness,
    async registerCustomer(name = 'Customer') {
      const email = `${name.toLowerCase().replace(/\W/g, '')}-${counter++}-${randomUUID()}@example.com`;
      const response = await harness.run<{
        register: { accessToken: string; user: { id: string } };
      }>(REGISTER, { input: { email, password: 'correct horse battery', name } });
      if (!response.data?.register) {
        throw new Error(`register failed: ${JSON.stringify(response.errors)}`);
      }
      return { id: response.data.register.user.id, token: response.data.register.accessToken };
    },
    tokenFor: (userId, roles) => harness.token({ userId, roles }),
  };
}
