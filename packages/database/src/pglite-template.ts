import { PGlite } from '@electric-sql/pglite';
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readMigrations } from './migrations.ts';

/**
 * Prepared PGlite data directories, so a new embedded database is a file copy instead of
 * PostgreSQL's initdb (synchronous WebAssembly, seconds per database) followed by every
 * migration.
 *
 * Two layers under one template root (a cache directory, never committed):
 * - `base-<key>`: an empty cluster straight from initdb, shared by every subgraph; keyed by the
 *   PGlite version and the start parameters.
 * - `<subgraph>-<key>`: the base with the subgraph's migrations applied; keyed by the base key and
 *   the name and content of every migration file.
 * A template is derived only from those inputs and written by this code, never by hand. When a
 * migration is added or edited, or PGlite changes, the key changes, so a stale template is never
 * used: the next start builds the new one (and removes the subgraph's older ones). Demo data is
 * not in the template: its timestamps are relative to the day it is seeded.
 *
 * Templates are built in a private temporary directory and renamed into place, so concurrent
 * processes (parallel tests) never see a half-written one; the loser of a race drops its copy.
 */

/**
 * PostgreSQL settings for an embedded database: one developer's data, one connection. The
 * default `shared_buffers = 128MB` costs each of the five instances about 197 MiB of process
 * memory; 16MB keeps the demo's working set in memory with room to spare.
 */
export const PGLITE_SETTINGS = ['shared_buffers=16MB', 'work_mem=4MB', 'maintenance_work_mem=16MB'];

/** PGlite's default start parameters followed by `PGLITE_SETTINGS`. */
export const pgliteStartParams = (): string[] => [
  ...PGlite.defaultStartParams,
  ...PGLITE_SETTINGS.flatMap((setting) => ['-c', setting]),
];

const pgliteVersion = (() => {
  // Its package.json is not exported; it sits one folder above the entry point (dist/).
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const manifest = join(dirname(entry), '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
})();

const digest = (...parts: string[]) =>
  createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);

/** The key of the empty cluster: what initdb produces depends only on PGlite and its settings. */
export const baseTemplateKey = () => digest('base', pgliteVersion, ...pgliteStartParams());

/** The key of a subgraph's migrated template. */
export function subgraphTemplateKey(subgraph: string, migrationsDir: string): string {
  const migrations = readMigrations(migrationsDir).flatMap((m) => [m.name, m.checksum]);
  return digest(subgraph, baseTemplateKey(), ...migrations);
}

const isCluster = (dir: string) => existsSync(join(dir, 'PG_VERSION'));

/** Opens PGlite on `dataDir` with the embedded settings (initdb when it is empty). */
export async function openPGlite(dataDir: string | undefined): Promise<PGlite> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite(dataDir, { startParams: pgliteStartParams() });
  await pglite.waitReady;
  return pglite;
}

/** Builds `finalDir` with `fill(tempDir)` then renames it into place (first writer wins). */
async function publish(finalDir: string, fill: (dir: string) => Promise<void>): Promise<void> {
  const temp = `${finalDir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fill(temp);
    renameSync(temp, finalDir);
  } catch (error) {
    // Someone else published it first: theirs is as good as ours.
    if (!isCluster(finalDir)) throw error;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/** Base clusters being built by this process, so subgraphs opening at once share one initdb. */
const basesInProgress = new Map<string, Promise<string>>();

/** The empty cluster, built once per key. */
function baseTemplate(templateRoot: string): Promise<string> {
  const dir = join(templateRoot, `base-${baseTemplateKey()}`);
  let pending = basesInProgress.get(dir);
  if (!pending) {
    pending = (async () => {
      if (!isCluster(dir)) {
        await publish(dir, async (temp) => {
          const pglite = await openPGlite(temp);
          await pglite.close();
        });
      }
      return dir;
    })();
    basesInProgress.set(dir, pending);
    // Forget it once settled: a later call checks the directory again (and retries a failure).
    void pending.then(
      () => basesInProgress.delete(dir),
      () => basesInProgress.delete(dir),
    );
  }
  return pending;
}

/**
 * Fills an empty `dataDir` from the subgraph's migrated template, building the template first
 * when there is none for the current key: `migrateAt` opens a fresh copy of the base cluster,
 * applies the migrations and closes it. Does nothing when `dataDir` already holds a database.
 */
export async function prepareFromTemplate(
  subgraph: string,
  migrationsDir: string,
  dataDir: string,
  templateRoot: string,
  migrateAt: (dataDir: string) => Promise<void>,
): Promise<'existing' | 'copied' | 'built'> {
  if (isCluster(dataDir)) return 'existing';
  const key = subgraphTemplateKey(subgraph, migrationsDir);
  const template = join(templateRoot, `${subgraph}-${key}`);
  let outcome: 'copied' | 'built' = 'copied';
  if (!isCluster(template)) {
    outcome = 'built';
    const base = await baseTemplate(templateRoot);
    await publish(template, async (temp) => {
      cpSync(base, temp, { recursive: true });
      await migrateAt(temp);
    });
    // Older templates of this subgraph belong to migrations that no longer exist.
    for (const entry of readdirSync(templateRoot)) {
      if (entry.startsWith(`${subgraph}-`) && !entry.startsWith(`${subgraph}-${key}`)) {
        rmSync(join(templateRoot, entry), { recursive: true, force: true });
      }
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
  cpSync(template, dataDir, { recursive: true });
  return outcome;
}
