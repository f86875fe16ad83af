import { printExecutableGraphQLDocument } from '@graphql-tools/documents';
import { print, parse, type DocumentNode } from 'graphql';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import manifest from './__generated__/persisted-documents.json' with { type: 'json' };
import * as generated from './__generated__/graphql.ts';
import { createSkyCache } from './cache.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const operations = Object.entries(generated).filter(
  (entry): entry is [string, DocumentNode] =>
    entry[0].endsWith('Document') &&
    (entry[1] as DocumentNode).definitions?.some((d) => d.kind === 'OperationDefinition'),
);

describe('the persisted documents manifest', () => {
  it('has one entry per operation of the kit, keyed by the SHA-256 of its text', () => {
    expect(operations.length).toBeGreaterThan(40);
    expect(Object.keys(manifest)).toHaveLength(operations.length);
    for (const [id, text] of Object.entries(manifest)) expect(id).toBe(`sha256:${sha256(text)}`);
  });

  it('holds each operation as Apollo Client sends it, once normalized as the gateway does', () => {
    // Apollo Client's cache rewrites a document before it goes out (it adds __typename); the
    // gateway recognises a manifest operation by this normalized printing of what it receives.
    const cache = createSkyCache();
    for (const [name, document] of operations) {
      const sent = print(cache.transformDocument(document));
      const normalized = printExecutableGraphQLDocument(parse(sent));
      expect(manifest, name).toHaveProperty([`sha256:${sha256(normalized)}`], normalized);
    }
  });
});
