import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const schemaDir = join(import.meta.dirname, '..', '..', '..', 'schema');

/** The contract `schema/<name>.graphql` that frontend teams read is the schema a subgraph serves. */
export const readSubgraphSchema = (name: string): string =>
  readFileSync(join(schemaDir, `${name}.graphql`), 'utf8');

export const supergraphSchemaPath = join(schemaDir, 'supergraph.graphql');
