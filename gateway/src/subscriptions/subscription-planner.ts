import {
  buildOperationContext,
  executeQueryPlan,
  type ApolloGateway,
  type GraphQLDataSource,
  type ServiceMap,
} from '@apollo/gateway';
import { Supergraph, type Schema } from '@apollo/federation-internals';
import { operationFromDocument } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan } from '@apollo/query-planner';
import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';
import type { UpstreamEvent } from './upstream.ts';

/**
 * Plans a subscription over the supergraph the way Apollo Router does: the primary fetch is a
 * subscription on the subgraph that owns the root field; the rest is an ordinary query plan
 * (entity fetches) run once per event. Nothing here knows a field, a type or a channel name.
 */
export interface PlannedSubscription {
  primary: FetchNode;
  /** Variables of the client's operation that the primary fetch uses. */
  primaryVariables: Record<string, unknown>;
  /** Completes one upstream event into the client's result (aliases, fragments, other subgraphs). */
  complete(event: UpstreamEvent, context: object): Promise<ExecutionResult>;
}

/**
 * What planning needs, as Apollo Gateway holds it once it has loaded the supergraph: the API
 * schema (federation's and graphql-js's), the supergraph schema, the query planner (its query
 * graphs are the biggest part) and the subgraphs with the URLs the supergraph records.
 */
export interface PlanningSchemas {
  apiSchema: Schema;
  apiGraphQLSchema: GraphQLSchema;
  supergraphSchema: GraphQLSchema;
  queryPlanner: QueryPlanner;
  subgraphs: readonly { name: string; url: string }[];
}

/** The fields of a loaded ApolloGateway (2.14, private in its typings) that hold its schemas. */
interface LoadedGateway {
  apiSchema?: Schema;
  schema?: GraphQLSchema;
  supergraphSchema?: GraphQLSchema;
  queryPlanner?: QueryPlanner;
  serviceMap?: Record<string, { url?: string }>;
}

/**
 * The schemas and planner of a gateway that has loaded its (static) supergraph, shared rather
 * than built a second time: a second Supergraph with its query planner is tens of MiB per
 * process. Fails loudly if an Apollo upgrade moves them.
 */
export function planningSchemasOf(gateway: ApolloGateway): PlanningSchemas {
  const loaded = gateway as unknown as LoadedGateway;
  const { apiSchema, schema, supergraphSchema, queryPlanner, serviceMap } = loaded;
  if (!apiSchema || !schema || !supergraphSchema || !queryPlanner || !serviceMap) {
    throw new Error('Apollo Gateway has not loaded a supergraph, or keeps it elsewhere');
  }
  return {
    apiSchema,
    apiGraphQLSchema: schema,
    supergraphSchema,
    queryPlanner,
    subgraphs: Object.entries(serviceMap).map(([name, { url }]) => ({ name, url: url ?? '' })),
  };
}

/** Planning schemas of their own, built from the supergraph text (tests, tools). */
export function planningSchemasFromSdl(supergraphSdl: string): PlanningSchemas {
  const supergraph = Supergraph.build(supergraphSdl);
  const apiSchema = supergraph.apiSchema();
  return {
    apiSchema,
    apiGraphQLSchema: apiSchema.toGraphQLJSSchema(),
    supergraphSchema: supergraph.schema.toGraphQLJSSchema(),
    queryPlanner: new QueryPlanner(supergraph),
    subgraphs: supergraph.subgraphsMetadata(),
  };
}

export class SubscriptionPlanner {
  readonly apiSchema: GraphQLSchema;
  private readonly federationApiSchema: Schema;
  private readonly planner: QueryPlanner;
  private readonly supergraphSchema: GraphQLSchema;
  private readonly subgraphList: readonly { name: string; url: string }[];

  private serviceMap: ServiceMap = {};
  /**
   * Plans per document and operation: the kit's document limits hand out one document object
   * per distinct query text, so a client subscribing many times with one document is planned
   * once (Apollo Gateway caches its HTTP query plans the same way).
   */
  private readonly plans = new WeakMap<
    DocumentNode,
    Map<
      string,
      { queryPlan: QueryPlan; operationContext: ReturnType<typeof buildOperationContext> }
    >
  >();

  constructor(schemas: PlanningSchemas) {
    this.federationApiSchema = schemas.apiSchema;
    this.planner = schemas.queryPlanner;
    this.apiSchema = schemas.apiGraphQLSchema;
    this.supergraphSchema = schemas.supergraphSchema;
    this.subgraphList = schemas.subgraphs;
  }

  /** Subgraph names and the URLs the supergraph records for them. */
  subgraphs(): readonly { name: string; url: string }[] {
    return this.subgraphList;
  }

  /** The data sources entity fetches go through (the gateway's own kind: token forwarded). */
  useServices(serviceMap: ServiceMap): void {
    this.serviceMap = serviceMap;
  }

  private planFor(document: DocumentNode, operationName: string | undefined) {
    let byName = this.plans.get(document);
    if (!byName) this.plans.set(document, (byName = new Map()));
    const key = operationName ?? '';
    let planned = byName.get(key);
    if (!planned) {
      const operation = operationFromDocument(this.federationApiSchema, document, {
        operationName,
      });
      planned = {
        queryPlan: this.planner.buildQueryPlan(operation),
        operationContext: buildOperationContext({
          schema: this.apiSchema,
          operationDocument: document,
          operationName,
        }),
      };
      byName.set(key, planned);
    }
    return planned;
  }

  plan(
    document: DocumentNode,
    operationName: string | undefined,
    variables: Record<string, unknown>,
  ): PlannedSubscription {
    const { queryPlan, operationContext } = this.planFor(document, operationName);
    const node = queryPlan.node;
    if (!node || node.kind !== 'Subscription') {
      throw new Error('not a subscription plan');
    }
    const primary = node.primary;
    const rest: PlanNode | undefined = node.rest;
    const primaryVariables = Object.fromEntries(
      (primary.variableUsages ?? [])
        .filter((name) => name in variables)
        .map((name) => [name, variables[name]]),
    );
    const plan: QueryPlan = {
      kind: 'QueryPlan',
      node: rest ? { kind: 'Sequence', nodes: [primary, rest] } : primary,
    };
    return {
      primary,
      primaryVariables,
      complete: async (event, context) => {
        // The primary fetch has already happened upstream: answer it with the event itself and
        // let the gateway's own executor run the entity fetches and shape the response.
        const realPrimary = this.serviceMap[primary.serviceName];
        const eventSource: GraphQLDataSource = {
          process: async (request) =>
            request.request.query === primary.operation
              ? ({ data: event.data, errors: event.errors } as never)
              : realPrimary!.process(request),
        };
        const result = await executeQueryPlan(
          plan,
          { ...this.serviceMap, [primary.serviceName]: eventSource },
          {
            request: { query: '', variables, operationName },
            context,
            logger: console,
            metrics: {},
            cache: undefined,
            overallCachePolicy: undefined,
          } as never,
          operationContext,
          this.supergraphSchema,
          this.federationApiSchema,
        );
        return result as ExecutionResult;
      },
    };
  }
}

/** The API schema clients see (what the gateway validates and costs documents against). */
export const buildApiSchema = (supergraphSdl: string): GraphQLSchema =>
  Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
