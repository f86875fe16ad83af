import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { RequestLimits } from '@sky/config';
import { ErrorCode } from '@sky/errors';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { operationCost } from './cost.ts';

/** graphql-armor reports through the validation context instead of throwing out of `validate`. */
const reportToContext = [
  (context: ValidationContext | null, error: GraphQLError) =>
    context?.reportError(
      new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
        extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED },
      }),
    ),
];
const reporting = { propagateOnRejection: false, onReject: reportToContext } as const;

/**
 * `_service { sdl }` hands out the whole subgraph schema. The gateway composes from a file, so
 * nothing needs it in production: it is refused there like introspection.
 */
export const NoServiceSdlRule: ValidationRule = (context) => ({
  Field(node) {
    if (
      node.name.value === '_service' &&
      context.getParentType() === context.getSchema().getQueryType()
    ) {
      context.reportError(
        new GraphQLError('`_service` is not available in production.', { nodes: [node] }),
      );
    }
  },
});

/** Parsed and validated documents by source text, per schema: what Apollo's document store does for HTTP. */
const DOCUMENT_CACHE_SIZE = 500;
type Checked = { document: DocumentNode } | { errors: GraphQLError[] };

/**
 * One set of document limits for every path of every service (HTTP and WebSocket, gateway and
 * subgraphs): tokens while parsing, then depth, aliases and directives as validation rules, then
 * the cost once the variables are known.
 */
export class DocumentLimits {
  readonly parseOptions: ParseOptions;
  readonly validationRules: ValidationRule[];
  /**
   * A client subscribing many times with one document (a burst of 1,000 frames) pays for parsing
   * and validation once; the cost, which depends on the variables, is computed every time.
   */
  private readonly checkedDocuments = new WeakMap<GraphQLSchema, Map<string, Checked>>();

  constructor(
    readonly settings: RequestLimits,
    readonly production: boolean,
  ) {
    this.parseOptions = { maxTokens: settings.tokens };
    this.validationRules = [
      // Outside introspection (armor skips `__schema` subtrees here: the next rule counts them).
      maxDepthRule({ n: settings.depth, ignoreIntrospection: true, ...reporting }),
      // Everything, introspection included.
      maxDepthRule({ n: settings.introspectionDepth, ignoreIntrospection: false, ...reporting }),
      // An empty allow list: `__typename` aliases count like any other.
      maxAliasesRule({ n: settings.aliases, allowList: [], ...reporting }),
      maxDirectivesRule({ n: settings.directives, ...reporting }),
      ...(production ? [NoServiceSdlRule] : []),
    ];
  }

  /** The cost refusal, or null when the operation fits. */
  checkCost(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Record<string, unknown> | undefined,
    operationName: string | undefined,
  ): GraphQLError | null {
    const cost = operationCost(schema, document, variables, operationName);
    if (cost === null || cost <= this.settings.cost) return null;
    return new GraphQLError(
      Number.isFinite(cost)
        ? `The operation costs ${cost}, more than the limit of ${this.settings.cost}.`
        : 'The operation expands to too many selections.',
      {
        extensions: {
          code: ErrorCode.GRAPHQL_VALIDATION_FAILED,
          cost: Number.isFinite(cost) ? cost : null,
          maxCost: this.settings.cost,
          http: { status: 400 },
        },
      },
    );
  }

  /**
   * The whole pipeline for a path that does not go through Apollo Server (a graphql-ws
   * `subscribe` message): parse with the token limit, validate with the spec's rules and these
   * limits, then the cost with the variables. Errors carry the same codes as over HTTP.
   */
  checkRequest(
    schema: GraphQLSchema,
    request: { query: unknown; variables?: unknown; operationName?: unknown },
  ): { document: DocumentNode } | { errors: GraphQLError[] } {
    if (typeof request.query !== 'string' || request.query.trim() === '') {
      return {
        errors: [codedError(ErrorCode.BAD_REQUEST, 'A non-empty "query" string is needed.')],
      };
    }
    const checked = this.parseAndValidate(schema, request.query);
    if ('errors' in checked) return checked;
    const { document } = checked;
    const operationName =
      typeof request.operationName === 'string' ? request.operationName : undefined;
    if (!getOperationAST(document, operationName)) {
      return { errors: [codedError(ErrorCode.BAD_REQUEST, 'Unable to identify the operation.')] };
    }
    const variables =
      typeof request.variables === 'object' && request.variables !== null
        ? (request.variables as Record<string, unknown>)
        : undefined;
    const costError = this.checkCost(schema, document, variables, operationName);
    if (costError) {
      const { http: _http, ...extensions } = costError.extensions;
      return { errors: [new GraphQLError(costError.message, { extensions })] };
    }
    return { document };
  }

  private parseAndValidate(schema: GraphQLSchema, query: string): Checked {
    let cache = this.checkedDocuments.get(schema);
    if (!cache) this.checkedDocuments.set(schema, (cache = new Map()));
    const cached = cache.get(query);
    if (cached) return cached;
    const checked = this.parseAndValidateUncached(schema, query);
    // Only documents that pass are kept: a flood of distinct bad ones must not evict good ones.
    if ('document' in checked) {
      if (cache.size >= DOCUMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(query, checked);
    }
    return checked;
  }

  private parseAndValidateUncached(schema: GraphQLSchema, query: string): Checked {
    let document: DocumentNode;
    try {
      document = parse(query, this.parseOptions);
    } catch (error) {
      return { errors: [codedError(ErrorCode.GRAPHQL_PARSE_FAILED, (error as Error).message)] };
    }
    const errors = validate(schema, document, [
      ...specifiedRules,
      ...this.validationRules,
      // Apollo Server adds this one itself on the HTTP path when introspection is off.
      ...(this.production ? [NoSchemaIntrospectionCustomRule] : []),
    ]);
    if (errors.length > 0) {
      return {
        errors: errors.map((error) =>
          codedError(ErrorCode.GRAPHQL_VALIDATION_FAILED, this.clientMessage(error.message)),
        ),
      };
    }
    return { document };
  }

  /** Production hides field suggestions ("Did you mean ...?"): they would reveal the schema. */
  private clientMessage(message: string): string {
    return this.production ? message.replace(/ ?Did you mean .+\?$/, '') : message;
  }
}

const codedError = (code: ErrorCode, message: string) =>
  new GraphQLError(message, { extensions: { code } });
