import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './connection.ts';
import { migrate } from './migrations.ts';
import { prepareFromTemplate, subgraphTemplateKey } from './pglite-template.ts';

const scratch = mkdtempSync(join(tmpdir(), 'sky-template-test-'));
const migrationsDir = join(scratch, 'migrations');
const templateRoot = join(scratch, 'templates');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function addMigration(name: string, sql: string) {
  mkdirSync(join(migrationsDir, name), { recursive: true });
  writeFileSync(join(migrationsDir, name, 'migration.sql'), sql);
}

let migrateCalls = 0;
const prepare = (dataDir: string) =>
  prepareFromTemplate('probe', migrationsDir, dataDir, templateRoot, async (dir) => {
    migrateCalls++;
    const database = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      await migrate(database, migrationsDir);
    } finally {
      await database.close();
    }
  });

async function tablesIn(dataDir: string): Promise<string[]> {
  const database = await openDatabase({ kind: 'pglite', dataDir });
  try {
    return await database.withSession(async (session) =>
      (
        await session.query<{ tablename: string }>(
          "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
        )
      ).map((row) => row.tablename),
    );
  } finally {
    await database.close();
  }
}

// Each PGlite start is seconds of synchronous WebAssembly; a loaded machine needs the margin.
describe('PGlite data-directory templates', () => {
  it('builds the template once, then copies it into every new data directory', async () => {
    addMigration('20260101000000_first', 'CREATE TABLE first_table (id int PRIMARY KEY);');
    expect(await prepare(join(scratch, 'a'))).toBe('built');
    expect(await prepare(join(scratch, 'b'))).toBe('copied');
    expect(migrateCalls).toBe(1);
    expect(await tablesIn(join(scratch, 'b'))).toEqual(['_prisma_migrations', 'first_table']);
    // A directory that already holds a database is left alone.
    expect(await prepare(join(scratch, 'b'))).toBe('existing');
  }, 240_000);

  it('never uses a template of other migrations: a new migration means a new key', async () => {
    const before = subgraphTemplateKey('probe', migrationsDir);
    addMigration('20260102000000_second', 'CREATE TABLE second_table (id int PRIMARY KEY);');
    const after = subgraphTemplateKey('probe', migrationsDir);
    expect(after).not.toBe(before);
    expect(await prepare(join(scratch, 'c'))).toBe('built');
    expect(await tablesIn(join(scratch, 'c'))).toEqual([
      '_prisma_migrations',
      'first_table',
      'second_table',
    ]);
    // The template of the old migrations is gone; the shared base cluster stays.
    const left = readdirSync(templateRoot).sort();
    expect(left).toEqual([`base-${left[0]!.slice(5)}`, `probe-${after}`].sort());
  }, 240_000);

  it('changes the key when a migration is edited, not only when one is added', () => {
    const before = subgraphTemplateKey('probe', migrationsDir);
    addMigration('20260102000000_second', 'CREATE TABLE second_table (id bigint PRIMARY KEY);');
    expect(subgraphTemplateKey('probe', migrationsDir)).not.toBe(before);
  });
});
