import type { ObjectStorage } from '../stores/object-storage.ts';
import { pictureUrl } from './images.ts';
import {
  toMoney,
  type EndpointResponse,
  type ParsedEndpointRequest,
  type quoteItem,
  type quoteOrder,
  type reserveStock,
} from '@sky/contracts';
import { badUserInput, domainError, ErrorCode, isKnownErrorCode } from '@sky/errors';
import { GraphQLError } from 'graphql';
import { distanceMeters, isValidPoint } from '@sky/geo';
import type { Dish, Merchant, CatalogPrisma } from '../stores/index.ts';
import { businessDate } from '../domain/business-hours.ts';
import { dateKey } from '../stores/dish-store.ts';
import { createCatalogStores, type CatalogStores } from '../stores/index.ts';
import type { StockDemand } from '../stores/stock-store.ts';
import { canonicalFlavor, flavorFromChoices } from '../domain/flavor.ts';
import { orderTotals } from '../domain/totals.ts';
import { estimatedDeliveryMinutes } from '../domain/eta.ts';

/**
 * The catalog's side of ordering: the authoritative prices and fees of items and orders, and the
 * daily-stock reservation of a placed order. Served to the order subgraph over internal
 * endpoints whose contracts (@sky/contracts) parse every request before it gets here; nothing
 * here trusts an amount from the caller.
 */

interface ItemReference {
  dishId?: string | null;
  setMealId?: string | null;
  flavor?: string | null;
  /** A structured pick, instead of `flavor` (quote-item only). */
  flavorChoices?: readonly { name: string; option: string }[] | null;
}

/** One unit of a dish or set meal at its current price, with the dishes it consists of. */
interface PricedItem {
  dishId: string | null;
  setMealId: string | null;
  name: string;
  imageUrl: string | null;
  flavor: string | null;
  unitPriceAmount: number;
  /** The dishes one unit consists of (a dish: itself once; a set meal: its lines). */
  dishes: { dish: Dish; copies: number }[];
}

/** Resolves all settled results in input order, throwing the first failure by position. */
async function inOrder<T>(work: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<T>).value);
}

/** Adds up what each dish is needed for, over all lines (set meals expanded, copies included). */
function dishDemand(lines: { item: PricedItem; quantity: number }[]) {
  const demand = new Map<string, { dish: Dish; quantity: number }>();
  for (const { item, quantity } of lines) {
    for (const { dish, copies } of item.dishes) {
      const entry = demand.get(dish.id) ?? { dish, quantity: 0 };
      entry.quantity += copies * quantity;
      demand.set(dish.id, entry);
    }
  }
  return [...demand.values()];
}

export class OrderingService {
  constructor(
    private readonly prisma: CatalogPrisma,
    private readonly storage: ObjectStorage | null,
  ) {}

  /** Fresh loaders per call (they cache); internal callers see hidden items too, to name them. */
  private stores(): CatalogStores {
    return createCatalogStores(this.prisma, { kind: 'all' });
  }

  /** `quote-item`: one dish or set meal at its current price, flavor checked and normalized. */
  async quoteItem(
    input: ParsedEndpointRequest<typeof quoteItem>,
  ): Promise<EndpointResponse<typeof quoteItem>> {
    const stores = this.stores();
    const merchant = await this.merchant(stores, input.merchantId);
    const item = await this.priceItem(stores, merchant, input);
    return {
      dishId: item.dishId,
      setMealId: item.setMealId,
      merchantId: merchant.id,
      name: item.name,
      imageUrl: item.imageUrl,
      flavor: item.flavor,
      unitPrice: toMoney(item.unitPriceAmount, merchant.currency),
    };
  }

  /**
   * `quote-order`: the authoritative assessment of an order about to be placed, with the first
   * refusal placing it would get as data, in this order: SHOP_CLOSED, OUT_OF_DELIVERY_RANGE, then
   * per line in order NOT_FOUND / ITEM_UNAVAILABLE / BAD_USER_INPUT, then SOLD_OUT (today's stock
   * left, a hint: the reservation decides), then BELOW_MINIMUM_ORDER (or BAD_USER_INPUT for a
   * total too large). Amounts are given whenever every line can be priced, also when the shop is
   * closed or out of range, so a checkout preview can show them. Throws only when nothing can be
   * assessed: NOT_FOUND (merchant), BAD_USER_INPUT (deliverTo).
   */
  async quoteOrder(
    input: ParsedEndpointRequest<typeof quoteOrder>,
    now: Date,
  ): Promise<EndpointResponse<typeof quoteOrder>> {
    const stores = this.stores();
    const merchant = await this.merchant(stores, input.merchantId);
    if (!isValidPoint(input.deliverTo)) {
      throw badUserInput(
        '"deliverTo" must have a latitude in -90..90 and a longitude in -180..180.',
        'deliverTo',
      );
    }
    const money = (amount: number) => toMoney(amount, merchant.currency);
    const refusals: GraphQLError[] = [];
    const open = await stores.merchants.isOpen(merchant, now);
    if (!open) {
      refusals.push(
        domainError(ErrorCode.SHOP_CLOSED, `${merchant.name} is not taking orders now.`, {
          merchantId: merchant.id,
        }),
      );
    }
    const distance = Math.round(distanceMeters(merchant, input.deliverTo));
    if (distance > merchant.deliveryRadiusMeters) {
      refusals.push(
        domainError(
          ErrorCode.OUT_OF_DELIVERY_RANGE,
          `The address is ${distance} m away; ${merchant.name} delivers within ${merchant.deliveryRadiusMeters} m.`,
          { distanceMeters: distance, deliveryRadiusMeters: merchant.deliveryRadiusMeters },
        ),
      );
    }
    const quote = await this.priceOrder(stores, merchant, input.items, now, refusals);
    const [refusal] = refusals;
    return {
      merchant: {
        id: merchant.id,
        name: merchant.name,
        currency: merchant.currency,
        location: { latitude: merchant.latitude, longitude: merchant.longitude },
        open,
        deliveryRadiusMeters: merchant.deliveryRadiusMeters,
        minimumOrder: money(merchant.minimumOrderAmount),
        defaultPrepMinutes: merchant.defaultPrepMinutes,
      },
      distanceMeters: distance,
      estimatedDeliveryMinutes: estimatedDeliveryMinutes(distance, merchant.defaultPrepMinutes),
      quote,
      refusal: refusal
        ? {
            code: String(refusal.extensions.code),
            message: refusal.message,
            extensions: refusal.extensions,
          }
        : null,
    };
  }

  /**
   * The prices and totals of the lines, or null when a line cannot be priced; appends the
   * line refusals, SOLD_OUT and BELOW_MINIMUM_ORDER to `refusals` in that order.
   */
  private async priceOrder(
    stores: CatalogStores,
    merchant: Merchant,
    items: ParsedEndpointRequest<typeof quoteOrder>['items'],
    now: Date,
    refusals: GraphQLError[],
  ): Promise<EndpointResponse<typeof quoteOrder>['quote']> {
    const money = (amount: number) => toMoney(amount, merchant.currency);
    let priced: PricedItem[];
    try {
      priced = await inOrder(items.map((line) => this.priceItem(stores, merchant, line)));
    } catch (error) {
      if (!isRefusal(error)) throw error;
      refusals.push(error);
      return null;
    }
    const lines = priced.map((item, index) => ({ item, quantity: items[index]!.quantity }));
    for (const { dish, quantity } of dishDemand(lines)) {
      const left = await stores.dishes.stockLeft(dish, merchant.timezone, now);
      if (left !== null && left < quantity) {
        refusals.push(
          domainError(
            ErrorCode.SOLD_OUT,
            `Only ${left} of ${dish.name} left today; the order needs ${quantity}.`,
            { dishId: dish.id, left },
          ),
        );
        break;
      }
    }
    let totals: ReturnType<typeof orderTotals>;
    try {
      totals = orderTotals(
        lines.map(({ item, quantity }) => ({ quantity, unitPriceAmount: item.unitPriceAmount })),
        merchant,
      );
    } catch (error) {
      if (!isRefusal(error)) throw error;
      refusals.push(error);
      return null;
    }
    if (totals.itemsTotalAmount < merchant.minimumOrderAmount) {
      refusals.push(
        domainError(
          ErrorCode.BELOW_MINIMUM_ORDER,
          `${merchant.name} delivers orders of at least ${merchant.minimumOrderAmount} (minor units) in items.`,
          {
            minimumOrder: money(merchant.minimumOrderAmount),
            itemsTotal: money(totals.itemsTotalAmount),
          },
        ),
      );
    }
    return {
      lines: lines.map(({ item, quantity }, index) => ({
        dishId: item.dishId,
        setMealId: item.setMealId,
        name: item.name,
        imageUrl: item.imageUrl,
        flavor: item.flavor,
        quantity,
        unitPrice: money(item.unitPriceAmount),
        lineTotal: money(totals.lineTotalAmounts[index]!),
      })),
      itemsTotal: money(totals.itemsTotalAmount),
      packingFee: money(totals.packingFeeAmount),
      deliveryFee: money(totals.deliveryFeeAmount),
      total: money(totals.totalAmount),
    };
  }

  /**
   * `reserve-stock`: takes today's stock (business day in the merchant's time zone) for an order,
   * all or nothing; idempotent per orderId. See StockStore.reserve for the concurrency control.
   */
  async reserveStock(
    input: ParsedEndpointRequest<typeof reserveStock>,
    now: Date,
  ): Promise<EndpointResponse<typeof reserveStock>> {
    const stores = this.stores();
    // A repeat answers at once, even if the menu changed since the first call.
    if ((await stores.stock.reservationStatus(input.orderId)) === 'RESERVED') {
      return { reserved: true };
    }
    const merchant = await this.merchant(stores, input.merchantId);
    const demand = new Map<string, number>();
    const need = (dishId: string, quantity: number) =>
      demand.set(dishId, (demand.get(dishId) ?? 0) + quantity);
    await inOrder(
      input.items.map(async (line) => {
        if (!line.dishId === !line.setMealId) throw exactlyOneItem(line);
        if (line.dishId) return need(line.dishId, line.quantity);
        const setMeal = await stores.setMeals.load(line.setMealId!);
        if (!setMeal || setMeal.merchantId !== merchant.id) {
          throw domainError(ErrorCode.NOT_FOUND, 'Set meal not found.', {
            setMealId: line.setMealId,
          });
        }
        for (const item of await stores.setMeals.items(setMeal.id)) {
          need(item.dishId, item.copies * line.quantity);
        }
      }),
    );
    await stores.stock.reserve({
      orderId: input.orderId,
      merchantId: merchant.id,
      businessDay: dateKey(businessDate(now, merchant.timezone)),
      demand: [...demand].map(([dishId, quantity]): StockDemand => ({ dishId, quantity })),
    });
    return { reserved: true };
  }

  private async merchant(stores: CatalogStores, id: string): Promise<Merchant> {
    const merchant = await stores.merchants.load(id);
    if (!merchant)
      throw domainError(ErrorCode.NOT_FOUND, 'Merchant not found.', { merchantId: id });
    return merchant;
  }

  /**
   * One unit of a dish or set meal the customer may order now from `merchant`: NOT_FOUND when
   * it does not exist, ITEM_UNAVAILABLE when it is another merchant's, off sale, listed under a
   * disabled category, or (a set meal) contains an off-sale dish; the flavor is checked against
   * the dish's choices (BAD_USER_INPUT, field `flavor`).
   */
  private async priceItem(
    stores: CatalogStores,
    merchant: Merchant,
    reference: ItemReference,
  ): Promise<PricedItem> {
    if (!reference.dishId === !reference.setMealId) throw exactlyOneItem(reference);
    if (reference.dishId) {
      const dishId = reference.dishId;
      const dish = await stores.dishes.load(dishId);
      if (!dish) throw domainError(ErrorCode.NOT_FOUND, 'Dish not found.', { dishId });
      const category = await stores.categories.load(dish.categoryId);
      const unavailable = unavailability(dish, category?.enabled ?? false, merchant);
      if (unavailable) {
        throw domainError(ErrorCode.ITEM_UNAVAILABLE, `${dish.name} ${unavailable}.`, { dishId });
      }
      return {
        dishId,
        setMealId: null,
        name: dish.name,
        imageUrl: pictureUrl(this.storage, dish.imageKey, dish.imageUrl),
        flavor: pickedFlavor(await stores.dishes.flavors(dishId), reference, { dishId }),
        unitPriceAmount: dish.priceAmount,
        dishes: [{ dish, copies: 1 }],
      };
    }
    const setMealId = reference.setMealId!;
    const setMeal = await stores.setMeals.load(setMealId);
    if (!setMeal) throw domainError(ErrorCode.NOT_FOUND, 'Set meal not found.', { setMealId });
    const category = await stores.categories.load(setMeal.categoryId);
    const unavailable = unavailability(setMeal, category?.enabled ?? false, merchant);
    if (unavailable) {
      throw domainError(ErrorCode.ITEM_UNAVAILABLE, `${setMeal.name} ${unavailable}.`, {
        setMealId,
      });
    }
    const dishes = await Promise.all(
      (await stores.setMeals.items(setMealId)).map(async (item) => ({
        dish: (await stores.dishes.load(item.dishId))!,
        copies: item.copies,
      })),
    );
    const offSale = dishes.find(({ dish }) => !dish.onSale);
    if (offSale) {
      throw domainError(
        ErrorCode.ITEM_UNAVAILABLE,
        `${setMeal.name} contains ${offSale.dish.name}, which is off sale.`,
        { setMealId, dishId: offSale.dish.id },
      );
    }
    return {
      dishId: null,
      setMealId,
      name: setMeal.name,
      imageUrl: pictureUrl(this.storage, setMeal.imageKey, setMeal.imageUrl),
      flavor: pickedFlavor([], reference, { setMealId }),
      unitPriceAmount: setMeal.priceAmount,
      dishes,
    };
  }
}

const exactlyOneItem = (reference: ItemReference) =>
  badUserInput(
    'Give exactly one of "dishId" and "setMealId".',
    reference.dishId ? 'setMealId' : 'dishId',
  );

/** The canonical flavor of a pick given as text or, structured, as choices. */
function pickedFlavor(
  flavors: Parameters<typeof canonicalFlavor>[0],
  reference: ItemReference,
  extensions: Record<string, unknown>,
): string | null {
  if (reference.flavorChoices && reference.flavor) {
    throw badUserInput('Give "flavors" or the deprecated "flavor", not both.', 'flavors');
  }
  return reference.flavorChoices
    ? flavorFromChoices(flavors, reference.flavorChoices, extensions)
    : canonicalFlavor(flavors, reference.flavor, extensions);
}

/** A refusal the caller may see (not an unexpected failure, which stays an error). */
const isRefusal = (error: unknown): error is GraphQLError =>
  error instanceof GraphQLError &&
  isKnownErrorCode(error.extensions.code) &&
  error.extensions.code !== ErrorCode.INTERNAL_SERVER_ERROR;

/** Why a dish or set meal cannot be ordered from `merchant` now, or null when it can. */
function unavailability(
  item: { merchantId: string; onSale: boolean },
  categoryEnabled: boolean,
  merchant: Merchant,
): string | null {
  if (item.merchantId !== merchant.id) return 'is not sold by this merchant';
  if (!item.onSale) return 'is off sale';
  if (!categoryEnabled) return 'is not on the menu now';
  return null;
}
