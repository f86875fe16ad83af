import { DEMO_PASSWORD, findDemoUser } from '@sky/demo-data';
import { errorCodes, graphql, type GraphQLResponse } from '@sky/testkit';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goldenDumpling, newCustomer, noodleHouse, ok, orderOneDish } from './flows.ts';
import { signIn } from './helpers.ts';
import { startTestSupergraph, type TestSupergraph } from './supergraph.ts';

/**
 * Issue 12, accounts and onboarding, through the gateway in server mode: merchants created by
 * admins, staff managed by their merchant's managers, riders onboarded, accounts disabled, and
 * passwords changed and reset.
 */
let supergraph: TestSupergraph;
let url: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  supergraph = await startTestSupergraph({ env: { LOGIN_MAX_FAILURES: '50' } });
  url = supergraph.gatewayUrl;
  for (const key of [
    'admin',
    'alice',
    'rider-li',
    'staff-noodle-house',
    'manager-noodle-house',
    'manager-golden-dumpling',
  ]) {
    tokens[key] = await signIn(url, key);
  }
});
afterAll(async () => {
  await supergraph?.stop();
});

const PASSWORD = 'first password 1';
const newEmail = (prefix: string) => `${prefix}-${randomUUID()}@example.com`;

const LOGIN = `mutation($email: String!, $password: String!) {
  login(input: { email: $email, password: $password }) { accessToken refreshToken user { id } }
}`;
const REFRESH = `mutation($token: String!) {
  refreshAccessToken(refreshToken: $token) { accessToken refreshToken }
}`;
const CREATE_STAFF = `mutation($input: CreateStaffAccountInput!) {
  createStaffAccount(input: $input) { id email roles disabled merchant { id } }
}`;
const CREATE_RIDER = `mutation($input: CreateRiderAccountInput!) {
  createRiderAccount(input: $input) { id email roles }
}`;
const SET_DISABLED = `mutation($userId: ID!, $disabled: Boolean!) {
  setAccountDisabled(userId: $userId, disabled: $disabled) { id disabled disabledAt }
}`;
const RESET_PASSWORD = `mutation($userId: ID!, $newPassword: String!) {
  resetPassword(userId: $userId, newPassword: $newPassword) { id }
}`;
const CHANGE_PASSWORD = `mutation($currentPassword: String!, $newPassword: String!) {
  changePassword(currentPassword: $currentPassword, newPassword: $newPassword) {
    accessToken refreshToken user { id }
  }
}`;
const MERCHANT_STAFF = `query($merchantId: ID, $filter: UserFilter) {
  merchantStaff(merchantId: $merchantId, first: 100, filter: $filter) {
    edges { node { id email roles disabled } }
  }
}`;
const USERS = `query($filter: UserFilter, $first: Int, $after: String) {
  users(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id email roles disabled merchant { id } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const CREATE_MERCHANT = `mutation($input: CreateMerchantInput!) {
  createMerchant(input: $input) {
    id name timezone deliveryRadiusMeters status isOpenNow
    deliveryFee { amount currency } businessHours { dayOfWeek opensAt closesAt }
  }
}`;

interface Session {
  accessToken: string;
  refreshToken: string;
  user: { id: string };
}

const login = (email: string, password: string) =>
  graphql<{ login: Session }>(url, LOGIN, { variables: { email, password } });
const refresh = (token: string) =>
  graphql<{ refreshAccessToken: Session }>(url, REFRESH, { variables: { token } });

/** The single error's `reason` extension (e.g. ACCOUNT_DISABLED). */
const reasonOf = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.reason;

async function createStaff(
  token: string,
  input: Record<string, unknown> = {},
): Promise<{ id: string; email: string }> {
  const email = newEmail('staff');
  const created = ok(
    await graphql<{ createStaffAccount: { id: string; email: string } }>(url, CREATE_STAFF, {
      token,
      variables: { input: { email, password: PASSWORD, name: 'New Staff', ...input } },
    }),
  );
  return created.createStaffAccount;
}

describe('merchants created by an admin', () => {
  const allWeek = [1, 2, 3, 4, 5, 6, 7].map((dayOfWeek) => ({
    dayOfWeek,
    opensAt: '00:00',
    closesAt: '24:00',
  }));
  const newMerchant = (idempotencyKey?: string) => ({
    name: `Test Kitchen ${randomUUID().slice(0, 8)}`,
    phone: '+86 21 5555 0101',
    address: '上海市黄浦区 测试路 8 号',
    location: { latitude: noodleHouse.latitude + 0.01, longitude: noodleHouse.longitude },
    timezone: 'Asia/Shanghai',
    deliveryRadiusMeters: 5000,
    deliveryFeeAmount: 300,
    packingFeePerItemAmount: 100,
    hours: allWeek,
    status: 'OPEN',
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });

  it('is refused to everyone but admins', async () => {
    const input = newMerchant();
    const anonymous = await graphql(url, CREATE_MERCHANT, { variables: { input } });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    for (const key of ['alice', 'rider-li', 'staff-noodle-house', 'manager-noodle-house']) {
      const refused = await graphql(url, CREATE_MERCHANT, {
        token: tokens[key],
        variables: { input },
      });
      expect(errorCodes(refused), key).toEqual(['FORBIDDEN']);
    }
    const found = await graphql<{ merchants: { edges: unknown[] } }>(
      url,
      'query($k: String) { merchants(keyword: $k) { edges { node { id } } } }',
      { variables: { k: input.name } },
    );
    expect(found.data!.merchants.edges).toEqual([]);
  });

  it('validates its input with the field named', async () => {
    const bad = await graphql(url, CREATE_MERCHANT, {
      token: tokens.admin,
      variables: { input: { ...newMerchant(), timezone: 'Mars/Olympus' } },
    });
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0]!.extensions!.field).toBe('timezone');
    const badHours = await graphql(url, CREATE_MERCHANT, {
      token: tokens.admin,
      variables: {
        input: { ...newMerchant(), hours: [{ dayOfWeek: 8, opensAt: '09:00', closesAt: '10:00' }] },
      },
    });
    expect(errorCodes(badHours)).toEqual(['BAD_USER_INPUT']);
    expect(badHours.errors![0]!.extensions!.field).toBe('hours');
  });

  it('answers a retry with the same idempotency key with the first merchant, and refuses a reused key', async () => {
    const key = randomUUID();
    const input = newMerchant(key);
    const first = ok(
      await graphql<{ createMerchant: { id: string } }>(url, CREATE_MERCHANT, {
        token: tokens.admin,
        variables: { input },
      }),
    );
    const again = ok(
      await graphql<{ createMerchant: { id: string } }>(url, CREATE_MERCHANT, {
        token: tokens.admin,
        variables: { input },
      }),
    );
    expect(again.createMerchant.id).toBe(first.createMerchant.id);
    const reused = await graphql(url, CREATE_MERCHANT, {
      token: tokens.admin,
      variables: { input: { ...input, name: 'Another name' } },
    });
    expect(errorCodes(reused)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    const listed = await graphql<{ merchants: { edges: unknown[] } }>(
      url,
      'query($k: String) { merchants(keyword: $k) { edges { node { id } } } }',
      { variables: { k: input.name } },
    );
    expect(listed.data!.merchants.edges).toHaveLength(1);
  });

  it('is then visible to anyone, set up by its new manager, and takes orders', async () => {
    const input = newMerchant();
    const created = ok(
      await graphql<{
        createMerchant: {
          id: string;
          isOpenNow: boolean;
          deliveryFee: { amount: number };
          businessHours: unknown[];
        };
      }>(url, CREATE_MERCHANT, { token: tokens.admin, variables: { input } }),
    ).createMerchant;
    expect(created).toMatchObject({ isOpenNow: true, deliveryFee: { amount: 300 } });
    expect(created.businessHours).toHaveLength(7);
    const publicView = await graphql<{ merchant: { name: string } }>(
      url,
      'query($id: ID!) { merchant(id: $id) { name } }',
      { variables: { id: created.id } },
    );
    expect(publicView.data!.merchant.name).toBe(input.name);

    // The admin onboards its manager; the manager signs in and builds the menu.
    const manager = await createStaff(tokens.admin, {
      merchantId: created.id,
      staffRole: 'MANAGER',
    });
    const managerToken = ok(await login(manager.email, PASSWORD)).login.accessToken;
    const category = ok(
      await graphql<{ createCategory: { id: string } }>(
        url,
        'mutation($input: CreateCategoryInput!) { createCategory(input: $input) { id } }',
        { token: managerToken, variables: { input: { name: 'Mains', type: 'DISH' } } },
      ),
    ).createCategory;
    const dish = ok(
      await graphql<{ createDish: { id: string } }>(
        url,
        'mutation($input: CreateDishInput!) { createDish(input: $input) { id } }',
        {
          token: managerToken,
          variables: {
            input: {
              categoryId: category.id,
              name: 'Test noodles',
              priceAmount: 1800,
              onSale: true,
            },
          },
        },
      ),
    ).createDish;

    const customer = await newCustomer(url, input.location);
    const orderId = await orderOneDish(url, customer, created.id, dish.id);
    const order = ok(
      await graphql<{ order: { merchant: { id: string }; total: { amount: number } } }>(
        url,
        'query($id: ID!) { order(id: $id) { merchant { id } total { amount } } }',
        { token: customer.token, variables: { id: orderId } },
      ),
    ).order;
    // 18.00 dish + 1.00 packing + 3.00 delivery.
    expect(order).toEqual({ merchant: { id: created.id }, total: { amount: 2200 } });
  });
});

describe('staff accounts managed by their merchant’s manager', () => {
  it('lets a manager create plain staff for their own merchant only', async () => {
    const staff = await createStaff(tokens['manager-noodle-house']!);
    const listed = ok(
      await graphql<{ merchantStaff: { edges: { node: { id: string; roles: string[] } }[] } }>(
        url,
        MERCHANT_STAFF,
        { token: tokens['manager-noodle-house'] },
      ),
    ).merchantStaff.edges.map((edge) => edge.node);
    expect(listed).toContainEqual(
      expect.objectContaining({ id: staff.id, roles: ['MERCHANT_STAFF'] }),
    );
    expect(listed.map((node) => node.id)).toContain(findDemoUser('staff-noodle-house').id);
    expect(listed.map((node) => node.id)).not.toContain(findDemoUser('staff-golden-dumpling').id);

    const otherMerchant = await graphql(url, CREATE_STAFF, {
      token: tokens['manager-noodle-house'],
      variables: {
        input: {
          merchantId: goldenDumpling.id,
          email: newEmail('x'),
          password: PASSWORD,
          name: 'X',
        },
      },
    });
    expect(errorCodes(otherMerchant)).toEqual(['FORBIDDEN']);
    const promotion = await graphql(url, CREATE_STAFF, {
      token: tokens['manager-noodle-house'],
      variables: {
        input: { email: newEmail('x'), password: PASSWORD, name: 'X', staffRole: 'MANAGER' },
      },
    });
    expect(errorCodes(promotion)).toEqual(['FORBIDDEN']);
  });

  it('refuses a duplicate email with CONFLICT and creates nothing', async () => {
    const staff = await createStaff(tokens['manager-noodle-house']!);
    const duplicate = await graphql(url, CREATE_STAFF, {
      token: tokens['manager-noodle-house'],
      variables: { input: { email: staff.email.toUpperCase(), password: PASSWORD, name: 'Twin' } },
    });
    expect(errorCodes(duplicate)).toEqual(['CONFLICT']);
    const matches = ok(
      await graphql<{ users: { edges: unknown[] } }>(url, USERS, {
        token: tokens.admin,
        variables: { filter: { keyword: staff.email } },
      }),
    );
    expect(matches.users.edges).toHaveLength(1);
  });

  it('gives FORBIDDEN to staff of another merchant, plain staff, customers and riders, UNAUTHENTICATED without a token', async () => {
    const staff = await createStaff(tokens['manager-noodle-house']!);
    const golden = tokens['manager-golden-dumpling'];
    const refusals = [
      await graphql(url, MERCHANT_STAFF, {
        token: golden,
        variables: { merchantId: noodleHouse.id },
      }),
      await graphql(url, SET_DISABLED, {
        token: golden,
        variables: { userId: staff.id, disabled: true },
      }),
      await graphql(url, RESET_PASSWORD, {
        token: golden,
        variables: { userId: staff.id, newPassword: 'stolen password' },
      }),
    ];
    for (const key of ['staff-noodle-house', 'alice', 'rider-li']) {
      refusals.push(await graphql(url, MERCHANT_STAFF, { token: tokens[key] }));
      refusals.push(
        await graphql(url, SET_DISABLED, {
          token: tokens[key],
          variables: { userId: staff.id, disabled: true },
        }),
      );
      refusals.push(
        await graphql(url, CREATE_STAFF, {
          token: tokens[key],
          variables: { input: { email: newEmail('x'), password: PASSWORD, name: 'X' } },
        }),
      );
    }
    for (const refused of refusals) expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    // A manager may not act on another manager (admins manage managers) nor on a customer.
    for (const userId of [findDemoUser('manager-golden-dumpling').id, findDemoUser('alice').id]) {
      const refused = await graphql(url, SET_DISABLED, {
        token: tokens['manager-noodle-house'],
        variables: { userId, disabled: true },
      });
      expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    }
    const anonymous = [
      await graphql(url, MERCHANT_STAFF, { variables: { merchantId: noodleHouse.id } }),
      await graphql(url, SET_DISABLED, { variables: { userId: staff.id, disabled: true } }),
      await graphql(url, USERS, {}),
    ];
    for (const refused of anonymous) expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
    // Nothing happened to the account: it still signs in.
    expect(errorCodes(await login(staff.email, PASSWORD))).toEqual([]);
  });

  it('disables an account at once: no sign-in, no refresh; enabling lets it sign in again', async () => {
    const staff = await createStaff(tokens['manager-noodle-house']!);
    const session = ok(await login(staff.email, PASSWORD)).login;
    const disabled = ok(
      await graphql<{ setAccountDisabled: { disabled: boolean; disabledAt: string } }>(
        url,
        SET_DISABLED,
        { token: tokens['manager-noodle-house'], variables: { userId: staff.id, disabled: true } },
      ),
    ).setAccountDisabled;
    expect(disabled.disabled).toBe(true);
    // Idempotent: a repeat keeps the first instant.
    const repeat = ok(
      await graphql<{ setAccountDisabled: { disabledAt: string } }>(url, SET_DISABLED, {
        token: tokens['manager-noodle-house'],
        variables: { userId: staff.id, disabled: true },
      }),
    ).setAccountDisabled;
    expect(repeat.disabledAt).toBe(disabled.disabledAt);

    const refreshed = await refresh(session.refreshToken);
    expect(errorCodes(refreshed)).toEqual(['UNAUTHENTICATED']);
    const signIn = await login(staff.email, PASSWORD);
    expect(errorCodes(signIn)).toEqual(['UNAUTHENTICATED']);
    expect(reasonOf(signIn)).toBe('ACCOUNT_DISABLED');
    // A wrong password says nothing about the account being disabled.
    const guess = await login(staff.email, 'a wrong guess');
    expect(errorCodes(guess)).toEqual(['UNAUTHENTICATED']);
    expect(reasonOf(guess)).toBeUndefined();
    const disabledList = ok(
      await graphql<{ merchantStaff: { edges: { node: { id: string } }[] } }>(url, MERCHANT_STAFF, {
        token: tokens['manager-noodle-house'],
        variables: { filter: { disabled: true } },
      }),
    ).merchantStaff.edges.map((edge) => edge.node.id);
    expect(disabledList).toContain(staff.id);

    ok(
      await graphql(url, SET_DISABLED, {
        token: tokens['manager-noodle-house'],
        variables: { userId: staff.id, disabled: false },
      }),
    );
    expect(errorCodes(await login(staff.email, PASSWORD))).toEqual([]);
    // The tokens revoked by disabling stay revoked.
    expect(errorCodes(await refresh(session.refreshToken))).toEqual(['UNAUTHENTICATED']);
  });

  it('resets a staff password: the old sessions end, the new password signs in', async () => {
    const staff = await createStaff(tokens['manager-noodle-house']!);
    const session = ok(await login(staff.email, PASSWORD)).login;
    ok(
      await graphql(url, RESET_PASSWORD, {
        token: tokens['manager-noodle-house'],
        variables: { userId: staff.id, newPassword: 'reset password 2' },
      }),
    );
    expect(errorCodes(await refresh(session.refreshToken))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await login(staff.email, PASSWORD))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await login(staff.email, 'reset password 2'))).toEqual([]);
    const own = await graphql(url, RESET_PASSWORD, {
      token: tokens['manager-noodle-house'],
      variables: { userId: findDemoUser('manager-noodle-house').id, newPassword: 'whatever 123' },
    });
    expect(errorCodes(own)).toEqual(['FORBIDDEN']);
  });
});

describe('changing one’s own password', () => {
  it('needs the current password and signs out every other session', async () => {
    const email = newEmail('customer');
    ok(
      await graphql(
        url,
        'mutation($input: RegisterInput!) { register(input: $input) { accessToken } }',
        {
          variables: { input: { email, password: PASSWORD, name: 'Changer' } },
        },
      ),
    );
    const phone = ok(await login(email, PASSWORD)).login;
    const laptop = ok(await login(email, PASSWORD)).login;

    const wrong = await graphql(url, CHANGE_PASSWORD, {
      token: laptop.accessToken,
      variables: { currentPassword: 'not my password', newPassword: 'second password 2' },
    });
    expect(errorCodes(wrong)).toEqual(['UNAUTHENTICATED']);
    const tooShort = await graphql(url, CHANGE_PASSWORD, {
      token: laptop.accessToken,
      variables: { currentPassword: PASSWORD, newPassword: 'short' },
    });
    expect(errorCodes(tooShort)).toEqual(['BAD_USER_INPUT']);
    const anonymous = await graphql(url, CHANGE_PASSWORD, {
      variables: { currentPassword: PASSWORD, newPassword: 'second password 2' },
    });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    // The failures changed nothing.
    expect(errorCodes(await login(email, PASSWORD))).toEqual([]);

    const changed = ok(
      await graphql<{ changePassword: Session }>(url, CHANGE_PASSWORD, {
        token: laptop.accessToken,
        variables: { currentPassword: PASSWORD, newPassword: 'second password 2' },
      }),
    ).changePassword;
    expect(errorCodes(await refresh(phone.refreshToken))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await refresh(laptop.refreshToken))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await refresh(changed.refreshToken))).toEqual([]);
    expect(errorCodes(await login(email, PASSWORD))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await login(email, 'second password 2'))).toEqual([]);
    // A retry of the same change fails: the current password is no longer the old one.
    const retry = await graphql(url, CHANGE_PASSWORD, {
      token: changed.accessToken,
      variables: { currentPassword: PASSWORD, newPassword: 'second password 2' },
    });
    expect(errorCodes(retry)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('admin lists, onboards and disables accounts', () => {
  it('onboards a rider who can then go online, and finds riders by role and keyword', async () => {
    const email = newEmail('rider');
    const rider = ok(
      await graphql<{ createRiderAccount: { id: string; roles: string[] } }>(url, CREATE_RIDER, {
        token: tokens.admin,
        variables: { input: { email, password: PASSWORD, name: 'Onboarded Rider' } },
      }),
    ).createRiderAccount;
    expect(rider.roles).toEqual(['RIDER']);
    for (const key of ['manager-noodle-house', 'alice', 'rider-li']) {
      const refused = await graphql(url, CREATE_RIDER, {
        token: tokens[key],
        variables: { input: { email: newEmail('x'), password: PASSWORD, name: 'X' } },
      });
      expect(errorCodes(refused), key).toEqual(['FORBIDDEN']);
    }
    const riderToken = ok(await login(email, PASSWORD)).login.accessToken;
    ok(
      await graphql(url, 'mutation($l: GeoPointInput!) { goOnline(location: $l) { id } }', {
        token: riderToken,
        variables: { l: { latitude: noodleHouse.latitude, longitude: noodleHouse.longitude } },
      }),
    );
    const found = ok(
      await graphql<{ users: { edges: { node: { id: string; rider: { status: string } } }[] } }>(
        url,
        `
          query ($filter: UserFilter) {
            users(filter: $filter) {
              edges {
                node {
                  id
                  rider {
                    status
                  }
                }
              }
            }
          }
        `,
        {
          token: tokens.admin,
          variables: { filter: { role: 'RIDER', keyword: 'onboarded rider' } },
        },
      ),
    ).users.edges.map((edge) => edge.node);
    expect(found).toContainEqual({ id: rider.id, rider: { status: 'AVAILABLE' } });
    expect(found.map((node) => node.id)).not.toContain(findDemoUser('alice').id);
  });

  it('filters by role, merchant and disabled state and pages with cursors', async () => {
    const staffOfGolden = ok(
      await graphql<{ users: { edges: { node: { id: string; roles: string[] } }[] } }>(url, USERS, {
        token: tokens.admin,
        variables: { filter: { merchantId: goldenDumpling.id } },
      }),
    ).users.edges.map((edge) => edge.node.id);
    expect(staffOfGolden.sort()).toEqual(
      [findDemoUser('staff-golden-dumpling').id, findDemoUser('manager-golden-dumpling').id].sort(),
    );
    const managers = ok(
      await graphql<{ users: { edges: { node: { id: string } }[] } }>(url, USERS, {
        token: tokens.admin,
        variables: { filter: { role: 'MERCHANT_MANAGER', merchantId: noodleHouse.id } },
      }),
    ).users.edges.map((edge) => edge.node.id);
    expect(managers).toContain(findDemoUser('manager-noodle-house').id);
    expect(managers).not.toContain(findDemoUser('staff-noodle-house').id);

    const firstPage = ok(
      await graphql<{
        users: { edges: { node: { id: string } }[]; pageInfo: { endCursor: string } };
      }>(url, USERS, { token: tokens.admin, variables: { first: 2 } }),
    ).users;
    const secondPage = ok(
      await graphql<{ users: { edges: { node: { id: string } }[] } }>(url, USERS, {
        token: tokens.admin,
        variables: { first: 2, after: firstPage.pageInfo.endCursor },
      }),
    ).users;
    expect(firstPage.edges).toHaveLength(2);
    expect(secondPage.edges).toHaveLength(2);
    const ids = [...firstPage.edges, ...secondPage.edges].map((edge) => edge.node.id);
    expect(new Set(ids).size).toBe(4);

    const badCursor = await graphql(url, USERS, {
      token: tokens.admin,
      variables: { after: 'not-a-cursor' },
    });
    expect(errorCodes(badCursor)).toEqual(['BAD_USER_INPUT']);
    for (const key of ['manager-noodle-house', 'alice', 'rider-li', 'staff-noodle-house']) {
      const refused = await graphql(url, USERS, { token: tokens[key] });
      expect(errorCodes(refused), key).toEqual(['FORBIDDEN']);
    }
  });

  it('disables a customer: refresh refused at once, sign-in refused, and never themself', async () => {
    const email = newEmail('customer');
    const registered = ok(
      await graphql<{ register: Session }>(
        url,
        'mutation($input: RegisterInput!) { register(input: $input) { accessToken refreshToken user { id } } }',
        { variables: { input: { email, password: PASSWORD, name: 'To Disable' } } },
      ),
    ).register;
    ok(
      await graphql(url, SET_DISABLED, {
        token: tokens.admin,
        variables: { userId: registered.user.id, disabled: true },
      }),
    );
    const refreshed = await refresh(registered.refreshToken);
    expect(errorCodes(refreshed)).toEqual(['UNAUTHENTICATED']);
    const signIn = await login(email, PASSWORD);
    expect(reasonOf(signIn)).toBe('ACCOUNT_DISABLED');
    const listed = ok(
      await graphql<{ users: { edges: { node: { id: string; disabled: boolean } }[] } }>(
        url,
        USERS,
        { token: tokens.admin, variables: { filter: { disabled: true, keyword: email } } },
      ),
    ).users.edges.map((edge) => edge.node);
    expect(listed).toEqual([expect.objectContaining({ id: registered.user.id, disabled: true })]);

    const self = await graphql(url, SET_DISABLED, {
      token: tokens.admin,
      variables: { userId: findDemoUser('admin').id, disabled: true },
    });
    expect(errorCodes(self)).toEqual(['FORBIDDEN']);
    const unknown = await graphql(url, SET_DISABLED, {
      token: tokens.admin,
      variables: { userId: randomUUID(), disabled: true },
    });
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
    expect(errorCodes(await login(findDemoUser('admin').email, DEMO_PASSWORD))).toEqual([]);
  });
});
