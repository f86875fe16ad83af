/**
 * Collects what the built server-mode services load at run time into one folder (default
 * `.runtime/`), which the image's runtime stage copies whole:
 *   - each service's `dist/main.js` and `package.json` (gateway, five subgraphs, payment sandbox);
 *   - the files of npm packages those bundles import or read, traced from the bundles by
 *     @vercel/nft (wasm and native addons included, the install's patches applied);
 *   - the repository files services read themselves: `schema/` and `prisma/<name>/migrations`,
 *     and the image's health check (`deploy/healthcheck.mjs`).
 * Nothing else: no dev dependency, no TypeScript source, no package no service loads. A plain
 * `npm ci --omit=dev` would still bring the Prisma CLI and TypeScript (optional peers of
 * @prisma/client) and the web example's React.
 *   npm run build && npm run runtime:collect [-- --out <folder>]
 */
import { nodeFileTrace } from '@vercel/nft';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = join(import.meta.dirname, '..');
const outArgument = process.argv.indexOf('--out');
const outDir = resolve(outArgument > 0 ? process.argv[outArgument + 1]! : join(root, '.runtime'));

const subgraphs = readdirSync(join(root, 'subgraphs')).map((name) => `subgraphs/${name}`);
const services = ['gateway', ...subgraphs, 'packages/payment-sandbox'];
const bundles = services.map((service) => join(root, service, 'dist', 'main.js'));
const missing = bundles.filter((bundle) => !existsSync(bundle));
if (missing.length > 0) {
  console.error(`collect-runtime: run \`npm run build\` first; missing ${missing.join(', ')}`);
  process.exit(2);
}

const started = Date.now();
const { fileList, warnings } = await nodeFileTrace(bundles, { base: root, processCwd: root });
// Packages import optional modules inside try/catch (ws: bufferutil, pg: pg-native, argon2: the
// other platforms' binaries); nft reports each one it cannot find. Count them and name the ones
// that are not another platform's build, so a real omission stands out.
const unresolved = [
  ...new Set(
    [...warnings].flatMap(
      (warning) => /Failed to resolve dependency "([^"]+)"/.exec(warning.message)?.[1] ?? [],
    ),
  ),
].sort();
if (unresolved.length > 0) {
  const platformBuild =
    /^\.\/|\/package\.json$|-(android|darwin|freebsd|linux|openharmony|wasm32|win32)-/;
  const named = unresolved.filter((name) => !platformBuild.test(name));
  console.log(
    `collect-runtime: left out ${unresolved.length} optional modules that are not installed ` +
      `(other platforms' builds and ${named.join(', ')})`,
  );
}

const repositoryFiles = [
  'schema',
  ...subgraphs.map((s) => `prisma/${s.split('/')[1]}/migrations`),
  // Read by path at run time, which the tracer cannot follow: the browser build of graphql-ws
  // inlined into the offline GraphiQL page (found beside the package's CommonJS entry, so that
  // entry comes too), and the client kit's trusted-documents manifest.
  'node_modules/graphql-ws/umd/graphql-ws.min.js',
  'node_modules/graphql-ws/dist/index.cjs',
  'clients/kit/src/__generated__/persisted-documents.json',
  // GraphQL documents a service reads beside its source (the explorer's welcome tab).
  'gateway/src/explorer/welcome.graphql',
  // The image's HEALTHCHECK (Dockerfile).
  'deploy/healthcheck.mjs',
];
const files = new Set([
  ...fileList,
  ...services.map((service) => `${service}/package.json`),
  ...repositoryFiles.filter((path) => existsSync(join(root, path))),
]);

rmSync(outDir, { recursive: true, force: true });
for (const file of [...files].sort()) {
  const source = join(root, file);
  if (!existsSync(source)) continue;
  const target = join(outDir, file);
  mkdirSync(dirname(target), { recursive: true });
  // Workspace links in node_modules are followed: the folder holds plain files only.
  cpSync(source, target, { recursive: statSync(source).isDirectory(), dereference: true });
}

const bytes = (function size(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, entry) => sum + size(join(path, entry)), 0);
})(outDir);
console.log(
  `collected ${files.size} paths (${(bytes / 2 ** 20).toFixed(0)} MiB) for ${services.length} services into ${relative(process.cwd(), outDir) || '.'} in ${Date.now() - started} ms`,
);
