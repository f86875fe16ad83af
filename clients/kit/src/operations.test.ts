import { loadConfig } from '@sky/gateway';
import { DocumentLimits } from '@sky/server-kit';
import { buildSchema, specifiedRules, validate, type DocumentNode } from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as generated from './__generated__/graphql.ts';

const apiSchema = buildSchema(
  readFileSync(join(import.meta.dirname, '..', '..', '..', 'schema', 'api.graphql'), 'utf8'),
);
const operations = Object.entries(generated).filter(
  (entry): entry is [string, DocumentNode] =>
    entry[0].endsWith('Document') &&
    (entry[1] as DocumentNode).definitions?.some((d) => d.kind === 'OperationDefinition'),
);

describe('the kit operations', () => {
  it('are valid against the API schema and within the gateway default request limits', () => {
    // The same limits the gateway applies when nothing overrides them (depth, aliases, cost).
    const { limits } = loadConfig({
      NODE_ENV: 'development',
      JWT_PUBLIC_KEY: 'not used to validate documents',
    });
    const documentLimits = new DocumentLimits(limits, false);
    const rules = [...specifiedRules, ...documentLimits.validationRules];
    const refused = operations
      .map(([name, document]) => {
        const messages = validate(apiSchema, document, rules).map((e) => e.message);
        // Variables left out cost what their defaults (or the schema's list sizes) say.
        const cost = documentLimits.checkCost(apiSchema, document, undefined, undefined);
        return [name, cost ? [...messages, cost.message] : messages] as const;
      })
      .filter(([, messages]) => messages.length > 0);
    expect(refused).toEqual([]);
  });
});
