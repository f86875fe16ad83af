/**
 * Case-insensitive "name contains" filters. Prisma passes `contains` to ILIKE without escaping
 * the pattern characters, so `%` or `_` typed by a customer would match every name: escape them
 * (and the escape character itself) so the keyword is matched literally.
 */
export function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** The filter for names containing `keyword`; none when the keyword is missing or blank. */
export function nameContains(keyword: string | null | undefined) {
  const text = keyword?.trim();
  return text ? { name: { contains: escapeLikePattern(text), mode: 'insensitive' as const } } : {};
}
