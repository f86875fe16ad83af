import type { ApolloServerPlugin } from '@apollo/server';
import { printExecutableGraphQLDocument } from '@graphql-tools/documents';
import type { NextFunction, Request, Response } from 'express';
import { GraphQLError, parse, type DocumentNode } from 'graphql';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '@sky/config';
import { ErrorCode } from '@sky/errors';
import { sendGraphQLError, type RequestContext } from '@sky/server-kit';
import type { GatewayConfig } from './config.ts';

export type TrustedDocumentsMode = GatewayConfig['trustedDocuments']['mode'];

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** GraphQL over HTTP's persisted document ids are `sha256:<hex>`; Apollo's hashes are bare hex. */
const SHA256_ID = /^(?:sha256:)?([0-9a-f]{64})$/;

/**
 * The operations the client kit ships, from GraphQL Code Generator's client preset: a JSON object
 * `{ "sha256:<hex>": "<document>" }` whose keys are the SHA-256 of the document text. Documents
 * are kept by hash; operations sent in full are recognised by the same normalised printing the
 * generator uses (sorted selections, reduced white space), so a client's own formatting of a
 * manifest operation still matches.
 */
export class TrustedDocumentManifest {
  private constructor(private readonly documents: Map<string, string>) {}

  static load(path: string): TrustedDocumentManifest {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ConfigError([
        `TRUSTED_DOCUMENTS_MANIFEST: cannot read ${path} (${(error as Error).message}); run \`npm run generate\``,
      ]);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new ConfigError([`TRUSTED_DOCUMENTS_MANIFEST: ${path} is not a JSON object`]);
    }
    const documents = new Map<string, string>();
    const problems: string[] = [];
    for (const [id, document] of Object.entries(raw)) {
      const hash = SHA256_ID.exec(id)?.[1];
      if (typeof document !== 'string' || !hash || sha256(document) !== hash) {
        problems.push(
          `TRUSTED_DOCUMENTS_MANIFEST: entry "${id}" is not the SHA-256 of its document`,
        );
        continue;
      }
      documents.set(hash, document);
    }
    if (problems.length > 0) throw new ConfigError(problems);
    return new TrustedDocumentManifest(documents);
  }

  get size(): number {
    return this.documents.size;
  }

  /** The names of the manifest's operations (the bounded set of operation label values). */
  operationNames(): Set<string> {
    const names = new Set<string>();
    for (const document of this.documents.values()) {
      for (const definition of parse(document).definitions) {
        if (definition.kind === 'OperationDefinition' && definition.name) {
          names.add(definition.name.value);
        }
      }
    }
    return names;
  }

  /** The document for an id or hash in either spelling, if the manifest has it. */
  find(id: string): string | undefined {
    const hash = SHA256_ID.exec(id)?.[1];
    return hash ? this.documents.get(hash) : undefined;
  }

  /** Whether a parsed operation is one of the manifest's, however it was formatted. */
  includes(document: DocumentNode, sourceHash?: string): boolean {
    if (sourceHash && this.documents.has(sourceHash)) return true;
    return this.documents.has(sha256(printExecutableGraphQLDocument(document)));
  }
}

/**
 * `documentId` requests (GraphQL over HTTP's persisted documents, as the client preset's
 * `use-document-id` mode sends them) carry no query: the manifest's document takes its place
 * before the request is checked, and an unknown id is refused since the client cannot fall back.
 */
export function resolveDocumentId(manifest: TrustedDocumentManifest) {
  return (req: Request, res: Response, next: NextFunction) => {
    const payload = (req.method === 'POST' ? req.body : req.query) as
      { documentId?: unknown; query?: unknown } | undefined;
    if (!payload || Array.isArray(payload) || payload.documentId === undefined) return next();
    const document =
      typeof payload.documentId === 'string' ? manifest.find(payload.documentId) : undefined;
    if (!document) {
      return sendGraphQLError(
        res,
        400,
        ErrorCode.PERSISTED_QUERY_NOT_FOUND,
        'Unknown documentId: it is not in the trusted documents manifest.',
        req.sky.requestId,
      );
    }
    if (req.method === 'POST') {
      (req.body as Record<string, unknown>).query = document;
    } else {
      // Apollo and Express both read a GET request from its URL (req.query is derived from it).
      const url = new URL(req.url, 'http://gateway.invalid');
      url.searchParams.delete('documentId');
      url.searchParams.set('query', document);
      req.url = `${url.pathname}${url.search}`;
    }
    next();
  };
}

/**
 * Trusted documents (an operation allow-list) on top of Apollo's automatic persisted queries:
 * - a hash-only request whose hash is in the manifest runs the manifest's document, in every mode;
 * - `log` runs anything and logs operations missing from the manifest (to roll out safely);
 * - `enforce` refuses them with TRUSTED_DOCUMENT_REQUIRED, before execution and before an
 *   automatic persisted query is registered, so the cache only ever holds manifest documents.
 */
export function trustedDocumentsPlugin(
  mode: TrustedDocumentsMode,
  manifest: TrustedDocumentManifest | null,
): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ request }) {
      const persisted = request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
      if (manifest && request.query === undefined && typeof persisted?.sha256Hash === 'string') {
        const document = manifest.find(persisted.sha256Hash);
        if (document) request.query = document;
      }
      if (mode === 'off' || !manifest) return;
      return {
        async didResolveOperation({ document, queryHash, operationName, contextValue }) {
          if (manifest.includes(document, queryHash)) return;
          if (mode === 'log') {
            contextValue.logger.warn(
              { operationName, queryHash },
              'operation is not in the trusted documents manifest',
            );
            return;
          }
          contextValue.logger.info({ operationName, queryHash }, 'refused untrusted operation');
          throw new GraphQLError(
            'This API only runs the operations of its client applications (trusted documents); this operation is not one of them.',
            {
              extensions: { code: ErrorCode.TRUSTED_DOCUMENT_REQUIRED, http: { status: 400 } },
            },
          );
        },
      };
    },
  };
}
