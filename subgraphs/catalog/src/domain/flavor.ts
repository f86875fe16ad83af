import { domainError, ErrorCode } from '@sky/errors';

export interface FlavorChoice {
  name: string;
  options: readonly string[];
}

const SEPARATOR = /[,，]/;

/**
 * The canonical text of a customer's flavor pick for a dish: one option of each of the dish's
 * flavor choices, joined by commas in the dish's flavor order (`微辣,少冰`), the form carts and
 * orders store. The pick may list the options in any order, separated by commas (ASCII or
 * full-width) with optional spaces. A dish without flavor choices takes no pick (null).
 * Anything else is `BAD_USER_INPUT` on the field `flavor` (with `extensions` added, e.g. the
 * dish id).
 */
export function canonicalFlavor(
  flavors: readonly FlavorChoice[],
  pick: string | null | undefined,
  extensions: Record<string, unknown> = {},
): string | null {
  const badFlavor = (message: string) =>
    domainError(ErrorCode.BAD_USER_INPUT, message, { ...extensions, field: 'flavor' });
  const parts = (pick ?? '')
    .split(SEPARATOR)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  if (flavors.length === 0) {
    if (parts.length > 0) throw badFlavor('This item has no flavor choices.');
    return null;
  }
  const names = flavors.map((flavor) => flavor.name).join(', ');
  const refuse = () => badFlavor(`Choose exactly one option of each flavor choice (${names}).`);
  if (parts.length !== flavors.length) throw refuse();
  // In the dish's order already (the usual case): take it as it is.
  if (flavors.every((flavor, index) => flavor.options.includes(parts[index]!))) {
    return parts.join(',');
  }
  // Otherwise match each flavor choice with one part that is one of its options.
  const remaining = [...parts];
  const chosen = flavors.map((flavor) => {
    const index = remaining.findIndex((part) => flavor.options.includes(part));
    if (index < 0) throw refuse();
    return remaining.splice(index, 1)[0]!;
  });
  return chosen.join(',');
}

/**
 * The canonical text of a structured flavor pick (`AddToCartInput.flavors`): each choice names
 * one of the dish's flavor choices and one of its options, every flavor choice exactly once.
 * Anything else is `BAD_USER_INPUT` on the field `flavors`.
 */
export function flavorFromChoices(
  flavors: readonly FlavorChoice[],
  choices: readonly { name: string; option: string }[],
  extensions: Record<string, unknown> = {},
): string | null {
  const badFlavors = (message: string) =>
    domainError(ErrorCode.BAD_USER_INPUT, message, { ...extensions, field: 'flavors' });
  const picked = new Map<string, string>();
  for (const { name, option } of choices) {
    const flavor = flavors.find((candidate) => candidate.name === name.trim());
    if (!flavor) throw badFlavors(`This item has no flavor choice "${name}".`);
    if (picked.has(flavor.name)) throw badFlavors(`"${flavor.name}" is chosen twice.`);
    if (!flavor.options.includes(option.trim())) {
      throw badFlavors(
        `"${option}" is not an option of "${flavor.name}" (${flavor.options.join(', ')}).`,
      );
    }
    picked.set(flavor.name, option.trim());
  }
  const missing = flavors.filter((flavor) => !picked.has(flavor.name));
  if (missing.length > 0) {
    throw badFlavors(`Choose an option of ${missing.map((flavor) => flavor.name).join(', ')}.`);
  }
  return flavors.length === 0 ? null : flavors.map((flavor) => picked.get(flavor.name)!).join(',');
}
