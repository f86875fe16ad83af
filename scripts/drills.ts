/**
 * Runs the failure drills (tests/drills/; docs/architecture.md, "Failure drills") and prints one
 * table: per drill the orders placed, what was lost or applied twice, the recovery time and the
 * error codes clients saw during the outage. The drills start the built services, so this builds
 * first.
 *   npm run drills
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DrillResult } from '../tests/drills/harness.ts';

const root = join(import.meta.dirname, '..');
const run = (command: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(command, args, { cwd: root, stdio: 'inherit', env }).status ?? 1;

if (run('npm', ['run', 'build', '--silent']) !== 0) process.exit(1);
const reportDir = mkdtempSync(join(tmpdir(), 'sky-drills-'));
const reportFile = join(reportDir, 'results.jsonl');
const status = run('npx', ['vitest', 'run', 'tests/drills'], {
  ...process.env,
  DRILLS_REPORT_FILE: reportFile,
});

let results: DrillResult[] = [];
try {
  results = readFileSync(reportFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as DrillResult);
} catch {
  // No drill got as far as its report: the table is empty and vitest said why.
}
rmSync(reportDir, { recursive: true, force: true });

const codes = (seen: Record<string, number>) =>
  Object.entries(seen)
    .map(([code, count]) => `${code} ×${count}`)
    .join(', ') || 'none';
const rows = results.map((result) => [
  result.drill,
  String(result.orders),
  String(result.lost.length),
  String(result.duplicated.length),
  result.recoverySeconds.toFixed(1),
  result.restoreSeconds.toFixed(1),
  codes(result.outageCodes),
]);
const header = [
  'drill',
  'orders',
  'lost',
  'duplicated',
  'recovery (s)',
  'of which restart (s)',
  'codes seen during the outage',
];
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => row[column]!.length)),
);
const line = (cells: string[]) =>
  `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
console.log(`\nFailure drills, ${new Date().toISOString().slice(0, 10)}\n`);
console.log(line(header));
console.log(line(widths.map((width) => '-'.repeat(width))));
for (const row of rows) console.log(line(row));
console.log('\nCodes per request during the outage:');
for (const result of results) console.log(`- ${result.drill}: ${codes(result.outageCodesByField)}`);
process.exit(status);
