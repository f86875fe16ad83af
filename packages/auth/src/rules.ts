import type { allow } from 'graphql-shield';
import { deny, rule, shield, type IRule } from 'graphql-shield';
import { forbidden, unauthenticated } from '@sky/errors';
import { hasRole, type Role, type Viewer } from './roles.ts';

/** Every subgraph context carries the verified viewer (or null for anonymous callers). */
export interface ViewerContext {
  viewer: Viewer | null;
}

/**
 * Rules that depend only on who is calling are cached per request ('contextual'); rules that
 * depend on the entity (ownership) are built with `ownerRule` and cached per parent ('strict'),
 * so one entity's verdict never leaks to another.
 */
export const isAuthenticated = rule({ cache: 'contextual' })(
  (_parent, _args, ctx: ViewerContext) => (ctx.viewer ? true : unauthenticated()),
);

export const hasAnyRole = (...roles: Role[]) =>
  rule(`hasAnyRole:${roles.join(',')}`, { cache: 'contextual' })(
    (_parent, _args, ctx: ViewerContext) => {
      if (!ctx.viewer) return unauthenticated();
      return roles.some((role) => hasRole(ctx.viewer, role)) ? true : forbidden();
    },
  );

/**
 * An ownership rule over the parent object: `check(parent, viewer, context)` says whether this
 * viewer may see this particular entity (the context gives access to the request's loaders when
 * the verdict needs a related entity).
 */
export function ownerRule<Parent, Context extends ViewerContext = ViewerContext>(
  name: string,
  check: (parent: Parent, viewer: Viewer, context: Context) => boolean | Promise<boolean>,
) {
  return rule(name, { cache: 'strict' })(async (parent: Parent, _args, ctx: Context) => {
    if (!ctx.viewer) return unauthenticated();
    return (await check(parent, ctx.viewer, ctx)) ? true : forbidden();
  });
}

/** A rule as graphql-shield takes it for one field (`allow` and `deny` included). */
export type FieldRule = IRule | typeof allow;
export type FieldRules = Record<string, FieldRule>;
/** A shield rule tree whose every type is a field map (see `closed`). */
export type RuleTree = Record<string, FieldRules>;

/** The same rule for each of the space-separated field names. */
export function fields(names: string, fieldRule: FieldRule): FieldRules {
  return Object.fromEntries(
    names
      .split(/\s+/)
      .filter(Boolean)
      .map((name) => [name, fieldRule]),
  );
}

/**
 * A type's rules with `'*': deny`: a field added to the type later stays closed until it is
 * given a rule here (and the permission coverage test names it until then).
 */
export const closed = (rules: FieldRules): FieldRules => ({ '*': deny, ...rules });

/**
 * A subgraph's shield over its rule tree: anything without a rule is denied with FORBIDDEN, and
 * domain errors thrown by resolvers (with their codes) pass through unchanged.
 */
export const denyByDefault = (rules: RuleTree) =>
  shield(rules, {
    fallbackRule: deny,
    fallbackError: () => forbidden(),
    allowExternalErrors: true,
  });
