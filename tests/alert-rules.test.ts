import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The Prometheus alert rules (deploy/prometheus/alerts.yml) are checked and unit-tested with
 * promtool, from Debian's `prometheus` package (CI installs it). A missing promtool fails these
 * tests: the rules are never shipped untested.
 */
const run = promisify(execFile);
const directory = join(import.meta.dirname, '..', 'deploy', 'prometheus');

const promtool = (...args: string[]) =>
  run('promtool', args, { cwd: directory }).catch(
    (error: NodeJS.ErrnoException & { stdout?: string; stderr?: string }) => {
      if (error.code === 'ENOENT') {
        throw new Error('promtool is missing: apt-get install prometheus (Debian) provides it');
      }
      throw new Error(
        `promtool ${args.join(' ')} failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`,
      );
    },
  );

describe('alert rules', () => {
  it('pass promtool check rules', async () => {
    const { stdout } = await promtool('check', 'rules', 'alerts.yml');
    expect(stdout).toContain('SUCCESS');
  });

  it('pass their unit tests (one firing and one quiet case per alert)', async () => {
    const { stdout } = await promtool('test', 'rules', 'alerts.test.yml');
    expect(stdout).toContain('SUCCESS');
  });

  it('have a unit test for every alert', async () => {
    const { readFile } = await import('node:fs/promises');
    const rules = await readFile(join(directory, 'alerts.yml'), 'utf8');
    const tests = await readFile(join(directory, 'alerts.test.yml'), 'utf8');
    const alerts = [...rules.matchAll(/- alert: (\w+)/g)].map((m) => m[1]!);
    expect(alerts.length).toBeGreaterThanOrEqual(7);
    for (const alert of alerts) {
      // A firing case names the alert with expected alerts; a quiet one with none.
      expect(tests, alert).toMatch(new RegExp(`alertname: ${alert}\\n\\s+exp_alerts: \\[\\]`));
      expect(tests, alert).toMatch(new RegExp(`alertname: ${alert}\\n\\s+exp_alerts:\\n`));
    }
  });

  it('and the Grafana dashboard ask Prometheus only valid PromQL', async () => {
    const dashboard = JSON.parse(
      readFileSync(
        join(import.meta.dirname, '..', 'deploy', 'grafana', 'dashboards', 'golden-signals.json'),
        'utf8',
      ),
    ) as { panels: { targets?: { expr: string }[] }[] };
    // Grafana's variables made concrete, each query a recording rule promtool parses.
    const rules = dashboard.panels
      .flatMap((panel) => panel.targets ?? [])
      .map((target, i) => ({
        record: `dashboard:query_${i}`,
        expr: target.expr.replaceAll('$__rate_interval', '5m').replaceAll('$service', '.*'),
      }));
    expect(rules.length).toBeGreaterThan(10);
    const directory = mkdtempSync(join(tmpdir(), 'dashboard-queries-'));
    try {
      const file = join(directory, 'queries.yml');
      writeFileSync(file, JSON.stringify({ groups: [{ name: 'dashboard', rules }] }));
      const { stdout } = await promtool('check', 'rules', file);
      expect(stdout).toContain(`SUCCESS: ${rules.length} rules found`);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
