import type { RuleTree } from '@sky/auth';
import { isObjectType, type GraphQLSchema } from 'graphql';

/**
 * Deny by default, checked: the fields of `schema` that the rule tree does not name. Every type
 * is a field map with `'*': deny` (see `closed` in @sky/auth), so such a field answers FORBIDDEN;
 * this list makes the omission visible in a test instead.
 */
export function fieldsWithoutRule(schema: GraphQLSchema, rules: RuleTree): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeRules = rules[type.name];
    for (const field of Object.keys(type.getFields())) {
      if (!typeRules || !(field in typeRules)) missing.push(`${type.name}.${field}`);
    }
  }
  return missing;
}

/** Types whose rules do not close the rest of their fields with `'*'`. */
export function typesWithoutCatchAll(rules: RuleTree): string[] {
  return Object.entries(rules)
    .filter(([, typeRules]) => !('*' in typeRules))
    .map(([name]) => name);
}
