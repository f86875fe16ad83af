import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { ErrorCode } from '@sky/errors';
import { traceCarrier } from '@sky/telemetry';
import {
  attemptBudgetMs,
  DEADLINE_HEADER,
  isClientFacing,
  isServerFault,
  UpstreamStatusError,
  type RemoteCalls,
  type RequestContext,
  type ServiceMetrics,
} from '@sky/server-kit';
import { inFlightKey, type InFlightFetches, type SubgraphAnswer } from './inflight-fetches.ts';
import {
  getOperationAST,
  GraphQLError,
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type SelectionSetNode,
} from 'graphql';

type ProcessOptions = Parameters<RemoteGraphQLDataSource<RequestContext>['process']>[0];
type GatewayResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;
type Fetcher = NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher'];
type FetchInit = RequestInit & { headers: Record<string, string>; body: string };

/** Whether an error stands for a missing part of the answer rather than a refusal or a bug. */
const OUTAGE_CODES = new Set<unknown>([ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.DEADLINE_EXCEEDED]);

/**
 * One POST to a subgraph, read to the end. Node's fetch keeps connections to each subgraph alive
 * (undici's pool). The fetch is cut off when the budget it announces in `x-request-timeout-ms`
 * is spent: the subgraph stops waiting for its answer at the same moment.
 */
async function fetchAnswer(
  url: string,
  headers: Record<string, string>,
  body: string,
  budgetMs: number,
): Promise<SubgraphAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(budgetMs),
  });
  return {
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers],
    text: await response.text(),
  };
}

/**
 * The data sources' fetcher: each call gets a Response of its own (Apollo parses it and merges
 * the data into the result in place). Identical in-flight reads share one fetch when `inFlight`
 * is given. Apollo sends `{"query":"...` with the query first and the planner writes the
 * operation keyword first, so the body says whether it is a read; a body in any other shape is
 * simply not shared.
 */
function subgraphFetcher(inFlight: InFlightFetches | null): Fetcher {
  const fetcher = async (url: string, init: FetchInit) => {
    const budgetMs = Number(init.headers[DEADLINE_HEADER]);
    const send = () => fetchAnswer(url, init.headers, init.body, budgetMs);
    const answer =
      inFlight && READ_BODY.test(init.body)
        ? await inFlight.run(inFlightKey(url, init.body, init.headers), budgetMs, send)
        : await send();
    return new Response(answer.status === 204 ? null : answer.text, {
      status: answer.status,
      statusText: answer.statusText,
      headers: answer.headers,
    });
  };
  return fetcher as unknown as Fetcher;
}

const READ_BODY = /^\{"query":"\s*(query\b|\{)/;

/**
 * Every subgraph fetch of the gateway (queries, mutations, and the entity fetches of live
 * events): forwards the caller's identity and request id, announces the remaining budget, runs
 * through the subgraph's circuit breaker, retries when it is a read, and turns an outage into
 * SERVICE_UNAVAILABLE / DEADLINE_EXCEEDED errors placed on the fields it would have answered.
 * Each attempt is counted and timed per subgraph in the gateway's metrics.
 */
export class SubgraphFetch extends RemoteGraphQLDataSource<RequestContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly calls: RemoteCalls,
    private readonly timeoutMs: number,
    private readonly metrics: ServiceMetrics,
    /** Shared by the gateway's data sources; null turns deduplication off. */
    inFlight: InFlightFetches | null = null,
  ) {
    super({ url, fetcher: subgraphFetcher(inFlight) });
  }

  /**
   * One attempt, measured. It failed when it got no answer, an answer that is not a coded
   * refusal, or errors with a server-side code (INTERNAL_SERVER_ERROR, SERVICE_UNAVAILABLE)
   * inside a 200 response.
   */
  private attempt(options: ProcessOptions): Promise<GatewayResponse> {
    return this.metrics.subgraphFetches.measure(
      { subgraph: this.subgraph },
      () => super.process(options),
      {
        failed: (response) =>
          response.errors?.some((error) => isServerFault(error.extensions?.code)) ?? false,
        refusal: (error) => error instanceof GraphQLError && !isServerFault(error.extensions.code),
      },
    );
  }

  override async process(options: ProcessOptions): Promise<GatewayResponse> {
    // Health checks and schema loading (not used with a static supergraph) go as they are.
    if (!('incomingRequestContext' in options)) return this.attempt(options);
    try {
      return await this.calls.call(
        {
          target: this.subgraph,
          idempotent: isRead(options.request.query),
          deadline: options.context.deadline,
          timeoutMs: this.timeoutMs,
        },
        () => this.attempt(options),
      );
    } catch (error) {
      if (!(error instanceof GraphQLError) || !OUTAGE_CODES.has(error.extensions.code)) throw error;
      options.context.logger?.warn(
        { subgraph: this.subgraph, code: error.extensions.code, reason: error.extensions.reason },
        'subgraph fetch failed: answering without its fields',
      );
      // Answered as the subgraph's own errors, Apollo places each on the data it belongs to
      // (an entity's index becomes that item's path), keeps the rest of the plan's data, and
      // passes the code through.
      return {
        errors: errorsOnFetchedFields(
          // Apollo hands over the parsed fetch only when configured to; parsing a failed one is cheap.
          options.document ?? parse(options.request.query ?? '{ __typename }'),
          options.request.variables,
          error,
        ),
      };
    }
  }

  /**
   * A subgraph that refuses a request as a whole answers 4xx with a coded GraphQL error (a
   * variable its scalar rejects, a limit, a spent deadline): pass that refusal on with its code
   * instead of the data source's generic "400: Bad Request", which the client would only see as
   * an internal error. A proxy's or a draining server's 502/503/504 is an outage; anything else
   * stays an opaque failure.
   */
  override async errorFromResponse(
    response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0],
  ) {
    const generic = await super.errorFromResponse(response);
    const body = (generic.extensions.response as { body?: unknown } | undefined)?.body;
    const first = (
      body as { errors?: { message?: unknown; extensions?: Record<string, unknown> }[] }
    )?.errors?.[0];
    const code = first?.extensions?.code;
    if (first && typeof first.message === 'string' && isClientFacing(code)) {
      const { requestId: _requestId, ...extensions } = first.extensions ?? {};
      return new GraphQLError(first.message, { extensions: { ...extensions, code } });
    }
    if ([502, 503, 504].includes(response.status)) {
      throw new UpstreamStatusError(this.subgraph, response.status);
    }
    return generic;
  }

  override willSendRequest({
    request,
    context,
  }: Parameters<NonNullable<RemoteGraphQLDataSource<RequestContext>['willSendRequest']>>[0]) {
    const headers = request.http?.headers;
    if (!headers) return;
    // W3C traceparent of the active span (Apollo Gateway's fetch span): the subgraph continues it.
    for (const [name, value] of Object.entries(traceCarrier())) headers.set(name, value);
    // Also for the planner's own fetches (no request context): the subgraph timeout alone.
    headers.set(
      DEADLINE_HEADER,
      String(attemptBudgetMs(this.timeoutMs, 'deadline' in context ? context.deadline : undefined)),
    );
    if (!('requestId' in context)) return;
    headers.set('x-request-id', context.requestId);
    // Subgraphs trust this header from the gateway's network only (their TRUST_PROXY).
    if (context.clientAddress) headers.set('x-forwarded-for', context.clientAddress);
    if (context.viewer) headers.set('authorization', `Bearer ${context.viewer.token}`);
  }
}

/**
 * A fetch the planner built as a query reads only (a query's fetches, and the entity fetches that
 * follow a mutation's root field): sending it twice is harmless. A mutation fetch never is. The
 * planner writes the operation keyword first, so the text says which it is without a parse.
 */
const isRead = (query: string | undefined): boolean => /^\s*(query\b|\{)/.test(query ?? '');

/**
 * One error per field the failed fetch would have answered, with the path Apollo expects from a
 * subgraph: `["_entities", i, field]` for each entity of an entity fetch (Apollo turns `i` into
 * that entity's place in the response, e.g. `myOrders.edges.0.node.delivery`), `[field]` for
 * root fields. Clients then see which fields are missing and why, beside the data that arrived.
 */
function errorsOnFetchedFields(
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  error: GraphQLError,
): GraphQLFormattedError[] {
  const formatted = { message: error.message, extensions: error.extensions };
  const operation = getOperationAST(document);
  if (!operation) return [formatted];
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const representations = variables?.representations;
  if (!Array.isArray(representations)) {
    return responseNames(operation.selectionSet, null, fragments).map((name) => ({
      ...formatted,
      path: [name],
    }));
  }
  const entities = operation.selectionSet.selections.find(
    (s) => s.kind === Kind.FIELD && s.name.value === '_entities',
  );
  const selection = entities?.kind === Kind.FIELD ? entities.selectionSet : undefined;
  if (!selection) return [formatted];
  return representations.flatMap((representation: unknown, index) => {
    const typename = (representation as { __typename?: unknown })?.__typename;
    return responseNames(selection, typeof typename === 'string' ? typename : null, fragments).map(
      (name) => ({ ...formatted, path: ['_entities', index, name] }),
    );
  });
}

/** The response names (aliases included) a selection set asks of an object of `typename`. */
function responseNames(
  selectionSet: SelectionSetNode,
  typename: string | null,
  fragments: Map<string, FragmentDefinitionNode>,
): string[] {
  const names = new Set<string>();
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') {
        names.add(selection.alias?.value ?? selection.name.value);
      }
      continue;
    }
    const fragment =
      selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
    const condition = fragment?.typeCondition?.name.value;
    if (!fragment || (condition && typename && condition !== typename)) continue;
    for (const name of responseNames(fragment.selectionSet, typename, fragments)) names.add(name);
  }
  return [...names];
}
