// `npm start`: generate and build only what changed, then run the embedded platform in this
// process. Plain Node (no tsx) so nothing is compiled or loaded that the run itself does not need.
//
// Each step is skipped when a content hash of its inputs matches the one recorded after it last
// succeeded (in node_modules/.cache/sky-start/) and its outputs exist:
// - generation (Prisma clients + graphql-codegen): the Prisma schemas, the GraphQL contracts, the
//   codegen config and client operations, and the lock file (generator versions);
// - the embedded bundle (packages/embedded/dist/main.js): every workspace source file it may
//   bundle, the build script and the lock file.
// Nothing else decides: a changed file is always rebuilt, an unchanged clone starts at once.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');
const stampDir = join(root, 'node_modules', '.cache', 'sky-start');
const SKIP_DIRS = new Set(['node_modules', 'dist', '__generated__', '.turbo', 'test', 'coverage']);

/** Every file under `dir` (relative to the root) whose name passes `keep`, sorted. */
function filesUnder(dir, keep) {
  const found = [];
  const walk = (current) => {
    if (!existsSync(current)) return;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(join(current, entry.name));
      } else if (keep(entry.name)) found.push(join(current, entry.name));
    }
  };
  walk(join(root, dir));
  return found.sort();
}

function hashOf(files) {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** Runs `command` unless the inputs hash to what the last successful run recorded. */
function step(name, inputs, outputs, command) {
  const stamp = join(stampDir, `${name}.sha256`);
  const hash = hashOf(inputs);
  const fresh =
    outputs.every((output) => existsSync(join(root, output))) &&
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8') === hash;
  if (fresh) return;
  const result = spawnSync('npm', command, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  mkdirSync(stampDir, { recursive: true });
  writeFileSync(stamp, hash);
}

const lockFile = [join(root, 'package-lock.json')];
const workspaces = ['packages', 'subgraphs', 'gateway'];

step(
  'generate',
  [
    ...filesUnder('prisma', (name) => name === 'schema.prisma'),
    ...filesUnder('schema', (name) => name.endsWith('.graphql')),
    ...filesUnder('clients/kit/operations', (name) => name.endsWith('.graphql')),
    ...filesUnder('clients/kit/codegen', () => true),
    join(root, 'codegen.yml'),
    ...lockFile,
  ],
  [
    ...['user', 'catalog', 'order', 'payment', 'delivery'].flatMap((name) => [
      `subgraphs/${name}/src/__generated__/prisma/client.ts`,
      `subgraphs/${name}/src/__generated__/resolvers-types.ts`,
    ]),
    'clients/kit/src/__generated__',
  ],
  ['run', 'generate', '--silent'],
);

step(
  'build-embedded',
  [
    ...workspaces.flatMap((dir) =>
      filesUnder(dir, (name) => /\.(ts|mjs|js|json|graphql)$/.test(name)),
    ),
    ...filesUnder('schema', (name) => name.endsWith('.graphql')),
    join(root, 'scripts', 'build-service.ts'),
    // The bundle holds the generated clients: new generation, new bundle.
    join(stampDir, 'generate.sha256'),
    ...lockFile,
  ],
  ['packages/embedded/dist/main.js'],
  ['run', 'build', '--silent', '-w', '@sky/embedded'],
);

await import(pathToFileURL(join(root, 'packages', 'embedded', 'dist', 'main.js')).href);
