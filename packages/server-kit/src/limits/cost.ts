import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  type DocumentNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { MAX_PAGE_SIZE } from '../connections.ts';

/**
 * Cost analysis from the schema, with variables and argument defaults applied (through
 * graphql-query-complexity, which coerces arguments the way execution will): `first: $n` costs
 * what `$n` asks for, and an omitted `first` costs its default.
 *
 * The weights follow Apollo's demand-control model (`@cost` / `@listSize`) but are derived from
 * the schema's own conventions instead of annotations, so no field can be forgotten:
 *
 * - a scalar or enum field costs 0, an object (or interface, union) field costs 1 plus its
 *   selection;
 * - a field returning a Relay connection is a list sized by its slicing argument `first`
 *   (`@listSize(slicingArguments: ["first"], sizedFields: ["edges"])`): its selection counts
 *   `first` times, as asked (a resolver refuses more than its page limit, but the cost does not
 *   rely on that: some connections have larger pages than others); an explicit null costs the
 *   argument's default, and a connection without `first` the largest page;
 * - a connection's `edges` are already counted by that multiplier;
 * - `_entities(representations: [...])` counts once per representation;
 * - any other list of objects is assumed to hold ASSUMED_LIST_SIZE elements
 *   (`@listSize(assumedSize: 10)`): these lists are bounded by the domain (an order's items and
 *   status history, a dish's flavors, a merchant's opening hours, an address book of at most 50).
 *
 * Introspection is counted with the same weights: it resolves from memory, but nested
 * `fields { type { fields ... } }` fans out like any list.
 */
export const ASSUMED_LIST_SIZE = 10;

/** Relay connection: an object type with `edges: [Edge]` and `pageInfo`. */
export function isConnectionType(type: GraphQLNamedType): boolean {
  if (!isObjectType(type)) return false;
  const fields = type.getFields();
  const edges = fields.edges;
  return (
    edges !== undefined && fields.pageInfo !== undefined && isListType(getNullableType(edges.type))
  );
}

function sliceSize(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number {
  const firstArgument = field.args.find((arg) => arg.name === 'first');
  const first = args.first;
  if (typeof first === 'number' && Number.isFinite(first)) return Math.max(Math.trunc(first), 0);
  // An explicit null falls back to the argument's default in the resolvers.
  const fallback = firstArgument?.defaultValue;
  return typeof fallback === 'number' ? fallback : MAX_PAGE_SIZE;
}

export const schemaCostEstimator: ComplexityEstimator = ({
  type,
  field,
  args,
  childComplexity,
}) => {
  const named = getNamedType(field.type);
  if (!isCompositeType(named)) return 0;
  const one = 1 + childComplexity;
  if (field.name === '_entities' && Array.isArray(args.representations)) {
    return args.representations.length * one;
  }
  if (isConnectionType(named)) return sliceSize(field, args) * one;
  if (isListType(getNullableType(field.type))) {
    const sizedByParent = field.name === 'edges' && isConnectionType(type);
    return sizedByParent ? one : ASSUMED_LIST_SIZE * one;
  }
  return one;
};

/**
 * The operation's cost, or null when the variables do not fit the operation (execution refuses
 * those with BAD_USER_INPUT before anything runs, so there is nothing to estimate).
 * Fragments are expanded at every spread, so a document that explodes through nested fragment
 * reuse is refused (`Infinity`) once it would evaluate more than `maxNodes` selections.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
  maxNodes = 10_000,
): number | null {
  try {
    return getComplexity({
      schema,
      query: document,
      variables: variables ?? {},
      operationName,
      estimators: [schemaCostEstimator],
      maxQueryNodes: maxNodes,
    });
  } catch (error) {
    if ((error as Error).message.includes('maximum allowed number of nodes')) return Infinity;
    return null;
  }
}
