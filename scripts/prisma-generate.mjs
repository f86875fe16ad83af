// Generates one subgraph's Prisma client offline: `prisma generate` only needs *a* schema engine
// path to exist (it never runs it for generation), and the real binary cannot be downloaded here.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const subgraph = process.argv[2];
if (!subgraph) {
  console.error('usage: node scripts/prisma-generate.mjs <subgraph>');
  process.exit(2);
}
const root = join(import.meta.dirname, '..');
const result = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules', 'prisma', 'build', 'index.js'),
    'generate',
    '--schema',
    join(root, 'prisma', subgraph, 'schema.prisma'),
  ],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  },
);
process.exit(result.status ?? 1);
