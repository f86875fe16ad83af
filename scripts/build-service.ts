/**
 * Builds one service (the workspace it is run in, `npm run build -w <workspace>`) into
 * `dist/main.js`: its `src/main.ts` with every `@sky/*` workspace module it imports, bundled by
 * esbuild into one ES module that plain `node` runs.
 *
 * npm packages stay external: they are loaded from node_modules at run time, exactly as in
 * development. That keeps CommonJS and ES module copies of one package (graphql) from both
 * ending up in a bundle, and leaves the files packages read beside themselves (PGlite's and
 * Prisma's wasm, native argon2) where they expect them.
 *
 * Modules that find files relative to themselves (`schema/<name>.graphql`, the
 * `prisma/<name>/migrations` folders, the default data directory) use `import.meta.dirname` and
 * `import.meta.url`. In a bundle those would name `dist/`, so the bundle gives every module the
 * location of its own source file instead, expressed relative to the bundle: the built service
 * finds the same files as the source does, wherever the repository (or the image's /app) is.
 */
import { build, type Plugin } from 'esbuild';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';

const workspaceDir = process.cwd();
const entryPoint = join(workspaceDir, 'src', 'main.ts');
const outfile = join(workspaceDir, 'dist', 'main.js');
const outDir = dirname(outfile);
if (!existsSync(entryPoint)) {
  console.error(`build-service: ${entryPoint} does not exist (run it in a service workspace)`);
  process.exit(2);
}

const WORKSPACE_SCOPE = '@sky/';
const bareImport = /^[^./]/;

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
const packageNameOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** Whether Node, resolving from the bundle's folder, finds package `name` in a node_modules above it. */
function installedFromBundle(name: string): boolean {
  for (let dir = outDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return true;
    if (dirname(dir) === dir) return false;
  }
}

/**
 * Keeps npm packages and Node built-ins out of the bundle. A package that only a workspace's own
 * node_modules holds would not be found from `dist/` at run time, so the build fails on it now.
 */
const externalPackages: Plugin = {
  name: 'external-npm-packages',
  setup(esbuild) {
    esbuild.onResolve({ filter: bareImport }, (args) => {
      if (args.path.startsWith(WORKSPACE_SCOPE)) return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      const name = packageNameOf(args.path);
      if (!installedFromBundle(name)) {
        return {
          errors: [
            {
              text: `${name} (imported by ${relative(workspaceDir, args.importer)}) is not installed where ${relative(workspaceDir, outDir)}/ can load it; hoist it to the root node_modules`,
            },
          ],
        };
      }
      return { path: args.path, external: true };
    });
  },
};

const IMPORT_META = /\bimport\.meta\.(dirname|filename|url)\b/g;
/** Helpers the banner defines: each takes a source file's path relative to the bundle. */
const SOURCE_HELPER = {
  url: '__skySourceUrl',
  filename: '__skySourceFile',
  dirname: '__skySourceDir',
};

/** Gives each bundled module its source file's location (see the comment at the top). */
const sourceLocations: Plugin = {
  name: 'source-locations',
  setup(esbuild) {
    esbuild.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.split(sep).includes('node_modules')) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.')) return { contents: source, loader: 'ts' };
      const fromBundle = JSON.stringify(relative(outDir, args.path).split(sep).join('/'));
      const contents = source.replace(
        IMPORT_META,
        (_match, property: keyof typeof SOURCE_HELPER) =>
          `${SOURCE_HELPER[property]}(${fromBundle})`,
      );
      return { contents, loader: 'ts' };
    });
  },
};

const banner = `import { fileURLToPath as __skyFileURLToPath } from 'node:url';
import { dirname as __skyDirname } from 'node:path';
const ${SOURCE_HELPER.url} = (path) => new URL(path, import.meta.url).href;
const ${SOURCE_HELPER.filename} = (path) => __skyFileURLToPath(${SOURCE_HELPER.url}(path));
const ${SOURCE_HELPER.dirname} = (path) => __skyDirname(${SOURCE_HELPER.filename}(path));`;

const started = Date.now();
await build({
  entryPoints: [entryPoint],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  sourcemap: 'linked',
  // Bundling renames clashing top-level names; error and class names in logs must stay true.
  keepNames: true,
  logLevel: 'warning',
  banner: { js: banner },
  plugins: [externalPackages, sourceLocations],
});
const kib = Math.round(statSync(outfile).size / 1024);
console.log(`built ${relative(process.cwd(), outfile)} (${kib} KiB) in ${Date.now() - started} ms`);
