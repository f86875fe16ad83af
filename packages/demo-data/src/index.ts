import { createHash } from 'node:crypto';

/**
 * The demo dataset of the embedded mode: one description, and each subgraph seeds only its own
 * slice of it. Ids are derived from names so the slices written into five databases agree
 * without any cross-database lookup.
 */
export function demoId(name: string): string {
  const hex = createHash('sha256').update(`sky-takeout-demo:${name}`).digest('hex');
  // Shaped as a version-4 UUID so every UUID column and validator accepts it.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const DEMO_PASSWORD = 'sky-demo-2026';

export interface DemoUser {
  id: string;
  email: string;
  name: string;
  phone: string;
  roles: ('CUSTOMER' | 'MERCHANT_STAFF' | 'MERCHANT_MANAGER' | 'RIDER' | 'ADMIN')[];
  merchantId: string | null;
}

export interface DemoAddress {
  id: string;
  userId: string;
  contactName: string;
  phone: string;
  label: string;
  detail: string;
  latitude: number;
  longitude: number;
  isDefault: boolean;
}

export interface DemoDish {
  id: string;
  categoryId: string;
  name: string;
  priceAmount: number;
  description: string;
  /** Names the dish's picture, drawn by the catalog seed (`images/demo/<picture>.webp`). */
  picture: string;
  flavors: { name: string; options: string[] }[];
  dailyStock: number | null;
}

export interface DemoSetMeal {
  id: string;
  categoryId: string;
  name: string;
  priceAmount: number;
  description: string;
  /** Names the set meal's picture, drawn by the catalog seed (`images/demo/<picture>.webp`). */
  picture: string;
  items: { dishId: string; copies: number }[];
}

export interface DemoMerchant {
  id: string;
  name: string;
  description: string;
  phone: string;
  address: string;
  latitude: number;
  longitude: number;
  deliveryRadiusMeters: number;
  minimumOrderAmount: number;
  deliveryFeeAmount: number;
  packingFeePerItemAmount: number;
  /** Open every day between these local times (Asia/Shanghai). */
  hours: { opensAt: string; closesAt: string };
  categories: { id: string; name: string; type: 'DISH' | 'SET_MEAL'; sortOrder: number }[];
  dishes: DemoDish[];
  setMeals: DemoSetMeal[];
}

export interface DemoRider {
  id: string;
  userId: string;
  latitude: number;
  longitude: number;
  vehicle: string;
}

export interface DemoOrderItem {
  dishId: string;
  name: string;
  flavor: string | null;
  quantity: number;
  unitPriceAmount: number;
}

export type DemoOrderStatus =
  | 'PENDING_PAYMENT'
  | 'TO_BE_CONFIRMED'
  | 'CONFIRMED'
  | 'DELIVERY_IN_PROGRESS'
  | 'COMPLETED'
  | 'CANCELLED';

export interface DemoOrder {
  id: string;
  orderNumber: string;
  customerId: string;
  merchantId: string;
  addressId: string;
  status: DemoOrderStatus;
  paid: boolean;
  items: DemoOrderItem[];
  itemsTotalAmount: number;
  packingFeeAmount: number;
  deliveryFeeAmount: number;
  totalAmount: number;
  placedAt: Date;
  /** Set when a rider was assigned. */
  riderId: string | null;
  payment: { id: string; providerPaymentId: string } | null;
  delivery: { id: string; status: 'ASSIGNED' | 'PICKED_UP' | 'DELIVERED' } | null;
  /** A paid order that was cancelled and refunded in full (history orders only). */
  refund?: { id: string } | null;
  /**
   * Minutes from placement to delivery when they differ from the demo timeline's usual ones
   * (history orders, so delivery-time reports vary).
   */
  deliveredAfterMinutes?: number | null;
}

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

const spice = { name: '辣度 Spiciness', options: ['不辣 None', '微辣 Mild', '重辣 Hot'] };
const sweetness = { name: '甜度 Sweetness', options: ['无糖 No sugar', '半糖 Half', '全糖 Full'] };
const ice = { name: '温度 Ice', options: ['去冰 No ice', '少冰 Less ice', '正常冰 Regular'] };

function merchant(
  key: string,
  base: Omit<DemoMerchant, 'id' | 'categories' | 'dishes' | 'setMeals'>,
  menu: {
    dishes: {
      category: string;
      name: string;
      price: number;
      flavors?: DemoDish['flavors'];
      stock?: number;
    }[];
    setMeals: { name: string; price: number; items: { dish: string; copies: number }[] }[];
  },
): DemoMerchant {
  const id = demoId(`merchant:${key}`);
  const categoryNames = [...new Set(menu.dishes.map((d) => d.category))];
  const categories: DemoMerchant['categories'] = categoryNames.map((name, index) => ({
    id: demoId(`category:${key}:${name}`),
    name,
    type: 'DISH',
    sortOrder: index + 1,
  }));
  const setMealCategory = {
    id: demoId(`category:${key}:set-meals`),
    name: '套餐 Set meals',
    type: 'SET_MEAL' as const,
    sortOrder: 99,
  };
  if (menu.setMeals.length > 0) categories.push(setMealCategory);
  const dishes = menu.dishes.map((d, index) => ({
    id: demoId(`dish:${key}:${d.name}`),
    categoryId: demoId(`category:${key}:${d.category}`),
    name: d.name,
    priceAmount: d.price,
    description: `${d.name}, made to order.`,
    picture: `${key}-dish-${index + 1}`,
    flavors: d.flavors ?? [],
    dailyStock: d.stock ?? null,
  }));
  const setMeals = menu.setMeals.map((s, index) => ({
    id: demoId(`setmeal:${key}:${s.name}`),
    categoryId: setMealCategory.id,
    name: s.name,
    priceAmount: s.price,
    description: `${s.name}: a combo at a lower price.`,
    picture: `${key}-set-meal-${index + 1}`,
    items: s.items.map((i) => ({ dishId: demoId(`dish:${key}:${i.dish}`), copies: i.copies })),
  }));
  return { id, ...base, categories, dishes, setMeals };
}

export const merchants: DemoMerchant[] = [
  merchant(
    'noodle-house',
    {
      name: '天空面馆 Sky Noodle House',
      description: 'Hand-pulled noodles and small plates.',
      phone: '021-5550-0101',
      address: '上海市黄浦区南京东路 100 号',
      latitude: 31.2355,
      longitude: 121.4768,
      deliveryRadiusMeters: 5000,
      minimumOrderAmount: 2000,
      deliveryFeeAmount: 500,
      packingFeePerItemAmount: 100,
      hours: { opensAt: '00:00', closesAt: '24:00' },
    },
    {
      dishes: [
        {
          category: '招牌面 Signature noodles',
          name: '红烧牛肉面 Braised beef noodles',
          price: 3200,
          flavors: [spice],
        },
        {
          category: '招牌面 Signature noodles',
          name: '葱油拌面 Scallion oil noodles',
          price: 1800,
        },
        {
          category: '招牌面 Signature noodles',
          name: '酸辣粉 Hot and sour glass noodles',
          price: 1600,
          flavors: [spice],
          stock: 30,
        },
        { category: '小吃 Small plates', name: '拍黄瓜 Smashed cucumber', price: 900 },
        { category: '小吃 Small plates', name: '卤蛋 Marinated egg', price: 300 },
        { category: '饮品 Drinks', name: '酸梅汤 Sour plum drink', price: 800, flavors: [ice] },
      ],
      setMeals: [
        {
          name: '牛肉面套餐 Beef noodle combo',
          price: 3900,
          items: [
            { dish: '红烧牛肉面 Braised beef noodles', copies: 1 },
            { dish: '卤蛋 Marinated egg', copies: 1 },
            { dish: '酸梅汤 Sour plum drink', copies: 1 },
          ],
        },
      ],
    },
  ),
  merchant(
    'golden-dumpling',
    {
      name: '金饺子 Golden Dumpling',
      description: 'Dumplings folded by hand every morning.',
      phone: '021-5550-0202',
      address: '上海市静安区南京西路 800 号',
      latitude: 31.2286,
      longitude: 121.4551,
      deliveryRadiusMeters: 4000,
      minimumOrderAmount: 2500,
      deliveryFeeAmount: 400,
      packingFeePerItemAmount: 150,
      hours: { opensAt: '00:00', closesAt: '24:00' },
    },
    {
      dishes: [
        {
          category: '水饺 Boiled dumplings',
          name: '猪肉白菜水饺 Pork and cabbage dumplings',
          price: 2200,
        },
        {
          category: '水饺 Boiled dumplings',
          name: '三鲜水饺 Three-delicacy dumplings',
          price: 2600,
          stock: 10,
        },
        { category: '煎饺 Pan-fried', name: '锅贴 Potstickers', price: 2000, flavors: [spice] },
        { category: '汤 Soups', name: '紫菜蛋花汤 Seaweed egg soup', price: 800 },
      ],
      setMeals: [
        {
          name: '双人饺子套餐 Dumplings for two',
          price: 5200,
          items: [
            { dish: '猪肉白菜水饺 Pork and cabbage dumplings', copies: 1 },
            { dish: '锅贴 Potstickers', copies: 1 },
            { dish: '紫菜蛋花汤 Seaweed egg soup', copies: 2 },
          ],
        },
      ],
    },
  ),
  merchant(
    'green-bowl',
    {
      name: '轻食碗 Green Bowl',
      description: 'Salads, grain bowls and fresh tea.',
      phone: '021-5550-0303',
      address: '上海市徐汇区衡山路 50 号',
      latitude: 31.2049,
      longitude: 121.4426,
      deliveryRadiusMeters: 3000,
      minimumOrderAmount: 3000,
      deliveryFeeAmount: 600,
      packingFeePerItemAmount: 200,
      hours: { opensAt: '08:00', closesAt: '21:00' },
    },
    {
      dishes: [
        { category: '沙拉 Salads', name: '鸡胸肉沙拉 Chicken breast salad', price: 3800 },
        { category: '沙拉 Salads', name: '牛油果藜麦碗 Avocado quinoa bowl', price: 4200 },
        {
          category: '茶饮 Tea',
          name: '柠檬绿茶 Lemon green tea',
          price: 1500,
          flavors: [sweetness, ice],
        },
      ],
      setMeals: [],
    },
  ),
];

const [noodleHouse, goldenDumpling, greenBowl] = merchants as [
  DemoMerchant,
  DemoMerchant,
  DemoMerchant,
];

function user(
  key: string,
  name: string,
  phone: string,
  roles: DemoUser['roles'],
  merchantId: string | null = null,
): DemoUser {
  return {
    id: demoId(`user:${key}`),
    email: `${key}@demo.sky-takeout.example`,
    name,
    phone,
    roles,
    merchantId,
  };
}

export const users: DemoUser[] = [
  user('admin', '平台管理员 Admin', '+8613800000000', ['ADMIN']),
  user('alice', '张丽 Alice Zhang', '+8613800000001', ['CUSTOMER']),
  user('bob', '王博 Bob Wang', '+8613800000002', ['CUSTOMER']),
  user('rider-li', '李骑手 Rider Li', '+8613800000011', ['RIDER']),
  user('rider-chen', '陈骑手 Rider Chen', '+8613800000012', ['RIDER']),
  user(
    'staff-noodle-house',
    '面馆店长 Noodle House staff',
    '+8613800000021',
    ['MERCHANT_STAFF'],
    noodleHouse.id,
  ),
  user(
    'staff-golden-dumpling',
    '饺子店长 Golden Dumpling staff',
    '+8613800000022',
    ['MERCHANT_STAFF'],
    goldenDumpling.id,
  ),
  user(
    'staff-green-bowl',
    '轻食店长 Green Bowl staff',
    '+8613800000023',
    ['MERCHANT_STAFF'],
    greenBowl.id,
  ),
  // One manager per shop: staff who also manage the shop's staff accounts (issue 12).
  user(
    'manager-noodle-house',
    '面馆经理 Noodle House manager',
    '+8613800000031',
    ['MERCHANT_STAFF', 'MERCHANT_MANAGER'],
    noodleHouse.id,
  ),
  user(
    'manager-golden-dumpling',
    '饺子店经理 Golden Dumpling manager',
    '+8613800000032',
    ['MERCHANT_STAFF', 'MERCHANT_MANAGER'],
    goldenDumpling.id,
  ),
  user(
    'manager-green-bowl',
    '轻食店经理 Green Bowl manager',
    '+8613800000033',
    ['MERCHANT_STAFF', 'MERCHANT_MANAGER'],
    greenBowl.id,
  ),
];

const byKey = (key: string) => users.find((u) => u.id === demoId(`user:${key}`))!;
const alice = byKey('alice');
const bob = byKey('bob');

export const addresses: DemoAddress[] = [
  {
    id: demoId('address:alice:home'),
    userId: alice.id,
    contactName: 'Alice Zhang',
    phone: alice.phone,
    label: 'Home',
    detail: '上海市黄浦区西藏中路 200 弄 3 号 1201 室',
    latitude: 31.2304,
    longitude: 121.4737,
    isDefault: true,
  },
  {
    id: demoId('address:alice:office'),
    userId: alice.id,
    contactName: 'Alice Zhang',
    phone: alice.phone,
    label: 'Office',
    detail: '上海市静安区南京西路 1266 号 20 楼',
    latitude: 31.2272,
    longitude: 121.4505,
    isDefault: false,
  },
  {
    id: demoId('address:bob:home'),
    userId: bob.id,
    contactName: 'Bob Wang',
    phone: bob.phone,
    label: 'Home',
    detail: '上海市徐汇区肇嘉浜路 500 号 8 楼',
    latitude: 31.2032,
    longitude: 121.4512,
    isDefault: true,
  },
];

export const riders: DemoRider[] = [
  {
    id: demoId('rider:li'),
    userId: byKey('rider-li').id,
    latitude: 31.233,
    longitude: 121.47,
    vehicle: 'e-bike',
  },
  {
    id: demoId('rider:chen'),
    userId: byKey('rider-chen').id,
    latitude: 31.215,
    longitude: 121.448,
    vehicle: 'scooter',
  },
];

function order(
  key: string,
  spec: Omit<
    DemoOrder,
    | 'id'
    | 'orderNumber'
    | 'itemsTotalAmount'
    | 'packingFeeAmount'
    | 'deliveryFeeAmount'
    | 'totalAmount'
    | 'payment'
    | 'delivery'
  > & {
    number: string;
    delivery: DemoOrder['delivery'] extends infer D
      ? D extends { status: infer S }
        ? S | null
        : never
      : never;
  },
): DemoOrder {
  const shop = merchants.find((m) => m.id === spec.merchantId)!;
  const itemsTotalAmount = spec.items.reduce((sum, i) => sum + i.unitPriceAmount * i.quantity, 0);
  const packingFeeAmount =
    spec.items.reduce((sum, i) => sum + i.quantity, 0) * shop.packingFeePerItemAmount;
  const deliveryFeeAmount = shop.deliveryFeeAmount;
  const { number, delivery, ...rest } = spec;
  return {
    ...rest,
    id: demoId(`order:${key}`),
    orderNumber: number,
    itemsTotalAmount,
    packingFeeAmount,
    deliveryFeeAmount,
    totalAmount: itemsTotalAmount + packingFeeAmount + deliveryFeeAmount,
    payment: spec.paid
      ? { id: demoId(`payment:${key}`), providerPaymentId: `sandbox_${key}` }
      : null,
    delivery: delivery ? { id: demoId(`delivery:${key}`), status: delivery } : null,
    refund: null,
    deliveredAfterMinutes: null,
  };
}

const dish = (shop: DemoMerchant, prefix: string) =>
  shop.dishes.find((d) => d.name.startsWith(prefix))!;
const line = (
  shop: DemoMerchant,
  prefix: string,
  quantity: number,
  flavor: string | null = null,
): DemoOrderItem => {
  const d = dish(shop, prefix);
  return { dishId: d.id, name: d.name, flavor, quantity, unitPriceAmount: d.priceAmount };
};

export const orders: DemoOrder[] = [
  order('alice-completed', {
    number: 'SKY20261101000001',
    customerId: alice.id,
    merchantId: noodleHouse.id,
    addressId: demoId('address:alice:home'),
    status: 'COMPLETED',
    paid: true,
    items: [line(noodleHouse, '红烧牛肉面', 2, '微辣 Mild'), line(noodleHouse, '拍黄瓜', 1)],
    placedAt: hoursAgo(48),
    riderId: demoId('rider:li'),
    delivery: 'DELIVERED',
  }),
  order('alice-confirmed', {
    number: 'SKY20261125000002',
    customerId: alice.id,
    merchantId: goldenDumpling.id,
    addressId: demoId('address:alice:office'),
    status: 'CONFIRMED',
    paid: true,
    items: [line(goldenDumpling, '猪肉白菜水饺', 1), line(goldenDumpling, '锅贴', 1, '不辣 None')],
    placedAt: hoursAgo(0.5),
    riderId: demoId('rider:chen'),
    delivery: 'ASSIGNED',
  }),
  order('bob-pending', {
    number: 'SKY20261125000003',
    customerId: bob.id,
    merchantId: greenBowl.id,
    addressId: demoId('address:bob:home'),
    status: 'PENDING_PAYMENT',
    paid: false,
    items: [
      line(greenBowl, '鸡胸肉沙拉', 1),
      line(greenBowl, '柠檬绿茶', 1, '半糖 Half,少冰 Less ice'),
    ],
    placedAt: hoursAgo(0.1),
    riderId: null,
    delivery: null,
  }),
];

export const findDemoUser = (key: string): DemoUser => byKey(key);

export * from './history.ts';
