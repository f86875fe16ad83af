import { randomUUID } from 'node:crypto';
import { errorCodes, type GraphQLResponse } from '@sky/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ADDRESSES_PER_USER } from '../src/services/address-book.ts';
import { startUserSubgraph, type TestUser, type UserSubgraphHarness } from './harness.ts';

let harness: UserSubgraphHarness;
beforeAll(async () => {
  harness = await startUserSubgraph();
});
afterAll(async () => {
  await harness?.stop();
});

interface AddressView {
  id: string;
  contactName: string;
  phone: string;
  detail: string;
  label: string | null;
  location: { latitude: number; longitude: number };
  isDefault: boolean;
  user: { id: string };
}

const ADDRESS_FIELDS = `id contactName phone detail label location { latitude longitude } isDefault user { id }`;
const ADD = `mutation($input: AddAddressInput!) { addAddress(input: $input) { ${ADDRESS_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateAddressInput!) {
  updateAddress(id: $id, input: $input) { ${ADDRESS_FIELDS} }
}`;
const DELETE = `mutation($id: ID!) {
  deleteAddress(id: $id) { deletedAddressId defaultAddress { id isDefault } }
}`;
const SET_DEFAULT = `mutation($id: ID!) { setDefaultAddress(id: $id) { id isDefault } }`;
const MY_ADDRESSES = `{ myAddresses { ${ADDRESS_FIELDS} } }`;

let seq = 0;
function addressInput(overrides: Record<string, unknown> = {}) {
  seq += 1;
  return {
    contactName: `Receiver ${seq}`,
    phone: '13800000000',
    detail: `上海市黄浦区南京东路 ${seq} 号`,
    label: 'Home',
    location: { latitude: 31.2304, longitude: 121.4737 },
    ...overrides,
  };
}

function ok<Data>(response: GraphQLResponse<Data>): Data {
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data!;
}

async function add(user: TestUser, overrides: Record<string, unknown> = {}): Promise<AddressView> {
  const response = await harness.run<{ addAddress: AddressView }>(
    ADD,
    { input: addressInput(overrides) },
    user.token,
  );
  return ok(response).addAddress;
}

async function book(user: TestUser): Promise<AddressView[]> {
  return ok(await harness.run<{ myAddresses: AddressView[] }>(MY_ADDRESSES, {}, user.token))
    .myAddresses;
}

/** What the database holds, so the rule is checked below the API too. */
async function defaultsInDatabase(userId: string): Promise<number> {
  return harness.subgraph.prisma.address.count({ where: { defaultForUserId: userId } });
}

describe('address book CRUD', () => {
  it('adds addresses: the first becomes the default, later ones do not', async () => {
    const alice = await harness.registerCustomer('Alice');
    const first = await add(alice, { label: '  Home  ', contactName: ' Alice ' });
    expect(first).toMatchObject({
      contactName: 'Alice',
      label: 'Home',
      phone: '13800000000',
      location: { latitude: 31.2304, longitude: 121.4737 },
      isDefault: true,
      user: { id: alice.id },
    });
    const second = await add(alice, { label: null });
    expect(second).toMatchObject({ isDefault: false, label: null });
    // makeDefault: false cannot make an empty book default-less; it only matters later.
    const third = await add(alice, { makeDefault: false });
    expect(third.isDefault).toBe(false);

    const listed = await book(alice);
    expect(listed.map((a) => a.id)).toEqual([first.id, second.id, third.id]);
    expect(await defaultsInDatabase(alice.id)).toBe(1);
  });

  it('moves the default to a new address added with makeDefault', async () => {
    const user = await harness.registerCustomer();
    const first = await add(user);
    const second = await add(user, { makeDefault: true });
    expect(second.isDefault).toBe(true);
    const me = ok(
      await harness.run<{
        me: { defaultAddress: { id: string }; addresses: { id: string; isDefault: boolean }[] };
      }>(`{ me { defaultAddress { id } addresses { id isDefault } } }`, {}, user.token),
    ).me;
    expect(me.defaultAddress.id).toBe(second.id);
    // Default first, then the oldest.
    expect(me.addresses).toEqual([
      { id: second.id, isDefault: true },
      { id: first.id, isDefault: false },
    ]);
  });

  it('sees its own change later in the same request (no stale per-request cache)', async () => {
    const user = await harness.registerCustomer();
    const response = await harness.run<{
      a: { user: { addresses: { id: string }[] } };
      b: { id: string; user: { addresses: { id: string }[]; defaultAddress: { id: string } } };
    }>(
      `mutation($a: AddAddressInput!, $b: AddAddressInput!) {
        a: addAddress(input: $a) { user { addresses { id } } }
        b: addAddress(input: $b) { id user { addresses { id } defaultAddress { id } } }
      }`,
      { a: addressInput(), b: addressInput({ makeDefault: true }) },
      user.token,
    );
    const data = ok(response);
    expect(data.a.user.addresses).toHaveLength(1);
    expect(data.b.user.addresses).toHaveLength(2);
    expect(data.b.user.defaultAddress.id).toBe(data.b.id);
  });

  it('refuses invalid input with BAD_USER_INPUT naming the field', async () => {
    const user = await harness.registerCustomer();
    const cases: [Record<string, unknown>, string][] = [
      [{ contactName: ' ' }, 'contactName'],
      [{ phone: 'call me' }, 'phone'],
      [{ detail: 'x'.repeat(513) }, 'detail'],
      [{ label: 'x'.repeat(33) }, 'label'],
      [{ location: { latitude: 91, longitude: 0 } }, 'location.latitude'],
      [{ location: { latitude: 0, longitude: -181 } }, 'location.longitude'],
    ];
    for (const [overrides, field] of cases) {
      const response = await harness.run(ADD, { input: addressInput(overrides) }, user.token);
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.extensions!.field).toBe(field);
    }
    expect(await book(user)).toEqual([]);
  });

  it('updates only the given fields, keeps the default, and is safe to repeat', async () => {
    const user = await harness.registerCustomer();
    const address = await add(user);
    const change = {
      phone: '+8613900000000',
      label: null,
      location: { latitude: 39.9042, longitude: 116.4074 },
    };
    const updated = ok(
      await harness.run<{ updateAddress: AddressView }>(
        UPDATE,
        { id: address.id, input: change },
        user.token,
      ),
    ).updateAddress;
    expect(updated).toEqual({
      ...address,
      phone: '+8613900000000',
      label: null,
      location: { latitude: 39.9042, longitude: 116.4074 },
      isDefault: true,
    });
    const again = ok(
      await harness.run<{ updateAddress: AddressView }>(
        UPDATE,
        { id: address.id, input: change },
        user.token,
      ),
    ).updateAddress;
    expect(again).toEqual(updated);
    const empty = ok(
      await harness.run<{ updateAddress: AddressView }>(
        UPDATE,
        { id: address.id, input: {} },
        user.token,
      ),
    ).updateAddress;
    expect(empty).toEqual(updated);
  });

  it('refuses a bad update and changes nothing', async () => {
    const user = await harness.registerCustomer();
    const address = await add(user);
    for (const [input, field] of [
      [{ contactName: null }, 'contactName'],
      [{ phone: '1' }, 'phone'],
      [{ location: { latitude: 0, longitude: 500 } }, 'location.longitude'],
    ] as const) {
      const response = await harness.run(UPDATE, { id: address.id, input }, user.token);
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0]!.extensions!.field).toBe(field);
    }
    expect(await book(user)).toEqual([address]);
  });
});

describe('default address rules', () => {
  it('moves the default with setDefaultAddress; repeating it changes nothing', async () => {
    const user = await harness.registerCustomer();
    const first = await add(user);
    const second = await add(user);
    const moved = ok(
      await harness.run<{ setDefaultAddress: { id: string; isDefault: boolean } }>(
        SET_DEFAULT,
        { id: second.id },
        user.token,
      ),
    ).setDefaultAddress;
    expect(moved).toEqual({ id: second.id, isDefault: true });
    const repeated = ok(
      await harness.run<{ setDefaultAddress: { id: string; isDefault: boolean } }>(
        SET_DEFAULT,
        { id: second.id },
        user.token,
      ),
    ).setDefaultAddress;
    expect(repeated).toEqual({ id: second.id, isDefault: true });
    expect((await book(user)).map((a) => [a.id, a.isDefault])).toEqual([
      [second.id, true],
      [first.id, false],
    ]);
  });

  it('deleting a non-default address keeps the default', async () => {
    const user = await harness.registerCustomer();
    const first = await add(user);
    const second = await add(user);
    const deleted = ok(
      await harness.run<{
        deleteAddress: { deletedAddressId: string; defaultAddress: { id: string } };
      }>(DELETE, { id: second.id }, user.token),
    ).deleteAddress;
    expect(deleted).toEqual({
      deletedAddressId: second.id,
      defaultAddress: { id: first.id, isDefault: true },
    });
  });

  it('deleting the default promotes the most recently added remaining address', async () => {
    const user = await harness.registerCustomer();
    const first = await add(user);
    const second = await add(user);
    const third = await add(user);
    // The first is the default; the newest remaining (third), not the oldest (second), takes over.
    const deleted = ok(
      await harness.run<{
        deleteAddress: { deletedAddressId: string; defaultAddress: { id: string } };
      }>(DELETE, { id: first.id }, user.token),
    ).deleteAddress;
    expect(deleted.defaultAddress).toEqual({ id: third.id, isDefault: true });
    expect((await book(user)).map((a) => [a.id, a.isDefault])).toEqual([
      [third.id, true],
      [second.id, false],
    ]);
    expect(await defaultsInDatabase(user.id)).toBe(1);

    // Deleting the last one leaves an empty book with no default.
    ok(await harness.run(DELETE, { id: third.id }, user.token));
    const last = ok(
      await harness.run<{ deleteAddress: { defaultAddress: null } }>(
        DELETE,
        { id: second.id },
        user.token,
      ),
    ).deleteAddress;
    expect(last.defaultAddress).toBeNull();
    expect(await book(user)).toEqual([]);
    expect(await defaultsInDatabase(user.id)).toBe(0);

    // A repeated delete answers NOT_FOUND and changes nothing.
    expect(errorCodes(await harness.run(DELETE, { id: second.id }, user.token))).toEqual([
      'NOT_FOUND',
    ]);
    // The next address added to the now-empty book is the default again.
    expect((await add(user)).isDefault).toBe(true);
  });

  it('leaves exactly one default after many concurrent setDefaultAddress calls', async () => {
    const user = await harness.registerCustomer();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await add(user)).id);
    const calls = Array.from({ length: 40 }, (_, i) =>
      harness.run<{ setDefaultAddress: { id: string; isDefault: boolean } }>(
        SET_DEFAULT,
        { id: ids[i % ids.length] },
        user.token,
      ),
    );
    const responses = await Promise.all(calls);
    for (const response of responses) {
      expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
      expect(response.data!.setDefaultAddress.isDefault).toBe(true);
    }
    expect(await defaultsInDatabase(user.id)).toBe(1);
    expect((await book(user)).filter((a) => a.isDefault)).toHaveLength(1);
  });

  it('keeps exactly one default under concurrent adds, setDefault and deletes', async () => {
    const user = await harness.registerCustomer();
    // Concurrent first addresses: exactly one of them may become the default.
    const added = await Promise.all(
      Array.from({ length: 8 }, () =>
        harness.run<{ addAddress: AddressView }>(ADD, { input: addressInput() }, user.token),
      ),
    );
    const ids = added.map((response) => ok(response).addAddress.id);
    expect(added.filter((response) => response.data!.addAddress.isDefault)).toHaveLength(1);
    expect(await defaultsInDatabase(user.id)).toBe(1);

    const mixed = await Promise.all([
      ...ids.slice(0, 4).map((id) => harness.run(DELETE, { id }, user.token)),
      ...ids.map((id) => harness.run(SET_DEFAULT, { id }, user.token)),
      ...Array.from({ length: 4 }, () =>
        harness.run(ADD, { input: addressInput({ makeDefault: true }) }, user.token),
      ),
    ]);
    // A setDefault may lose the race to a delete of the same address (NOT_FOUND); nothing else fails.
    for (const response of mixed) {
      expect(errorCodes(response).filter((code) => code !== 'NOT_FOUND')).toEqual([]);
    }
    const remaining = await book(user);
    expect(remaining).toHaveLength(8);
    expect(remaining.filter((a) => a.isDefault)).toHaveLength(1);
    expect(remaining[0]!.isDefault).toBe(true);
    expect(await defaultsInDatabase(user.id)).toBe(1);
  });

  it('refuses an address beyond the limit of the book', async () => {
    const user = await harness.registerCustomer();
    await add(user);
    await harness.subgraph.prisma.address.createMany({
      data: Array.from({ length: MAX_ADDRESSES_PER_USER - 1 }, (_, i) => ({
        userId: user.id,
        contactName: 'Filler',
        phone: '13800000000',
        detail: `Filler ${i}`,
        latitude: 0,
        longitude: 0,
      })),
    });
    const response = await harness.run(ADD, { input: addressInput() }, user.token);
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(await harness.subgraph.prisma.address.count({ where: { userId: user.id } })).toBe(
      MAX_ADDRESSES_PER_USER,
    );
  });
});

describe('idempotency key on addAddress', () => {
  it('answers the first address to a repeat and refuses the key with another input', async () => {
    const user = await harness.registerCustomer();
    const key = randomUUID();
    const input = addressInput({ idempotencyKey: key });
    const first = ok(await harness.run<{ addAddress: AddressView }>(ADD, { input }, user.token));
    // Whitespace that normalizes away is the same request.
    const repeat = ok(
      await harness.run<{ addAddress: AddressView }>(
        ADD,
        { input: { ...input, contactName: ` ${input.contactName} ` } },
        user.token,
      ),
    );
    expect(repeat.addAddress.id).toBe(first.addAddress.id);
    expect(await book(user)).toHaveLength(1);

    const reused = await harness.run(
      ADD,
      { input: { ...input, detail: 'somewhere else' } },
      user.token,
    );
    expect(errorCodes(reused)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(await book(user)).toHaveLength(1);

    // Keys are scoped per user: another user's identical key is unrelated.
    const other = await harness.registerCustomer();
    const theirs = ok(await harness.run<{ addAddress: AddressView }>(ADD, { input }, other.token));
    expect(theirs.addAddress.id).not.toBe(first.addAddress.id);
  });

  it('creates one address for concurrent repeats of one key', async () => {
    const user = await harness.registerCustomer();
    const input = addressInput({ idempotencyKey: randomUUID() });
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        harness.run<{ addAddress: AddressView }>(ADD, { input }, user.token),
      ),
    );
    const ids = new Set(responses.map((response) => ok(response).addAddress.id));
    expect(ids.size).toBe(1);
    expect(await book(user)).toHaveLength(1);
  });
});

describe('who may change an address book', () => {
  it('refuses anonymous callers with UNAUTHENTICATED', async () => {
    const owner = await harness.registerCustomer();
    const address = await add(owner);
    const attempts = [
      harness.run(ADD, { input: addressInput() }),
      harness.run(UPDATE, { id: address.id, input: { label: 'x' } }),
      harness.run(DELETE, { id: address.id }),
      harness.run(SET_DEFAULT, { id: address.id }),
      harness.run(MY_ADDRESSES),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    }
    expect(await book(owner)).toEqual([address]);
  });

  it("refuses changes to another user's address with FORBIDDEN (reading it is NOT_FOUND) and changes nothing", async () => {
    const owner = await harness.registerCustomer('Owner');
    const first = await add(owner);
    const second = await add(owner);
    const intruder = await harness.registerCustomer('Intruder');
    await add(intruder);
    const before = await book(owner);

    const attempts = [
      harness.run(UPDATE, { id: second.id, input: { detail: 'mine now' } }, intruder.token),
      harness.run(DELETE, { id: first.id }, intruder.token),
      harness.run(SET_DEFAULT, { id: second.id }, intruder.token),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    }
    // Missing or not yours (docs section 6): a lookup does not tell it from an unknown id.
    const read = await harness.run(
      `query($id: ID!) { address(id: $id) { id } }`,
      { id: first.id },
      intruder.token,
    );
    expect(errorCodes(read)).toEqual(['NOT_FOUND']);
    expect(await book(owner)).toEqual(before);
    // The intruder's own default did not move either.
    expect((await book(intruder)).filter((a) => a.isDefault)).toHaveLength(1);
  });

  it('changes an address book only as its owner, admins included', async () => {
    const owner = await harness.registerCustomer();
    const address = await add(owner);
    const admin = await harness.registerCustomer('Admin');
    const adminToken = harness.tokenFor(admin.id, ['ADMIN']);
    // Admins may read any address ...
    const read = await harness.run<{ address: { id: string } }>(
      `query($id: ID!) { address(id: $id) { id contactName } }`,
      { id: address.id },
      adminToken,
    );
    expect(ok(read).address.id).toBe(address.id);
    // ... but not change someone else's book.
    const update = await harness.run(UPDATE, { id: address.id, input: { label: 'x' } }, adminToken);
    expect(errorCodes(update)).toEqual(['FORBIDDEN']);
    expect(await book(owner)).toEqual([address]);
  });

  it('answers NOT_FOUND for unknown and malformed ids', async () => {
    const user = await harness.registerCustomer();
    for (const id of [randomUUID(), 'not-a-uuid']) {
      for (const response of await Promise.all([
        harness.run(UPDATE, { id, input: { label: 'x' } }, user.token),
        harness.run(DELETE, { id }, user.token),
        harness.run(SET_DEFAULT, { id }, user.token),
      ])) {
        expect(errorCodes(response)).toEqual(['NOT_FOUND']);
      }
    }
  });

  it('refuses a valid token whose account no longer exists', async () => {
    const ghost = harness.tokenFor(randomUUID(), ['CUSTOMER']);
    expect(errorCodes(await harness.run(ADD, { input: addressInput() }, ghost))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });
});

describe('federation', () => {
  it('still resolves Address entities for their owner after the shield is applied', async () => {
    const user = await harness.registerCustomer();
    const address = await add(user);
    const response = await harness.run<{
      _entities: { id: string; isDefault: boolean; detail: string }[];
    }>(
      `query($representations: [_Any!]!) {
        _entities(representations: $representations) { ... on Address { id isDefault detail } }
      }`,
      { representations: [{ __typename: 'Address', id: address.id }] },
      user.token,
    );
    expect(ok(response)._entities).toEqual([
      { id: address.id, isDefault: true, detail: address.detail },
    ]);
  });
});
