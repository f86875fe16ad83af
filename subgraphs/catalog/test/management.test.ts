import { merchants as demoMerchants } from '@sky/demo-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, expectError, startCatalog, type TestCatalog } from './helpers.ts';

const [noodleHouse, goldenDumpling] = demoMerchants;
const noodle = noodleHouse!;
const dumpling = goldenDumpling!;
const dishNamed = (name: string) => noodle.dishes.find((dish) => dish.name.startsWith(name))!;
const beefNoodles = dishNamed('红烧牛肉面');
const scallionNoodles = dishNamed('葱油拌面');
const noodleCategory = noodle.categories.find((category) => category.type === 'DISH')!;
const noodleSetMealCategory = noodle.categories.find((category) => category.type === 'SET_MEAL')!;
const beefCombo = noodle.setMeals[0]!;

let catalog: TestCatalog;
let noodleStaff: string;
let dumplingStaff: string;
let admin: string;
let customer: string;
let rider: string;

beforeAll(async () => {
  catalog = await startCatalog();
  noodleStaff = catalog.token({ roles: ['MERCHANT_STAFF'], merchantId: noodle.id });
  dumplingStaff = catalog.token({ roles: ['MERCHANT_STAFF'], merchantId: dumpling.id });
  admin = catalog.token({ roles: ['ADMIN'] });
  customer = catalog.token({ roles: ['CUSTOMER'] });
  rider = catalog.token({ roles: ['RIDER'] });
});

afterAll(async () => {
  await catalog?.stop();
});

const CREATE_CATEGORY = /* GraphQL */ `
  mutation ($input: CreateCategoryInput!) {
    createCategory(input: $input) {
      id
      name
      type
      sortOrder
      enabled
      merchant {
        id
      }
    }
  }
`;
const CREATE_DISH = /* GraphQL */ `
  mutation ($input: CreateDishInput!) {
    createDish(input: $input) {
      id
      name
      onSale
      dailyStock
      stockLeftToday
      price {
        amount
        currency
      }
      flavors {
        name
        options
      }
      category {
        id
      }
    }
  }
`;
const CREATE_SET_MEAL = /* GraphQL */ `
  mutation ($input: CreateSetMealInput!) {
    createSetMeal(input: $input) {
      id
      onSale
      items {
        copies
        dish {
          id
        }
      }
    }
  }
`;
const DISH_STATE = /* GraphQL */ `
  query ($id: ID!) {
    dish(id: $id) {
      id
      name
      onSale
      priceAmount: price {
        amount
      }
    }
  }
`;
const SET_MEAL_STATE = /* GraphQL */ `
  query ($id: ID!) {
    setMeal(id: $id) {
      id
      onSale
    }
  }
`;

async function createCategory(
  input: Record<string, unknown>,
  token = noodleStaff,
): Promise<{ id: string }> {
  return dataOf(
    await catalog.gql<{ createCategory: { id: string } }>(CREATE_CATEGORY, { input }, token),
  ).createCategory;
}

async function createDish(input: Record<string, unknown>, token = noodleStaff) {
  return dataOf(
    await catalog.gql<{ createDish: { id: string; onSale: boolean } }>(
      CREATE_DISH,
      { input: { categoryId: noodleCategory.id, priceAmount: 1000, ...input } },
      token,
    ),
  ).createDish;
}

async function dishOnSale(id: string): Promise<boolean | undefined> {
  const response = await catalog.gql<{ dish: { onSale: boolean } | null }>(
    DISH_STATE,
    { id },
    admin,
  );
  return dataOf(response).dish?.onSale;
}

async function setMealOnSale(id: string): Promise<boolean | undefined> {
  const response = await catalog.gql<{ setMeal: { onSale: boolean } | null }>(
    SET_MEAL_STATE,
    { id },
    admin,
  );
  return dataOf(response).setMeal?.onSale;
}

describe('who may manage a menu', () => {
  it('refuses anonymous callers (UNAUTHENTICATED), customers and riders (FORBIDDEN)', async () => {
    const input = { name: 'Nope', type: 'DISH', merchantId: noodle.id };
    expectError(await catalog.gql(CREATE_CATEGORY, { input }), 'UNAUTHENTICATED');
    expectError(await catalog.gql(CREATE_CATEGORY, { input }, customer), 'FORBIDDEN');
    expectError(await catalog.gql(CREATE_CATEGORY, { input }, rider), 'FORBIDDEN');
    const put = `mutation ($id: ID!) { putDishOnSale(id: $id) { id } }`;
    expectError(await catalog.gql(put, { id: beefNoodles.id }), 'UNAUTHENTICATED');
    expectError(await catalog.gql(put, { id: beefNoodles.id }, customer), 'FORBIDDEN');
  });

  it("refuses another merchant's staff (FORBIDDEN) and changes nothing", async () => {
    expectError(
      await catalog.gql(
        CREATE_CATEGORY,
        { input: { name: 'Intruder', type: 'DISH', merchantId: noodle.id } },
        dumplingStaff,
      ),
      'FORBIDDEN',
    );
    const attempts: [string, Record<string, unknown>][] = [
      [`mutation ($id: ID!) { takeDishOffSale(id: $id) { dish { id } } }`, { id: beefNoodles.id }],
      [
        `mutation ($id: ID!) { updateDish(id: $id, input: { priceAmount: 1 }) { id } }`,
        { id: beefNoodles.id },
      ],
      [`mutation ($id: ID!) { deleteDish(id: $id) }`, { id: beefNoodles.id }],
      [
        `mutation ($id: ID!) { setCategoryEnabled(id: $id, enabled: false) { id } }`,
        { id: noodleCategory.id },
      ],
      [`mutation ($id: ID!) { deleteCategory(id: $id) }`, { id: noodleCategory.id }],
      [`mutation ($id: ID!) { takeSetMealOffSale(id: $id) { id } }`, { id: beefCombo.id }],
      [
        `mutation ($m: ID!) { setMerchantStatus(merchantId: $m, status: CLOSED) { id } }`,
        { m: noodle.id },
      ],
      [
        `mutation ($m: ID!) { updateMerchant(merchantId: $m, input: { deliveryFeeAmount: 0 }) { id } }`,
        { m: noodle.id },
      ],
      [
        `mutation ($m: ID!) { setBusinessHours(merchantId: $m, hours: []) { id } }`,
        { m: noodle.id },
      ],
    ];
    for (const [mutation, variables] of attempts) {
      expectError(await catalog.gql(mutation, variables, dumplingStaff), 'FORBIDDEN');
    }
    const after = dataOf(
      await catalog.gql<{
        merchant: {
          status: string;
          isOpenNow: boolean;
          deliveryFee: { amount: number };
          businessHours: unknown[];
        };
        dish: { onSale: boolean; price: { amount: number } };
        setMeal: { onSale: boolean };
      }>(
        `query ($m: ID!, $d: ID!, $s: ID!) {
          merchant(id: $m) { status isOpenNow deliveryFee { amount } businessHours { dayOfWeek } }
          dish(id: $d) { onSale price { amount } }
          setMeal(id: $s) { onSale }
        }`,
        { m: noodle.id, d: beefNoodles.id, s: beefCombo.id },
      ),
    );
    expect(after.merchant).toMatchObject({
      status: 'OPEN',
      isOpenNow: true,
      deliveryFee: { amount: noodle.deliveryFeeAmount },
    });
    expect(after.merchant.businessHours).toHaveLength(7);
    expect(after.dish).toEqual({ onSale: true, price: { amount: beefNoodles.priceAmount } });
    expect(after.setMeal).toEqual({ onSale: true });
  });

  it('lets staff act on their own merchant by default and admins on any merchant they name', async () => {
    const own = dataOf(
      await catalog.gql<{ createCategory: { merchant: { id: string } } }>(
        CREATE_CATEGORY,
        { input: { name: 'Staff default', type: 'DISH' } },
        noodleStaff,
      ),
    );
    expect(own.createCategory.merchant.id).toBe(noodle.id);
    expectError(
      await catalog.gql(CREATE_CATEGORY, { input: { name: 'Admin', type: 'DISH' } }, admin),
      'BAD_USER_INPUT',
      { field: 'merchantId' },
    );
    const byAdmin = dataOf(
      await catalog.gql<{ createCategory: { merchant: { id: string } } }>(
        CREATE_CATEGORY,
        { input: { name: 'Admin', type: 'DISH', merchantId: dumpling.id } },
        admin,
      ),
    );
    expect(byAdmin.createCategory.merchant.id).toBe(dumpling.id);
    expectError(
      await catalog.gql(
        CREATE_CATEGORY,
        {
          input: {
            name: 'Ghost',
            type: 'DISH',
            merchantId: '00000000-0000-4000-a000-000000000000',
          },
        },
        admin,
      ),
      'NOT_FOUND',
    );
  });
});

describe('categories', () => {
  it('keeps names unique per merchant (CONFLICT) and validates input', async () => {
    const first = await createCategory({ name: '  Noodles & more ', type: 'DISH', sortOrder: 5 });
    expectError(
      await catalog.gql(
        CREATE_CATEGORY,
        { input: { name: 'Noodles & more', type: 'SET_MEAL' } },
        noodleStaff,
      ),
      'CONFLICT',
    );
    // Another merchant may use the same name.
    await createCategory({ name: 'Noodles & more', type: 'DISH' }, dumplingStaff);
    const second = await createCategory({ name: 'Second', type: 'DISH' });
    expectError(
      await catalog.gql(
        `mutation ($id: ID!) { updateCategory(id: $id, input: { name: "Noodles & more" }) { id } }`,
        { id: second.id },
        noodleStaff,
      ),
      'CONFLICT',
    );
    expectError(
      await catalog.gql(CREATE_CATEGORY, { input: { name: ' ', type: 'DISH' } }, noodleStaff),
      'BAD_USER_INPUT',
      { field: 'name' },
    );
    expectError(
      await catalog.gql(
        `mutation ($id: ID!) { updateCategory(id: $id, input: { sortOrder: -1 }) { id } }`,
        { id: first.id },
        noodleStaff,
      ),
      'BAD_USER_INPUT',
      { field: 'sortOrder' },
    );
    const renamed = dataOf(
      await catalog.gql<{ updateCategory: { name: string; sortOrder: number } }>(
        `mutation ($id: ID!) { updateCategory(id: $id, input: { name: "Renamed", sortOrder: 7 }) { name sortOrder } }`,
        { id: second.id },
        noodleStaff,
      ),
    );
    expect(renamed.updateCategory).toEqual({ name: 'Renamed', sortOrder: 7 });
  });

  it('hides a disabled category from customers but not from its staff; enabling is idempotent', async () => {
    const category = await createCategory({ name: 'Seasonal', type: 'DISH' });
    const setEnabled = `mutation ($id: ID!, $on: Boolean!) { setCategoryEnabled(id: $id, enabled: $on) { enabled } }`;
    for (let i = 0; i < 2; i++) {
      const result = dataOf(
        await catalog.gql<{ setCategoryEnabled: { enabled: boolean } }>(
          setEnabled,
          { id: category.id, on: false },
          noodleStaff,
        ),
      );
      expect(result.setCategoryEnabled.enabled).toBe(false);
    }
    const names = async (token?: string) =>
      dataOf(
        await catalog.gql<{ merchant: { categories: { name: string }[] } }>(
          `query ($m: ID!) { merchant(id: $m) { categories { name } } }`,
          { m: noodle.id },
          token,
        ),
      ).merchant.categories.map((c) => c.name);
    expect(await names()).not.toContain('Seasonal');
    expect(await names(noodleStaff)).toContain('Seasonal');
    dataOf(await catalog.gql(setEnabled, { id: category.id, on: true }, noodleStaff));
    expect(await names()).toContain('Seasonal');
  });

  it('refuses to delete a category still in use (CONFLICT) and deletes an empty one once', async () => {
    const deleteCategory = `mutation ($id: ID!) { deleteCategory(id: $id) }`;
    expectError(
      await catalog.gql(deleteCategory, { id: noodleCategory.id }, noodleStaff),
      'CONFLICT',
    );
    expectError(
      await catalog.gql(deleteCategory, { id: noodleSetMealCategory.id }, noodleStaff),
      'CONFLICT',
    );
    const empty = await createCategory({ name: 'Empty', type: 'SET_MEAL' });
    expect(dataOf(await catalog.gql(deleteCategory, { id: empty.id }, noodleStaff))).toEqual({
      deleteCategory: empty.id,
    });
    expectError(await catalog.gql(deleteCategory, { id: empty.id }, noodleStaff), 'NOT_FOUND');
  });
});

describe('dishes', () => {
  it('validates price, category, image, flavors and daily stock', async () => {
    const bad = async (input: Record<string, unknown>, field: string) =>
      expectError(
        await catalog.gql(
          CREATE_DISH,
          { input: { categoryId: noodleCategory.id, name: 'Bad', priceAmount: 100, ...input } },
          noodleStaff,
        ),
        'BAD_USER_INPUT',
        { field },
      );
    await bad({ priceAmount: 0 }, 'priceAmount');
    await bad({ priceAmount: -5 }, 'priceAmount');
    await bad({ categoryId: noodleSetMealCategory.id }, 'categoryId');
    await bad({ categoryId: dumpling.categories[0]!.id }, 'categoryId');
    await bad({ imageUrl: 'javascript:alert(1)' }, 'imageUrl');
    await bad({ dailyStock: -1 }, 'dailyStock');
    await bad({ flavors: [{ name: '辣度', options: [] }] }, 'flavors');
    await bad({ flavors: [{ name: '辣度', options: ['微辣,重辣'] }] }, 'flavors');
    await bad(
      {
        flavors: [
          { name: '辣度', options: ['微辣'] },
          { name: '辣度', options: ['重辣'] },
        ],
      },
      'flavors',
    );
  });

  it('creates a dish off sale by default, with its price, flavors and daily stock', async () => {
    const response = await catalog.gql<{ createDish: Record<string, unknown> }>(
      CREATE_DISH,
      {
        input: {
          categoryId: noodleCategory.id,
          name: '牛肉炒饭 Beef fried rice',
          priceAmount: 2600,
          imageUrl: 'https://images.example/rice.jpg',
          flavors: [{ name: '辣度', options: ['不辣', '微辣'] }],
          dailyStock: 5,
        },
      },
      noodleStaff,
    );
    const dish = dataOf(response).createDish;
    expect(dish).toMatchObject({
      name: '牛肉炒饭 Beef fried rice',
      onSale: false,
      dailyStock: 5,
      stockLeftToday: 5,
      price: { amount: 2600, currency: 'CNY' },
      flavors: [{ name: '辣度', options: ['不辣', '微辣'] }],
      category: { id: noodleCategory.id },
    });
    // Off sale: customers do not see it (missing or hidden: NOT_FOUND), until it goes on sale.
    const hidden = await catalog.gql(DISH_STATE, { id: dish.id }, customer);
    expect(hidden.data).toEqual({ dish: null });
    expect(hidden.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    const put = `mutation ($id: ID!) { putDishOnSale(id: $id) { onSale } }`;
    for (let i = 0; i < 2; i++) {
      expect(dataOf(await catalog.gql(put, { id: dish.id }, noodleStaff))).toEqual({
        putDishOnSale: { onSale: true },
      });
    }
    expect(dataOf(await catalog.gql(DISH_STATE, { id: dish.id }, customer)).dish).not.toBeNull();
    // A retried create answers CONFLICT: the name is taken, nothing is listed twice.
    expectError(
      await catalog.gql(
        CREATE_DISH,
        {
          input: {
            categoryId: noodleCategory.id,
            name: '牛肉炒饭 Beef fried rice',
            priceAmount: 2600,
          },
        },
        noodleStaff,
      ),
      'CONFLICT',
    );
  });

  it('updates only the given fields; null clears nullable ones', async () => {
    const dish = await createDish({
      name: 'Update me',
      description: 'Old',
      dailyStock: 3,
      flavors: [{ name: 'A', options: ['x'] }],
    });
    const updated = dataOf(
      await catalog.gql<{ updateDish: Record<string, unknown> }>(
        `mutation ($id: ID!, $input: UpdateDishInput!) {
          updateDish(id: $id, input: $input) {
            name description dailyStock price { amount } flavors { name options }
          }
        }`,
        {
          id: dish.id,
          input: {
            priceAmount: 1234,
            dailyStock: null,
            flavors: [{ name: 'B', options: ['y', 'z'] }],
          },
        },
        noodleStaff,
      ),
    ).updateDish;
    expect(updated).toEqual({
      name: 'Update me',
      description: 'Old',
      dailyStock: null,
      price: { amount: 1234 },
      flavors: [{ name: 'B', options: ['y', 'z'] }],
    });
    expectError(
      await catalog.gql(
        `mutation ($id: ID!) { updateDish(id: $id, input: { name: null }) { id } }`,
        { id: dish.id },
        noodleStaff,
      ),
      'BAD_USER_INPUT',
      { field: 'name' },
    );
    expectError(
      await catalog.gql(
        `mutation ($id: ID!, $name: String!) { updateDish(id: $id, input: { name: $name }) { id } }`,
        { id: dish.id, name: scallionNoodles.name },
        noodleStaff,
      ),
      'CONFLICT',
    );
  });

  it('deletes a dish only when it is off sale and in no set meal', async () => {
    const deleteDish = `mutation ($id: ID!) { deleteDish(id: $id) }`;
    expectError(
      await catalog.gql(deleteDish, { id: scallionNoodles.id }, noodleStaff),
      'INVALID_STATE_TRANSITION',
    );
    // In a set meal (the beef combo): CONFLICT even once off sale.
    dataOf(
      await catalog.gql(
        `mutation ($id: ID!) { takeDishOffSale(id: $id) { dish { id } } }`,
        { id: dishNamed('卤蛋').id },
        noodleStaff,
      ),
    );
    expectError(
      await catalog.gql(deleteDish, { id: dishNamed('卤蛋').id }, noodleStaff),
      'CONFLICT',
    );
    dataOf(
      await catalog.gql(
        `mutation ($id: ID!) { putDishOnSale(id: $id) { id } }`,
        { id: dishNamed('卤蛋').id },
        noodleStaff,
      ),
    );
    const dish = await createDish({ name: 'Short-lived' });
    expect(dataOf(await catalog.gql(deleteDish, { id: dish.id }, noodleStaff))).toEqual({
      deleteDish: dish.id,
    });
    expectError(await catalog.gql(deleteDish, { id: dish.id }, noodleStaff), 'NOT_FOUND');
  });
});

describe('set meals', () => {
  it('validates category, dishes and copies', async () => {
    const bad = async (input: Record<string, unknown>, code: string, field?: string) =>
      expectError(
        await catalog.gql(
          CREATE_SET_MEAL,
          {
            input: {
              categoryId: noodleSetMealCategory.id,
              name: 'Bad combo',
              priceAmount: 1000,
              items: [{ dishId: scallionNoodles.id, copies: 1 }],
              ...input,
            },
          },
          noodleStaff,
        ),
        code,
        field ? { field } : {},
      );
    await bad({ categoryId: noodleCategory.id }, 'BAD_USER_INPUT', 'categoryId');
    await bad({ items: [] }, 'BAD_USER_INPUT', 'items');
    await bad({ items: [{ dishId: dumpling.dishes[0]!.id }] }, 'BAD_USER_INPUT', 'items');
    await bad(
      { items: [{ dishId: scallionNoodles.id }, { dishId: scallionNoodles.id }] },
      'BAD_USER_INPUT',
      'items',
    );
    await bad({ items: [{ dishId: scallionNoodles.id, copies: 0 }] }, 'BAD_USER_INPUT', 'items');
  });

  it('takes set meals off sale with their dish, in one step, and refuses to sell them without it', async () => {
    const main = await createDish({ name: 'Combo main', onSale: true });
    const side = await createDish({ name: 'Combo side', onSale: true });
    const created = dataOf(
      await catalog.gql<{ createSetMeal: { id: string; onSale: boolean; items: unknown[] } }>(
        CREATE_SET_MEAL,
        {
          input: {
            categoryId: noodleSetMealCategory.id,
            name: 'Test combo',
            priceAmount: 3000,
            items: [{ dishId: main.id, copies: 2 }, { dishId: side.id }],
            onSale: true,
          },
        },
        noodleStaff,
      ),
    ).createSetMeal;
    expect(created).toMatchObject({
      onSale: true,
      items: [
        { copies: 2, dish: { id: main.id } },
        { copies: 1, dish: { id: side.id } },
      ],
    });

    const takeOff = `mutation ($id: ID!) {
      takeDishOffSale(id: $id) { dish { id onSale } setMealsTakenOffSale { id onSale } }
    }`;
    expect(dataOf(await catalog.gql(takeOff, { id: side.id }, noodleStaff))).toEqual({
      takeDishOffSale: {
        dish: { id: side.id, onSale: false },
        setMealsTakenOffSale: [{ id: created.id, onSale: false }],
      },
    });
    expect(await setMealOnSale(created.id)).toBe(false);
    // Idempotent: a repeat changes nothing and reports no further set meals.
    expect(dataOf(await catalog.gql(takeOff, { id: side.id }, noodleStaff))).toEqual({
      takeDishOffSale: { dish: { id: side.id, onSale: false }, setMealsTakenOffSale: [] },
    });

    const putOn = `mutation ($id: ID!) { putSetMealOnSale(id: $id) { id onSale } }`;
    expectError(await catalog.gql(putOn, { id: created.id }, noodleStaff), 'ITEM_UNAVAILABLE', {
      dishIds: [side.id],
    });
    expect(await setMealOnSale(created.id)).toBe(false);

    dataOf(
      await catalog.gql(
        `mutation ($id: ID!) { putDishOnSale(id: $id) { id } }`,
        { id: side.id },
        noodleStaff,
      ),
    );
    for (let i = 0; i < 2; i++) {
      expect(dataOf(await catalog.gql(putOn, { id: created.id }, noodleStaff))).toEqual({
        putSetMealOnSale: { id: created.id, onSale: true },
      });
    }

    // An on-sale set meal cannot take an off-sale dish in.
    const extra = await createDish({ name: 'Combo extra' });
    expectError(
      await catalog.gql(
        `mutation ($id: ID!, $input: UpdateSetMealInput!) { updateSetMeal(id: $id, input: $input) { id } }`,
        { id: created.id, input: { items: [{ dishId: main.id }, { dishId: extra.id }] } },
        noodleStaff,
      ),
      'ITEM_UNAVAILABLE',
      { dishIds: [extra.id] },
    );
    // Nor be created on sale with one.
    expectError(
      await catalog.gql(
        CREATE_SET_MEAL,
        {
          input: {
            categoryId: noodleSetMealCategory.id,
            name: 'Born unavailable',
            priceAmount: 100,
            items: [{ dishId: extra.id }],
            onSale: true,
          },
        },
        noodleStaff,
      ),
      'ITEM_UNAVAILABLE',
    );

    // Deleting: only once off sale; its lines go with it, the dishes stay.
    const deleteSetMeal = `mutation ($id: ID!) { deleteSetMeal(id: $id) }`;
    expectError(
      await catalog.gql(deleteSetMeal, { id: created.id }, noodleStaff),
      'INVALID_STATE_TRANSITION',
    );
    dataOf(
      await catalog.gql(
        `mutation ($id: ID!) { takeSetMealOffSale(id: $id) { id } }`,
        { id: created.id },
        noodleStaff,
      ),
    );
    expect(dataOf(await catalog.gql(deleteSetMeal, { id: created.id }, noodleStaff))).toEqual({
      deleteSetMeal: created.id,
    });
    expect(await dishOnSale(main.id)).toBe(true);
  });

  it('never leaves a set meal on sale with an off-sale dish, under concurrent changes', async () => {
    const dish = await createDish({ name: 'Racing dish', onSale: true });
    const setMeal = dataOf(
      await catalog.gql<{ createSetMeal: { id: string } }>(
        CREATE_SET_MEAL,
        {
          input: {
            categoryId: noodleSetMealCategory.id,
            name: 'Racing combo',
            priceAmount: 500,
            items: [{ dishId: dish.id }],
          },
        },
        noodleStaff,
      ),
    ).createSetMeal;
    for (let round = 0; round < 10; round++) {
      await catalog.gql(
        `mutation ($id: ID!) { putDishOnSale(id: $id) { id } }`,
        { id: dish.id },
        noodleStaff,
      );
      await Promise.all([
        catalog.gql(
          `mutation ($id: ID!) { putSetMealOnSale(id: $id) { id } }`,
          { id: setMeal.id },
          noodleStaff,
        ),
        catalog.gql(
          `mutation ($id: ID!) { takeDishOffSale(id: $id) { dish { id } } }`,
          { id: dish.id },
          noodleStaff,
        ),
      ]);
      expect(await dishOnSale(dish.id)).toBe(false);
      expect(await setMealOnSale(setMeal.id)).toBe(false);
    }
  });
});

describe('shop settings', () => {
  const MERCHANT = `query ($m: ID!) {
    merchant(id: $m) {
      status isOpenNow pausedUntil timezone deliveryRadiusMeters
      minimumOrder { amount } deliveryFee { amount } packingFeePerItem { amount }
      location { latitude longitude }
      businessHours { dayOfWeek opensAt closesAt }
    }
  }`;
  const merchantState = async (id: string) =>
    dataOf(await catalog.gql<{ merchant: Record<string, unknown> }>(MERCHANT, { m: id })).merchant;

  it('switches the shop CLOSED and OPEN again, idempotently', async () => {
    const setStatus = `mutation ($s: MerchantStatus!) { setMerchantStatus(status: $s) { status isOpenNow } }`;
    for (let i = 0; i < 2; i++) {
      expect(dataOf(await catalog.gql(setStatus, { s: 'CLOSED' }, dumplingStaff))).toEqual({
        setMerchantStatus: { status: 'CLOSED', isOpenNow: false },
      });
    }
    expect(dataOf(await catalog.gql(setStatus, { s: 'OPEN' }, dumplingStaff))).toEqual({
      setMerchantStatus: { status: 'OPEN', isOpenNow: true },
    });
  });

  it('pauses until a time within a week, and resumes', async () => {
    const pause = `mutation ($until: DateTime!) { pauseMerchant(until: $until) { isOpenNow pausedUntil } }`;
    const until = new Date(Date.now() + 3600_000).toISOString();
    expect(dataOf(await catalog.gql(pause, { until }, dumplingStaff))).toEqual({
      pauseMerchant: { isOpenNow: false, pausedUntil: until },
    });
    for (const bad of [new Date(Date.now() - 1000), new Date(Date.now() + 8 * 86400_000)]) {
      expectError(
        await catalog.gql(pause, { until: bad.toISOString() }, dumplingStaff),
        'BAD_USER_INPUT',
        { field: 'until' },
      );
    }
    const resume = `mutation { resumeMerchant { isOpenNow pausedUntil } }`;
    for (let i = 0; i < 2; i++) {
      expect(dataOf(await catalog.gql(resume, {}, dumplingStaff))).toEqual({
        resumeMerchant: { isOpenNow: true, pausedUntil: null },
      });
    }
  });

  it('replaces business hours, refusing overlaps and bad times', async () => {
    const setHours = `mutation ($m: ID, $hours: [BusinessHoursInput!]!) {
      setBusinessHours(merchantId: $m, hours: $hours) { businessHours { dayOfWeek opensAt closesAt } }
    }`;
    const refused = async (hours: unknown[]) =>
      expectError(await catalog.gql(setHours, { m: dumpling.id, hours }, admin), 'BAD_USER_INPUT', {
        field: 'hours',
      });
    await refused([{ dayOfWeek: 8, opensAt: '09:00', closesAt: '10:00' }]);
    await refused([{ dayOfWeek: 1, opensAt: '9:00', closesAt: '10:00' }]);
    await refused([{ dayOfWeek: 1, opensAt: '10:00', closesAt: '10:00' }]);
    await refused([
      { dayOfWeek: 1, opensAt: '09:00', closesAt: '14:00' },
      { dayOfWeek: 1, opensAt: '13:00', closesAt: '18:00' },
    ]);
    await refused([
      { dayOfWeek: 7, opensAt: '22:00', closesAt: '03:00' },
      { dayOfWeek: 1, opensAt: '02:00', closesAt: '10:00' },
    ]);
    const lunchAndLateNight = [
      { dayOfWeek: 5, opensAt: '22:00', closesAt: '02:00' },
      { dayOfWeek: 5, opensAt: '11:00', closesAt: '14:00' },
      { dayOfWeek: 6, opensAt: '02:00', closesAt: '24:00' },
    ];
    expect(
      dataOf(await catalog.gql(setHours, { m: dumpling.id, hours: lunchAndLateNight }, admin)),
    ).toEqual({
      setBusinessHours: {
        businessHours: [
          { dayOfWeek: 5, opensAt: '11:00', closesAt: '14:00' },
          { dayOfWeek: 5, opensAt: '22:00', closesAt: '02:00' },
          { dayOfWeek: 6, opensAt: '02:00', closesAt: '24:00' },
        ],
      },
    });
    // Back to the demo's 24 hours a day, so the shop stays open for the other tests.
    const allDay = [1, 2, 3, 4, 5, 6, 7].map((dayOfWeek) => ({
      dayOfWeek,
      opensAt: '00:00',
      closesAt: '24:00',
    }));
    dataOf(await catalog.gql(setHours, { m: dumpling.id, hours: allDay }, admin));
    expect(await merchantState(dumpling.id)).toMatchObject({ isOpenNow: true });
  });

  it('changes location, radius, fees and time zone; validates each', async () => {
    const update = `mutation ($input: UpdateMerchantInput!) { updateMerchant(input: $input) { id } }`;
    for (const [input, field] of [
      [{ timezone: 'Mars/Olympus' }, 'timezone'],
      [{ deliveryRadiusMeters: 10 }, 'deliveryRadiusMeters'],
      [{ minimumOrderAmount: -1 }, 'minimumOrderAmount'],
      [{ packingFeePerItemAmount: 1.5 }, undefined],
      [{ location: { latitude: 91, longitude: 0 } }, 'location'],
      [{ phone: 'call me' }, 'phone'],
    ] as const) {
      const response = await catalog.gql(update, { input }, dumplingStaff);
      if (field) expectError(response, 'BAD_USER_INPUT', { field });
      else
        expect(response.errors?.[0]?.extensions?.code).toMatch(
          /BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/,
        );
    }
    dataOf(
      await catalog.gql(
        update,
        {
          input: {
            location: { latitude: 31.23, longitude: 121.45 },
            deliveryRadiusMeters: 4500,
            minimumOrderAmount: 3000,
            deliveryFeeAmount: 700,
            packingFeePerItemAmount: 50,
            timezone: 'Asia/Shanghai',
          },
        },
        dumplingStaff,
      ),
    );
    expect(await merchantState(dumpling.id)).toMatchObject({
      location: { latitude: 31.23, longitude: 121.45 },
      deliveryRadiusMeters: 4500,
      minimumOrder: { amount: 3000 },
      deliveryFee: { amount: 700 },
      packingFeePerItem: { amount: 50 },
      timezone: 'Asia/Shanghai',
    });
  });
});

describe('browsing', () => {
  it('finds merchants by their name or by the name of a dish they sell', async () => {
    const search = async (keyword: string) =>
      dataOf(
        await catalog.gql<{ merchants: { edges: { node: { id: string } }[] } }>(
          `query ($k: String) { merchants(keyword: $k) { edges { node { id } } } }`,
          { k: keyword },
        ),
      ).merchants.edges.map((edge) => edge.node.id);
    expect(await search('Golden')).toEqual([dumpling.id]);
    expect(await search('potstickers')).toEqual([dumpling.id]);
    expect(await search('NOODLE')).toContain(noodle.id);
    expect(await search('%')).toEqual([]);
    const dishes = dataOf(
      await catalog.gql<{ searchDishes: { edges: { node: { name: string } }[] } }>(
        `{ searchDishes(keyword: "dumplings") { edges { node { name } } } }`,
      ),
    ).searchDishes.edges.map((edge) => edge.node.name);
    expect(dishes.length).toBeGreaterThan(0);
    expect(dishes.every((name) => /dumplings/i.test(name))).toBe(true);
  });

  it('still resolves entities through the shield (graphql-shield#1387)', async () => {
    const response = await catalog.gql<{ _entities: ({ id: string; name: string } | null)[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Dish { id name } ... on Merchant { id name } } }`,
      {
        r: [
          { __typename: 'Dish', id: scallionNoodles.id },
          { __typename: 'Merchant', id: noodle.id },
        ],
      },
    );
    expect(dataOf(response)._entities).toEqual([
      { id: scallionNoodles.id, name: scallionNoodles.name },
      { id: noodle.id, name: noodle.name },
    ]);
  });
});

describe('createMerchant (admins)', () => {
  const CREATE_MERCHANT = `mutation ($input: CreateMerchantInput!) {
    createMerchant(input: $input) {
      id name status timezone
      minimumOrder { amount currency } deliveryFee { amount } packingFeePerItem { amount } businessHours { dayOfWeek }
    }
  }`;
  const input = (extra: Record<string, unknown> = {}) => ({
    name: '  New Shop  ',
    phone: '021-5555 0102',
    address: '上海市 新店路 2 号',
    location: { latitude: 31.2, longitude: 121.4 },
    deliveryRadiusMeters: 3000,
    ...extra,
  });

  it('creates a closed shop with the column defaults; null optional fields mean the default', async () => {
    const created = dataOf(
      await catalog.gql<{ createMerchant: Record<string, unknown> }>(
        CREATE_MERCHANT,
        { input: input({ timezone: null, deliveryFeeAmount: null }) },
        admin,
      ),
    ).createMerchant;
    expect(created).toMatchObject({
      name: 'New Shop',
      status: 'CLOSED',
      timezone: 'Asia/Shanghai',
      minimumOrder: { amount: 0, currency: 'CNY' },
      deliveryFee: { amount: 0 },
      businessHours: [],
    });
  });

  it('refuses staff, customers and riders (FORBIDDEN) and anonymous callers (UNAUTHENTICATED)', async () => {
    for (const token of [noodleStaff, customer, rider]) {
      expectError(await catalog.gql(CREATE_MERCHANT, { input: input() }, token), 'FORBIDDEN');
    }
    expectError(await catalog.gql(CREATE_MERCHANT, { input: input() }), 'UNAUTHENTICATED');
  });

  it('makes concurrent calls with one idempotency key create one merchant', async () => {
    const key = `create-${Date.now()}`;
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        catalog.gql<{ createMerchant: { id: string } }>(
          CREATE_MERCHANT,
          { input: input({ idempotencyKey: key }) },
          admin,
        ),
      ),
    );
    const ids = new Set(responses.map((response) => dataOf(response).createMerchant.id));
    expect(ids.size).toBe(1);
    expectError(
      await catalog.gql(
        CREATE_MERCHANT,
        { input: input({ idempotencyKey: key, deliveryRadiusMeters: 3001 }) },
        admin,
      ),
      'IDEMPOTENCY_KEY_REUSED',
    );
    expectError(
      await catalog.gql(CREATE_MERCHANT, { input: input({ idempotencyKey: '' }) }, admin),
      'BAD_USER_INPUT',
      { field: 'idempotencyKey' },
    );
  });
});
