import { createHash } from 'node:crypto';
import { isUuid } from '@sky/database';
import { badUserInput, optionalText } from '@sky/errors';

/** Validation of the public inputs; every refusal is BAD_USER_INPUT with the offending field. */

export const MAX_LINE_QUANTITY = 99;
export const MAX_REMARK_LENGTH = 200;
export const MAX_REASON_LENGTH = 200;
export const MAX_TABLEWARE = 20;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
/** A scheduled delivery must leave the kitchen and the rider this much time. */
export const MIN_SCHEDULE_LEAD_MS = 30 * 60_000;
/** ... and cannot be booked further ahead than this. */
export const MAX_SCHEDULE_AHEAD_MS = 7 * 24 * 3_600_000;

function requireUuid(value: string, field: string): string {
  if (!isUuid(value)) throw badUserInput(`"${field}" is not a valid id.`, field);
  return value.toLowerCase();
}

export function parseReason(value: string | null | undefined, required: boolean): string | null {
  const reason = optionalText(value, 'reason', MAX_REASON_LENGTH);
  if (required && reason === null) throw badUserInput('Give a reason.', 'reason');
  return reason;
}

export function parseQuantity(value: number | null | undefined): number {
  const quantity = value ?? 1;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_LINE_QUANTITY) {
    throw badUserInput(`"quantity" must be between 1 and ${MAX_LINE_QUANTITY}.`, 'quantity');
  }
  return quantity;
}

export interface CartItemRef {
  merchantId: string;
  dishId: string | null;
  setMealId: string | null;
  flavor: string | null;
}

/** One structured flavor pick: the flavor choice's name and the chosen option. */
export interface FlavorChoice {
  name: string;
  option: string;
}

/** At most this many flavor picks per line (a dish has at most 10 flavor choices). */
export const MAX_FLAVOR_CHOICES = 20;

export function parseAddToCart(input: {
  merchantId: string;
  dishId?: string | null;
  setMealId?: string | null;
  flavor?: string | null;
  flavors?: readonly FlavorChoice[] | null;
  quantity?: number | null;
}): CartItemRef & { quantity: number; flavorChoices: FlavorChoice[] | null } {
  const merchantId = requireUuid(input.merchantId, 'merchantId');
  const dishId = input.dishId ? requireUuid(input.dishId, 'dishId') : null;
  const setMealId = input.setMealId ? requireUuid(input.setMealId, 'setMealId') : null;
  if ((dishId === null) === (setMealId === null)) {
    throw badUserInput('Give exactly one of "dishId" and "setMealId".', 'dishId');
  }
  const flavor = optionalText(input.flavor, 'flavor', 200);
  const flavorChoices = input.flavors ? parseFlavorChoices(input.flavors) : null;
  if (flavorChoices && flavor !== null) {
    throw badUserInput('Give "flavors" or the deprecated "flavor", not both.', 'flavors');
  }
  return {
    merchantId,
    dishId,
    setMealId,
    flavor,
    flavorChoices,
    quantity: parseQuantity(input.quantity),
  };
}

/** Shape only: whether the names and options are the dish's is the catalog's to say. */
function parseFlavorChoices(choices: readonly FlavorChoice[]): FlavorChoice[] {
  if (choices.length > MAX_FLAVOR_CHOICES) {
    throw badUserInput(`At most ${MAX_FLAVOR_CHOICES} flavor choices.`, 'flavors');
  }
  return choices.map((choice) => {
    const name = optionalText(choice.name, 'flavors', 100);
    const option = optionalText(choice.option, 'flavors', 100);
    if (name === null || option === null) {
      throw badUserInput('Each flavor choice needs a name and an option.', 'flavors');
    }
    return { name, option };
  });
}

/**
 * Identity of a cart line, so that adding the same thing with the same flavor increments it.
 * Built from the catalog's canonical flavor (options in the dish's order).
 */
export function cartLineKey(line: {
  dishId: string | null;
  setMealId: string | null;
  flavor: string | null;
}): string {
  return line.dishId
    ? `dish:${line.dishId}|${line.flavor ?? ''}`
    : `setMeal:${line.setMealId}|${line.flavor ?? ''}`;
}

export interface PlacementRequest {
  merchantId: string;
  addressId: string;
  remark: string | null;
  tablewareCount: number | null;
  deliverAt: Date | null;
  idempotencyKey: string;
  /** SHA-256 of the canonical input (without the key): the same key must come with the same hash. */
  requestHash: string;
}

/**
 * The placement input, normalized and hashed. The time window of `deliverAt` is checked apart
 * (`checkDeliveryTime`): a repeat of an earlier placement must still find its order after the
 * chosen time has come closer than 30 minutes.
 */
export function parsePlaceOrderInput(input: {
  merchantId: string;
  addressId: string;
  remark?: string | null;
  tablewareCount?: number | null;
  deliverAt?: Date | null;
  idempotencyKey: string;
}): PlacementRequest {
  const idempotencyKey = input.idempotencyKey;
  if (idempotencyKey.length < 1 || idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw badUserInput(
      `"idempotencyKey" needs 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`,
      'idempotencyKey',
    );
  }
  const merchantId = requireUuid(input.merchantId, 'merchantId');
  const addressId = requireUuid(input.addressId, 'addressId');
  const remark = optionalText(input.remark, 'remark', MAX_REMARK_LENGTH);
  const tablewareCount = input.tablewareCount ?? null;
  if (
    tablewareCount !== null &&
    (!Number.isInteger(tablewareCount) || tablewareCount < 0 || tablewareCount > MAX_TABLEWARE)
  ) {
    throw badUserInput(
      `"tablewareCount" must be between 0 and ${MAX_TABLEWARE}.`,
      'tablewareCount',
    );
  }
  const deliverAt = input.deliverAt ?? null;
  const canonical = JSON.stringify([
    merchantId,
    addressId,
    remark,
    tablewareCount,
    deliverAt?.toISOString() ?? null,
  ]);
  return {
    merchantId,
    addressId,
    remark,
    tablewareCount,
    deliverAt,
    idempotencyKey,
    requestHash: createHash('sha256').update(canonical).digest('hex'),
  };
}

export function checkDeliveryTime(deliverAt: Date | null, now: Date): void {
  if (deliverAt === null) return;
  const ahead = deliverAt.getTime() - now.getTime();
  if (ahead < MIN_SCHEDULE_LEAD_MS || ahead > MAX_SCHEDULE_AHEAD_MS) {
    throw badUserInput(
      '"deliverAt" must be at least 30 minutes and at most 7 days from now.',
      'deliverAt',
    );
  }
}
