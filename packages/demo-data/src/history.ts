import {
  demoId,
  merchants,
  riders,
  type DemoAddress,
  type DemoMerchant,
  type DemoOrder,
  type DemoOrderItem,
  type DemoUser,
} from './index.ts';

/**
 * About two months of past orders across the demo merchants, so the workspace, the reports and
 * their charts have something to show. It is a pure function of the day it is generated for:
 * every subgraph calls `demoHistory(now)` while it seeds and derives its own rows (orders and
 * items, payments and refunds, deliveries, customers) from the same list, so ids, amounts and
 * timestamps agree across the five databases without any subgraph asking another. A seeded PRNG
 * (not Math.random) makes the list the same in every process.
 */

/** What a subgraph's demo seed writes. */
export interface DemoSeedOptions {
  /** The order history too (default true); the e2e test supergraph leaves it out. */
  history?: boolean;
}

/**
 * The interactive-transaction timeout of a demo seed: thousands of rows in one transaction, on a
 * loaded machine or a first-start PGlite, take longer than Prisma's 5 s default.
 */
export const DEMO_SEED_TRANSACTION = { timeout: 300_000, maxWait: 60_000 };

/** The history a seed with these options writes (empty when it leaves it out). */
export const historyFor = (options: DemoSeedOptions, now: Date): DemoHistory =>
  options.history === false
    ? { anchorDate: '', customers: [], addresses: [], orders: [] }
    : demoHistory(now);

/** Days of history before the day of the seed (that day itself holds only the live demo orders). */
export const HISTORY_DAYS = 60;
/** The demo merchants' time zone (fixed UTC+8, no daylight saving): days start at local midnight. */
export const DEMO_UTC_OFFSET_HOURS = 8;
/** Customers who ordered in the history; the first ones joined before it started. */
const HISTORY_CUSTOMERS = 48;
const CUSTOMERS_BEFORE_HISTORY = 12;

export interface DemoHistoryCustomer extends DemoUser {
  createdAt: Date;
}

export interface DemoHistory {
  /** The local (UTC+8) date the history was generated for, `YYYY-MM-DD`; it ends the day before. */
  anchorDate: string;
  customers: DemoHistoryCustomer[];
  addresses: DemoAddress[];
  /** Oldest first. */
  orders: DemoOrder[];
}

/** mulberry32: small, fast and the same everywhere, which is all a demo dataset needs. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Local midnight (as a UTC instant) of the local day `daysBefore` days before `now`'s local day. */
function localMidnight(now: Date, daysBefore: number): Date {
  const local = new Date(now.getTime() + DEMO_UTC_OFFSET_HOURS * HOUR);
  const midnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  return new Date(midnight - daysBefore * DAY - DEMO_UTC_OFFSET_HOURS * HOUR);
}

/** `YYYYMMDD` of a local midnight built by `localMidnight`. */
const compactDate = (midnight: Date) =>
  new Date(midnight.getTime() + DEMO_UTC_OFFSET_HOURS * HOUR)
    .toISOString()
    .slice(0, 10)
    .replaceAll('-', '');

/** Orders per day before the weekend bump and the noise, by merchant (busier shops first). */
const BASE_ORDERS_PER_DAY = [6, 4, 3];

/** Minutes after local midnight: lunch and dinner peaks, inside every demo merchant's hours. */
function placementMinute(random: () => number): number {
  const r = random();
  if (r < 0.45) return 11 * 60 + Math.floor(random() * 150); // 11:00–13:30
  if (r < 0.85) return 17 * 60 + Math.floor(random() * 210); // 17:00–20:30
  return 8 * 60 + Math.floor(random() * 750); // 08:00–20:30
}

function pickItems(shop: DemoMerchant, random: () => number): DemoOrderItem[] {
  const lines = 1 + Math.floor(random() * Math.min(3, shop.dishes.length));
  const chosen = new Set<number>();
  while (chosen.size < lines) chosen.add(Math.floor(random() * shop.dishes.length));
  return [...chosen].map((index) => {
    const dish = shop.dishes[index]!;
    const flavor =
      dish.flavors.length === 0
        ? null
        : dish.flavors.map((f) => f.options[Math.floor(random() * f.options.length)]!).join(',');
    return {
      dishId: dish.id,
      name: dish.name,
      flavor,
      quantity: random() < 0.7 ? 1 : random() < 0.8 ? 2 : 3,
      unitPriceAmount: dish.priceAmount,
    };
  });
}

function customersOf(now: Date, random: () => number) {
  const customers: DemoHistoryCustomer[] = [];
  const addresses: DemoAddress[] = [];
  for (let n = 1; n <= HISTORY_CUSTOMERS; n++) {
    const key = `customer-${String(n).padStart(2, '0')}`;
    const joinedDaysAgo =
      n <= CUSTOMERS_BEFORE_HISTORY
        ? HISTORY_DAYS + 1 + Math.floor(random() * 30)
        : // The rest joined through the history, a few a week.
          Math.max(
            1,
            HISTORY_DAYS -
              Math.floor(
                ((n - CUSTOMERS_BEFORE_HISTORY) * HISTORY_DAYS) /
                  (HISTORY_CUSTOMERS - CUSTOMERS_BEFORE_HISTORY + 1),
              ),
          );
    const id = demoId(`user:${key}`);
    customers.push({
      id,
      email: `${key}@demo.sky-takeout.example`,
      name: `顾客 ${n} Customer ${n}`,
      phone: `+86139000${String(n).padStart(5, '0')}`,
      roles: ['CUSTOMER'],
      merchantId: null,
      createdAt: new Date(
        localMidnight(now, joinedDaysAgo).getTime() +
          (9 * 60 + Math.floor(random() * 720)) * 60_000,
      ),
    });
    addresses.push({
      id: demoId(`address:${key}:home`),
      userId: id,
      contactName: `Customer ${n}`,
      phone: `+86139000${String(n).padStart(5, '0')}`,
      label: 'Home',
      detail: `上海市黄浦区示例路 ${n} 号`,
      // Around the three shops, within a kilometre or so of the middle of them.
      latitude: Math.round((31.222 + (random() - 0.5) * 0.02) * 1e6) / 1e6,
      longitude: Math.round((121.458 + (random() - 0.5) * 0.02) * 1e6) / 1e6,
      isDefault: true,
    });
  }
  return { customers, addresses };
}

const cache = new Map<string, DemoHistory>();

/**
 * The history for the local day of `now`: `HISTORY_DAYS` days ending the day before. Its orders
 * are mostly completed; about 8% were cancelled unpaid (the payment timed out) and about 7% were
 * cancelled after payment and refunded in full.
 */
export function demoHistory(now: Date = new Date()): DemoHistory {
  const anchorDate = compactDate(localMidnight(now, 0));
  const cached = cache.get(anchorDate);
  if (cached) return cached;
  const history = generateDemoHistory(now);
  cache.set(anchorDate, history);
  return history;
}

/** `demoHistory` without the memo (a subgraph seeding computes it once; tests compare runs). */
export function generateDemoHistory(now: Date): DemoHistory {
  const anchorDate = compactDate(localMidnight(now, 0));
  const random = prng(0x5ca1ab1e);
  const { customers, addresses } = customersOf(now, random);
  const orders: DemoOrder[] = [];
  for (let daysAgo = HISTORY_DAYS; daysAgo >= 1; daysAgo--) {
    const midnight = localMidnight(now, daysAgo);
    const date = compactDate(midnight);
    const weekday = new Date(midnight.getTime() + DEMO_UTC_OFFSET_HOURS * HOUR).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    // Business grows a little over the two months.
    const growth = Math.floor((HISTORY_DAYS - daysAgo) / 20);
    const ordering = customers.filter((c) => c.createdAt.getTime() < midnight.getTime());
    const day: DemoOrder[] = [];
    merchants.forEach((shop, shopIndex) => {
      const count =
        BASE_ORDERS_PER_DAY[shopIndex]! + growth + (weekend ? 2 : 0) + Math.floor(random() * 4);
      for (let n = 1; n <= count; n++) {
        const key = `history:${date}:${shopIndex}:${n}`;
        const customer = ordering[Math.floor(random() * ordering.length)]!;
        const items = pickItems(shop, random);
        const itemsTotalAmount = items.reduce((s, i) => s + i.unitPriceAmount * i.quantity, 0);
        const packingFeeAmount =
          items.reduce((s, i) => s + i.quantity, 0) * shop.packingFeePerItemAmount;
        const fate = random();
        const status = fate < 0.15 ? 'CANCELLED' : 'COMPLETED';
        const paid = fate >= 0.08;
        const riderId = riders[Math.floor(random() * riders.length)]!.id;
        const deliveredAfterMinutes = 25 + Math.floor(random() * 36);
        day.push({
          id: demoId(`order:${key}`),
          orderNumber: `SKY${date}${String(100_000 + shopIndex * 1_000 + n).padStart(6, '0')}`,
          customerId: customer.id,
          merchantId: shop.id,
          addressId: demoId(`address:${customer.email.split('@')[0]}:home`),
          status,
          paid,
          items,
          itemsTotalAmount,
          packingFeeAmount,
          deliveryFeeAmount: shop.deliveryFeeAmount,
          totalAmount: itemsTotalAmount + packingFeeAmount + shop.deliveryFeeAmount,
          placedAt: new Date(midnight.getTime() + placementMinute(random) * 60_000),
          riderId: status === 'COMPLETED' ? riderId : null,
          payment: paid
            ? { id: demoId(`payment:${key}`), providerPaymentId: `sandbox_${key}` }
            : null,
          delivery:
            status === 'COMPLETED' ? { id: demoId(`delivery:${key}`), status: 'DELIVERED' } : null,
          refund: status === 'CANCELLED' && paid ? { id: demoId(`refund:${key}`) } : null,
          deliveredAfterMinutes: status === 'COMPLETED' ? deliveredAfterMinutes : null,
        });
      }
    });
    day.sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime());
    orders.push(...day);
  }
  return { anchorDate, customers, addresses, orders };
}
