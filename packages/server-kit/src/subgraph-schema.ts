import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { isObjectType, parse, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import type { IMiddlewareGenerator } from 'graphql-middleware';

type ResolveReferenceExtensions = {
  apollo?: { subgraph?: { resolveReference?: unknown } };
};

/**
 * graphql-middleware rebuilds the schema and can drop the `__resolveReference` functions that
 * @apollo/subgraph keeps in type extensions (graphql-shield#1387), which silently turns every
 * `_entities` answer into bare references. Copy them back onto the rebuilt types.
 */
function restoreReferenceResolvers(original: GraphQLSchema, rebuilt: GraphQLSchema): void {
  for (const [name, type] of Object.entries(original.getTypeMap())) {
    if (!isObjectType(type)) continue;
    const resolveReference = (type.extensions as ResolveReferenceExtensions).apollo?.subgraph
      ?.resolveReference;
    if (!resolveReference) continue;
    const target = rebuilt.getType(name);
    if (!isObjectType(target)) continue;
    const extensions = target.extensions as ResolveReferenceExtensions;
    if (extensions.apollo?.subgraph?.resolveReference) continue;
    (target as { extensions: ResolveReferenceExtensions }).extensions = {
      ...extensions,
      apollo: {
        ...extensions.apollo,
        subgraph: { ...extensions.apollo?.subgraph, resolveReference },
      },
    };
  }
}

/**
 * graphql-middleware wraps a field's `resolve` and only falls back to `subscribe` when there is
 * no `resolve` (graphql-middleware's applicator), so a subscription field that defines both would
 * open its stream without its rule ever running. Apply the same middleware once more with those
 * `resolve`s detached, and take the guarded `subscribe` from that schema: the rule then runs when
 * subscribing as well as for every event.
 */
function guardSubscribe(
  original: GraphQLSchema,
  rebuilt: GraphQLSchema,
  permissions: IMiddlewareGenerator<unknown, unknown, unknown>,
): void {
  const subscriptionFields = Object.values(original.getSubscriptionType()?.getFields() ?? {});
  const both = subscriptionFields.filter((field) => field.subscribe && field.resolve);
  if (both.length === 0) return;
  const detached = both.map((field) => [field, field.resolve] as const);
  let guarded: GraphQLSchema;
  try {
    for (const field of both) field.resolve = undefined;
    guarded = applyMiddleware(original, permissions);
  } finally {
    for (const [field, resolve] of detached) field.resolve = resolve;
  }
  const guardedFields = guarded.getSubscriptionType()!.getFields();
  const targetFields = rebuilt.getSubscriptionType()!.getFields();
  for (const field of both)
    targetFields[field.name]!.subscribe = guardedFields[field.name]!.subscribe;
}

/** Builds a federated subgraph schema from its SDL file and resolvers, with the shield applied. */
export function buildProtectedSubgraphSchema(options: {
  typeDefs: string;
  resolvers: object;
  permissions: IMiddlewareGenerator<unknown, unknown, unknown>;
}): GraphQLSchema {
  const schema = buildSubgraphSchema([
    {
      typeDefs: parse(options.typeDefs),
      resolvers: options.resolvers as GraphQLResolverMap<unknown>,
    },
  ]);
  const protectedSchema = applyMiddleware(schema, options.permissions);
  restoreReferenceResolvers(schema, protectedSchema);
  guardSubscribe(schema, protectedSchema, options.permissions);
  return protectedSchema;
}
