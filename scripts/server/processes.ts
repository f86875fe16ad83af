import type { Env } from '@sky/config';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { root } from './settings.ts';

export interface ServiceProcess {
  label: string;
  child: ChildProcess;
  /** Resolves once the readiness probe passes; rejects if the process exits before. */
  ready: Promise<void>;
  /** The exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Where a service says it is ready: its readiness check, which answers 200. The payment sandbox
 * has none, so any HTTP answer from it (a 404 for an unknown payment) means it is listening.
 */
export const readinessProbe = (service: string) =>
  service === 'gateway'
    ? { path: '/health', anyAnswer: false }
    : service === 'payment-sandbox'
      ? { path: '/v1/payments', anyAnswer: true }
      : { path: '/health/ready', anyAnswer: false };

/**
 * Runs a built bundle with the Node running this script (the project's Node 24), every line of
 * its output prefixed with `label` (on `output`, stdout by default). Readiness is polled on
 * `probe.url` rather than read from the logs, which LOG_LEVEL may silence.
 */
export function startService(
  label: string,
  bundle: string,
  env: Env,
  probe: { url: string; anyAnswer: boolean },
  output: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): ServiceProcess {
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\` first`);
  const child = spawn(process.execPath, [bundle], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => output(`${label.padEnd(16)}| ${line}`));
  }
  let gone = false;
  void exited.then(() => (gone = true));
  const ready = (async () => {
    while (!gone) {
      const status = await fetch(probe.url, { signal: AbortSignal.timeout(2000) }).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200 || (probe.anyAnswer && status > 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${label} exited (${await exited}) before it was ready`);
  })();
  // Whoever waits on `ready` sees the failure; an unwatched one must not crash the launcher.
  ready.catch(() => {});
  return {
    label,
    child,
    ready,
    exited,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
