import { badUserInput, requiredText } from '@sky/errors';

/**
 * Input rules of the management mutations, as pure functions: each returns the normalized value
 * or throws `BAD_USER_INPUT` naming the offending input field (`extensions.field`). Text lengths
 * are checked by `requiredText` / `optionalText` of @sky/errors (code points).
 */

/** The largest amount any single price or fee may have, in minor units (¥1,000,000.00). */
export const MAX_AMOUNT = 100_000_000;
export const MAX_DAILY_STOCK = 100_000;
export const MAX_FLAVORS = 10;
export const MAX_FLAVOR_OPTIONS = 20;
export const MAX_SET_MEAL_LINES = 20;
export const MAX_COPIES = 99;

/** An http(s) URL of at most 2048 characters; null (or blank) clears it. */
export function optionalHttpUrl(value: string | null, field: string): string | null {
  if (value === null || value.trim() === '') return null;
  const text = value.trim();
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    // Refused below.
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || text.length > 2048) {
    throw badUserInput(
      `"${field}" must be an http or https URL of at most 2048 characters.`,
      field,
    );
  }
  return text;
}

/** An integer in `min..max`. */
export function integerIn(value: number, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badUserInput(`"${field}" must be an integer in ${min}..${max}.`, field);
  }
  return value;
}

/** A price: a positive integer amount of minor units. */
export const priceAmount = (value: number, field = 'priceAmount') =>
  integerIn(value, field, 1, MAX_AMOUNT);

/** A fee or minimum: a non-negative integer amount of minor units. */
export const feeAmount = (value: number, field: string) => integerIn(value, field, 0, MAX_AMOUNT);

/** A non-null value for a field that may be omitted but not cleared. */
export function notNull<T>(value: T | null, field: string): T {
  if (value === null) throw badUserInput(`"${field}" cannot be null.`, field);
  return value;
}

export interface FlavorChoice {
  name: string;
  options: string[];
}

/**
 * Flavor choices of a dish: at most 10, names unique within the dish, each with 1..20 distinct
 * options. Options may not contain commas, because orders store the chosen options joined by
 * commas (`微辣,少冰`).
 */
export function flavorChoices(list: readonly FlavorChoice[], field = 'flavors'): FlavorChoice[] {
  if (list.length > MAX_FLAVORS) {
    throw badUserInput(`"${field}" may hold at most ${MAX_FLAVORS} flavor choices.`, field);
  }
  const names = new Set<string>();
  return list.map((flavor) => {
    const name = requiredText(flavor.name, field, 32);
    if (names.has(name)) throw badUserInput(`Flavor "${name}" appears twice.`, field);
    names.add(name);
    if (flavor.options.length < 1 || flavor.options.length > MAX_FLAVOR_OPTIONS) {
      throw badUserInput(`Flavor "${name}" needs 1..${MAX_FLAVOR_OPTIONS} options.`, field);
    }
    const options = flavor.options.map((option) => requiredText(option, field, 32));
    if (options.some((option) => /[,，]/.test(option))) {
      throw badUserInput(`Flavor options may not contain commas (flavor "${name}").`, field);
    }
    if (new Set(options).size !== options.length) {
      throw badUserInput(`Flavor "${name}" lists an option twice.`, field);
    }
    return { name, options };
  });
}

export interface SetMealLine {
  dishId: string;
  copies: number;
}

/** Lines of a set meal: 1..20, each dish at most once, 1..99 copies. */
export function setMealLines(list: readonly SetMealLine[], field = 'items'): SetMealLine[] {
  if (list.length < 1 || list.length > MAX_SET_MEAL_LINES) {
    throw badUserInput(`"${field}" must hold 1..${MAX_SET_MEAL_LINES} dishes.`, field);
  }
  const seen = new Set<string>();
  return list.map(({ dishId, copies }) => {
    if (seen.has(dishId))
      throw badUserInput(`Dish ${dishId} appears twice in the set meal.`, field);
    seen.add(dishId);
    return { dishId, copies: integerIn(copies, field, 1, MAX_COPIES) };
  });
}

/** An IANA time zone name the runtime knows. */
export function timeZoneName(value: string, field = 'timezone'): string {
  const name = value.trim();
  try {
    if (name.length === 0 || name.length > 64) throw new RangeError('length');
    new Intl.DateTimeFormat('en-US', { timeZone: name });
  } catch {
    throw badUserInput(`"${field}" must be an IANA time zone such as Asia/Shanghai.`, field);
  }
  return name;
}

/** A contact phone number: digits with optional spaces, `+`, `-` and parentheses. */
export function phoneNumber(value: string, field = 'phone'): string {
  const phone = value.trim();
  if (!/^[0-9+\-() ]{3,32}$/.test(phone) || !/[0-9]/.test(phone)) {
    throw badUserInput(
      `"${field}" must be a phone number (3..32 digits, spaces, +, -, ( and )).`,
      field,
    );
  }
  return phone;
}
