import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { addressForOrder } from '@sky/contracts';
import { callInternal, requestInternal, type InternalClientOptions } from '@sky/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUserSubgraph, type TestUser, type UserSubgraphHarness } from './harness.ts';

let harness: UserSubgraphHarness;
let service: InternalClientOptions;
beforeAll(async () => {
  harness = await startUserSubgraph();
  service = {
    baseUrl: harness.url,
    token: harness.subgraph.runtime.config.internal.token,
    timeoutMs: 5_000,
  };
});
afterAll(async () => {
  await harness?.stop();
});

const ADD = `mutation($input: AddAddressInput!) { addAddress(input: $input) { id } }`;

async function addAddress(user: TestUser, label: string | null = 'Office'): Promise<string> {
  const response = await harness.run<{ addAddress: { id: string } }>(
    ADD,
    {
      input: {
        contactName: 'Bob Li',
        phone: '+8613800000001',
        detail: '上海市静安区南京西路 800 号 12 楼',
        label,
        location: { latitude: 31.2286, longitude: 121.4551 },
      },
    },
    user.token,
  );
  expect(response.errors).toBeUndefined();
  return response.data!.addAddress.id;
}

/** The error code callInternal rethrows for a refusal. */
async function refusal(work: Promise<unknown>): Promise<unknown> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphQLError);
  return (error as GraphQLError).extensions.code;
}

describe('internal endpoint address-for-order', () => {
  it("answers the snapshot of the user's own address", async () => {
    const bob = await harness.registerCustomer('Bob');
    const addressId = await addAddress(bob);
    const snapshot = await callInternal(addressForOrder, service, {
      addressId,
      userId: bob.id,
    });
    // Exactly the fields of its contract, nothing more.
    expect(snapshot).toEqual({
      id: addressId,
      contactName: 'Bob Li',
      phone: '+8613800000001',
      detail: '上海市静安区南京西路 800 号 12 楼',
      label: 'Office',
      latitude: 31.2286,
      longitude: 121.4551,
    });
    const unlabelled = await addAddress(bob, null);
    expect(
      await callInternal(addressForOrder, service, {
        addressId: unlabelled,
        userId: bob.id,
      }),
    ).toMatchObject({ label: null });
  });

  it("answers NOT_FOUND for another user's address, an unknown one and a deleted one", async () => {
    const owner = await harness.registerCustomer('Owner');
    const other = await harness.registerCustomer('Other');
    const addressId = await addAddress(owner);
    expect(
      await refusal(callInternal(addressForOrder, service, { addressId, userId: other.id })),
    ).toBe('NOT_FOUND');
    expect(
      await refusal(
        callInternal(addressForOrder, service, { addressId: randomUUID(), userId: owner.id }),
      ),
    ).toBe('NOT_FOUND');
    expect(
      await refusal(
        callInternal(addressForOrder, service, { addressId: 'nope', userId: owner.id }),
      ),
    ).toBe('NOT_FOUND');

    const deleted = await harness.run(
      `mutation($id: ID!) { deleteAddress(id: $id) { deletedAddressId } }`,
      { id: addressId },
      owner.token,
    );
    expect(deleted.errors).toBeUndefined();
    expect(
      await refusal(callInternal(addressForOrder, service, { addressId, userId: owner.id })),
    ).toBe('NOT_FOUND');
  });

  it('refuses a malformed body with BAD_USER_INPUT', async () => {
    const error = await requestInternal(service, 'address-for-order', { addressId: 42 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'addressId',
    });
  });

  it('refuses a call without the right service token with HTTP 401', async () => {
    const owner = await harness.registerCustomer();
    const addressId = await addAddress(owner);
    const body = { addressId, userId: owner.id };
    await expect(
      callInternal(
        addressForOrder,
        { ...service, token: 'wrong-token-0123456789abcdef0123456789' },
        body,
      ),
    ).rejects.toThrow(/HTTP 401/);

    const url = harness.url.replace(/\/graphql$/, '/internal/address-for-order');
    for (const authorization of [undefined, `Bearer ${owner.token}`]) {
      // A user's access token is not a service token either.
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(401);
      const payload = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      expect(JSON.stringify(payload)).toContain('UNAUTHENTICATED');
    }
  });

  it('checks the token before reading the body, and refuses bad bodies as the caller’s fault', async () => {
    const url = harness.url.replace(/\/graphql$/, '/internal/address-for-order');
    const post = (body: string, authorization?: string) =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(authorization ? { authorization } : {}),
        },
        body,
      });
    const codeOf = async (response: Response) =>
      ((await response.json()) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]
        ?.extensions?.code;
    // Without the token, not even a 2 MB body is read: 401, not 413.
    const anonymous = await post('x'.repeat(2_000_000));
    expect([anonymous.status, await codeOf(anonymous)]).toEqual([401, 'UNAUTHENTICATED']);
    const tooLarge = await post(
      JSON.stringify({ pad: 'x'.repeat(2_000_000) }),
      `Bearer ${service.token}`,
    );
    expect([tooLarge.status, await codeOf(tooLarge)]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const malformed = await post('{"addressId":', `Bearer ${service.token}`);
    expect([malformed.status, await codeOf(malformed)]).toEqual([400, 'BAD_REQUEST']);
  });
});
