import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { preview } from 'vite';

const WEB_ROOT = join(import.meta.dirname, '..', '..', 'clients', 'web');
const VITE_CLI = join(
  dirname(createRequire(import.meta.url).resolve('vite/package.json')),
  'bin',
  'vite.js',
);

export interface ServedWebApp {
  /** Where the page is served, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Builds the example web app for production (as a frontend team ships it) into `outDir` and
 * serves it with Vite's preview server on a random port: an origin of its own, other than the
 * gateway's, so every request the page makes is cross-origin.
 */
export async function buildAndServeWebApp(outDir: string): Promise<ServedWebApp> {
  // `vite build` in a process of its own: Vite and the React plugin read NODE_ENV from the
  // environment, which Vitest sets to `test`, and users get the production build.
  await promisify(execFile)(
    process.execPath,
    [
      VITE_CLI,
      'build',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--sourcemap',
      'false',
      '--logLevel',
      'warn',
    ],
    { cwd: WEB_ROOT, env: { ...process.env, NODE_ENV: 'production' } },
  );
  const server = await preview({
    root: WEB_ROOT,
    configFile: join(WEB_ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('the preview server reported no address');
  return { url, close: () => server.close() };
}
