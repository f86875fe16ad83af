/**
 * Composes schema/<subgraph>.graphql into schema/supergraph.graphql with @apollo/composition
 * (Rover downloads a binary and cannot run here). With --check it only verifies that composition
 * succeeds and that the committed supergraph is up to date, failing CI otherwise.
 */
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Subgraph names and the URLs they listen on by default (the gateway overrides them by name). */
const SUBGRAPHS = [
  { name: 'user', url: 'http://127.0.0.1:4001/graphql' },
  { name: 'catalog', url: 'http://127.0.0.1:4002/graphql' },
  { name: 'order', url: 'http://127.0.0.1:4003/graphql' },
  { name: 'payment', url: 'http://127.0.0.1:4004/graphql' },
  { name: 'delivery', url: 'http://127.0.0.1:4005/graphql' },
];

const schemaDir = join(import.meta.dirname, '..', 'schema');
const supergraphPath = join(schemaDir, 'supergraph.graphql');

const result = composeServices(
  SUBGRAPHS.map(({ name, url }) => ({
    name,
    url,
    typeDefs: parse(readFileSync(join(schemaDir, `${name}.graphql`), 'utf8')),
  })),
);
if (result.errors) {
  console.error('Composition failed:');
  for (const error of result.errors) console.error(`  - ${error.message}`);
  process.exit(1);
}
const composed = `${result.supergraphSdl.trimEnd()}\n`;
if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(supergraphPath, 'utf8');
  } catch {
    // Missing counts as stale.
  }
  if (committed !== composed) {
    console.error(
      'schema/supergraph.graphql is stale: run `npm run compose` and commit the result.',
    );
    process.exit(1);
  }
  console.log('supergraph composes and schema/supergraph.graphql is up to date');
} else {
  writeFileSync(supergraphPath, composed);
  console.log(`wrote ${supergraphPath} (${result.hints?.length ?? 0} composition hints)`);
}
