import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, appendFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  diffSchema,
  migrate,
  MigrationError,
  migrationsDirOf,
  openDatabase,
  readMigrations,
} from '@sky/database';
import { createTestDatabase, SUBGRAPH_NAMES, type TestDatabase } from '@sky/testkit';

const created: TestDatabase[] = [];
async function freshDatabase(kind: Parameters<typeof createTestDatabase>[0]) {
  const db = await createTestDatabase(kind);
  created.push(db);
  return db;
}
afterAll(async () => {
  for (const db of created) await db.drop();
});

/**
 * The schema as PostgreSQL itself describes it, without the migration bookkeeping. Column order
 * is not schema (a later migration's ADD COLUMN appends), so columns are compared as a set.
 */
function schemaDump(url: string): string {
  const dump = execFileSync(
    'pg_dump',
    ['--schema-only', '--no-owner', '--no-privileges', '--exclude-table=_prisma_migrations', url],
    { encoding: 'utf8' },
  );
  const lines = dump
    .split('\n')
    // pg_dump 15.14+ brackets the dump with random \restrict keys; they are not schema.
    .filter((line) => line.trim() !== '' && !/^(--|SET |\\(un)?restrict )/.test(line));
  return lines
    .join('\n')
    .replace(
      /(CREATE TABLE [^(]+\(\n)([\s\S]*?)(\n\);)/g,
      (_match, head: string, body: string, tail: string) => {
        const columns = body
          .split('\n')
          .map((line) => line.replace(/,$/, ''))
          .sort();
        return head + columns.join('\n') + tail;
      },
    );
}

describe('migrations match schema.prisma (drift check)', () => {
  for (const subgraph of SUBGRAPH_NAMES) {
    it(`${subgraph}: applying every migration gives the schema Prisma derives from schema.prisma`, async () => {
      const migrated = await freshDatabase(subgraph);
      const fromDatamodel = await freshDatabase('empty');
      const sql = await diffSchema(join(migrationsDirOf(subgraph), '..', 'schema.prisma'), []);
      const database = await openDatabase({
        kind: 'postgres',
        url: fromDatamodel.url,
        poolSize: 1,
      });
      try {
        await database.withSession((session) => session.exec(sql));
      } finally {
        await database.close();
      }
      expect(schemaDump(migrated.url)).toEqual(schemaDump(fromDatamodel.url));
    });
  }
});

describe('migration runner', () => {
  it('records migrations the way Prisma does and applies each only once', async () => {
    const target = await freshDatabase('empty');
    const database = await openDatabase({ kind: 'postgres', url: target.url, poolSize: 2 });
    try {
      const expected = readMigrations(migrationsDirOf('user'));
      expect(await migrate(database, migrationsDirOf('user'))).toEqual(expected.map((m) => m.name));
      const rows = await database.withSession((s) =>
        s.query<{
          migration_name: string;
          checksum: string;
          finished_at: Date | null;
          applied_steps_count: number;
        }>(
          'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
        ),
      );
      expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(
        expected.map((m) => [m.name, m.checksum]),
      );
      expect(rows.every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);
      expect(await migrate(database, migrationsDirOf('user'))).toEqual([]);
    } finally {
      await database.close();
    }
  });

  it('refuses a migration that was edited after it was applied', async () => {
    const target = await freshDatabase('empty');
    const copy = mkdtempSync(join(tmpdir(), 'sky-migrations-'));
    cpSync(migrationsDirOf('user'), copy, { recursive: true });
    const database = await openDatabase({ kind: 'postgres', url: target.url, poolSize: 1 });
    try {
      await migrate(database, copy);
      const first = readdirSync(copy)
        .filter((n) => !n.endsWith('.toml'))
        .sort()[0]!;
      appendFileSync(join(copy, first, 'migration.sql'), '\n-- edited\n');
      await expect(migrate(database, copy)).rejects.toBeInstanceOf(MigrationError);
    } finally {
      await database.close();
    }
  });

  it('leaves nothing behind when a migration fails', async () => {
    const target = await freshDatabase('empty');
    const dir = mkdtempSync(join(tmpdir(), 'sky-migrations-'));
    cpSync(migrationsDirOf('user'), dir, { recursive: true });
    const broken = join(dir, '99990101000000_broken');
    cpSync(
      join(
        dir,
        readdirSync(dir)
          .filter((n) => !n.endsWith('.toml'))
          .sort()[0]!,
      ),
      broken,
      {
        recursive: true,
      },
    );
    execFileSync('sh', [
      '-c',
      `printf 'CREATE TABLE half_done (id int);\\nSELECT * FROM missing_table;\\n' > ${broken}/migration.sql`,
    ]);
    const database = await openDatabase({ kind: 'postgres', url: target.url, poolSize: 1 });
    try {
      await expect(migrate(database, dir)).rejects.toBeInstanceOf(MigrationError);
      const leftovers = await database.withSession((s) =>
        s.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'"),
      );
      expect(leftovers).toHaveLength(0);
      const recorded = await database.withSession((s) =>
        s.query(
          `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '99990101000000_broken'`,
        ),
      );
      expect(recorded).toHaveLength(0);
    } finally {
      await database.close();
    }
  });
});
