import { PGlite } from '@electric-sql/pglite';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Prisma's own schema engine, compiled to WebAssembly, driven through PGlite. It produces the
 * same migration SQL as `prisma migrate dev` without the native engine binary, which cannot be
 * downloaded on our machines. Node refuses the package's ESM entry (it imports a .wasm file), so
 * the wasm-bindgen glue is loaded and instantiated by hand.
 */

type DiffTarget =
  | { tag: 'empty' }
  | { tag: 'schemaDatamodel'; files: { path: string; content: string }[] }
  | { tag: 'schemaDatasource'; files: { path: string; content: string }[]; configDir: string };

interface SchemaEngine {
  diff(params: {
    from: DiffTarget;
    to: DiffTarget;
    script: boolean;
    exitCode: boolean | null;
    shadowDatabaseUrl: string | null;
    filters: { externalTables: string[]; externalEnums: string[] };
  }): Promise<{ exitCode: number; stdout: string | null }>;
}

/** The few WebAssembly calls used here (Node's type definitions for Node 20 do not declare them). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: Record<string, unknown>,
  ) => {
    exports: Record<string, unknown>;
  };
}
const { WebAssembly } = globalThis as unknown as { WebAssembly: WasmApi };

type EngineGlue = Record<string, unknown> & {
  __wbg_set_wasm(exports: Record<string, unknown>): void;
  SchemaEngine: { new: (...args: unknown[]) => Promise<SchemaEngine> };
};

/** The wasm module is instantiated once per process; a second instantiation panics. */
let glue: Promise<EngineGlue> | null = null;

async function instantiateGlue(): Promise<EngineGlue> {
  // The wasm build reports Rust panics through this global; without it a panic hides its message.
  (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message(message: string) {
      throw new Error(`Prisma schema engine panicked: ${message}`);
    },
  };
  const gluePath = createRequire(import.meta.url).resolve(
    '@prisma/schema-engine-wasm/schema_engine_bg',
  );
  const bg = (await import(gluePath)) as EngineGlue;
  const module = new WebAssembly.Module(
    readFileSync(join(dirname(gluePath), 'schema_engine_bg.wasm')),
  );
  const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': bg });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return bg;
}

async function loadEngine(pglite: PGlite, datamodel: [string, string]): Promise<SchemaEngine> {
  glue ??= instantiateGlue();
  const bg = await glue;
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(pglite));
  return bg.SchemaEngine.new({ datamodels: [datamodel] }, () => {}, adapter);
}

/**
 * The SQL that takes a database holding `appliedSql` (all existing migrations, in order) to the
 * datamodel in `schemaPath`. Empty string when nothing changes.
 */
export async function diffSchema(schemaPath: string, appliedSql: string[]): Promise<string> {
  const pglite = new PGlite();
  try {
    for (const sql of appliedSql) await pglite.exec(sql);
    const content = readFileSync(schemaPath, 'utf8');
    const engine = await loadEngine(pglite, [schemaPath, content]);
    const files = [{ path: schemaPath, content }];
    const result = await engine.diff({
      from:
        appliedSql.length === 0
          ? { tag: 'empty' }
          : { tag: 'schemaDatasource', files, configDir: dirname(schemaPath) },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: null,
      shadowDatabaseUrl: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const sql = result.stdout ?? '';
    return sql.includes('This is an empty migration') ? '' : sql;
  } finally {
    await pglite.close();
  }
}
