import { badUserInput } from './index.ts';

/**
 * Length limits on free text, counted the way people count characters: in code points, so one
 * limit allows as many 汉字 as Latin letters (a UTF-16 count would take two units for some). Every
 * text limit of the API goes through here; a refusal is BAD_USER_INPUT naming the field.
 */

/** The number of characters (code points) of `text`. */
export const textLength = (text: string): number => [...text].length;

interface TextRule {
  /** Fewest characters after trimming (default 1). */
  min?: number;
  /** The refusal's message, when the field deserves a friendlier one than the default. */
  message?: string;
}

/** Trimmed text of `min..max` characters. */
export function requiredText(
  value: string,
  field: string,
  max: number,
  { min = 1, message }: TextRule = {},
): string {
  const text = value.trim();
  const length = textLength(text);
  if (length < min || length > max) {
    throw badUserInput(message ?? `"${field}" must have ${min}..${max} characters.`, field);
  }
  return text;
}

/** Optional free text: null, undefined or blank means none; otherwise at most `max` characters. */
export function optionalText(
  value: string | null | undefined,
  field: string,
  max: number,
  { message }: Pick<TextRule, 'message'> = {},
): string | null {
  const text = value?.trim() ?? '';
  if (text === '') return null;
  if (textLength(text) > max) {
    throw badUserInput(message ?? `"${field}" has more than ${max} characters.`, field);
  }
  return text;
}
