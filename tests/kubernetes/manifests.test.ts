/**
 * CI's check of deploy/k8s: every overlay renders with kustomize, every object it produces is
 * valid against the Kubernetes schemas, and every workload passes the policy check. Then the
 * check itself is shown to bite: a deliberately broken manifest fails it, rule by rule.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  kustomizeBuild,
  OVERLAYS,
  policyViolations,
  renderOverlay,
  schemaProblems,
  type KubernetesObject,
} from './manifests.ts';

const SUBGRAPHS = ['user', 'catalog', 'order', 'payment', 'delivery'];
const SERVICES = ['gateway', ...SUBGRAPHS];

interface IngressSpec {
  rules: { http: { paths: { backend: { service: { name: string } } }[] } }[];
}

const named = (objects: KubernetesObject[], kind: string) =>
  new Map(objects.filter((o) => o.kind === kind).map((o) => [o.metadata.name, o]));

describe.each(OVERLAYS)('overlay %s', (overlay) => {
  let objects: KubernetesObject[];
  beforeAll(async () => {
    objects = await renderOverlay(overlay);
  });

  it('renders, and every object is valid against the Kubernetes schemas', async () => {
    expect(objects.length).toBeGreaterThan(30);
    expect(await schemaProblems(objects)).toEqual([]);
  });

  it('passes the policy check (limits, probes, non-root, read-only, no escalation)', () => {
    expect(policyViolations(objects)).toEqual([]);
  });

  it('gives every stateless service a Deployment, Service, autoscaler and disruption budget', () => {
    const hpas = named(objects, 'HorizontalPodAutoscaler');
    for (const kind of [
      'Deployment',
      'Service',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
    ]) {
      expect([...named(objects, kind).keys()], kind).toEqual(expect.arrayContaining(SERVICES));
    }
    for (const service of SERVICES) {
      const metrics = (hpas.get(service)!.spec as { metrics: { type: string; pods?: unknown }[] })
        .metrics;
      expect(metrics.map((m) => m.type)).toEqual(expect.arrayContaining(['Resource', 'Pods']));
      expect(JSON.stringify(metrics)).toContain('sky_http_requests_in_flight');
    }
  });

  it('migrates each subgraph in a Job of its own, with `main.js migrate`', () => {
    const jobs = named(objects, 'Job');
    for (const subgraph of SUBGRAPHS) {
      const job = jobs.get(`${subgraph}-migrate`);
      expect(JSON.stringify(job?.spec)).toContain(
        `["node","subgraphs/${subgraph}/dist/main.js","migrate"]`,
      );
    }
  });

  it('exposes the gateway only, with WebSocket timeouts', () => {
    const ingresses = [...named(objects, 'Ingress').values()];
    const backends = ingresses.flatMap((ingress) =>
      (ingress.spec as IngressSpec).rules.flatMap((rule) =>
        rule.http.paths.map((path) => path.backend.service.name),
      ),
    );
    expect(new Set(backends)).toEqual(new Set(['gateway']));
    const timeout =
      ingresses[0]!.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-read-timeout'];
    expect(Number(timeout)).toBeGreaterThanOrEqual(3600);
  });
});

describe('what differs between the overlays', () => {
  let dev: KubernetesObject[];
  let prod: KubernetesObject[];
  beforeAll(async () => {
    [dev, prod] = await Promise.all([renderOverlay('dev'), renderOverlay('prod')]);
  });

  it('runs the payment sandbox and the state (PostgreSQL per subgraph, Redis) in dev only', () => {
    expect(named(dev, 'Deployment').has('payment-sandbox')).toBe(true);
    expect(named(prod, 'Deployment').has('payment-sandbox')).toBe(false);
    expect([...named(dev, 'StatefulSet').keys()].sort()).toEqual(
      [...SUBGRAPHS.map((s) => `${s}-postgres`), 'redis'].sort(),
    );
    expect(named(prod, 'StatefulSet').size).toBe(0);
  });

  it('keeps secrets out of prod (created by the operator) and generates them in dev', () => {
    expect(named(prod, 'Secret').size).toBe(0);
    expect(named(dev, 'Secret').size).toBeGreaterThan(0);
  });

  it('lets each dev database accept its own subgraph only', () => {
    const policies = named(dev, 'NetworkPolicy');
    for (const subgraph of SUBGRAPHS) {
      const spec = policies.get(`${subgraph}-postgres`)!.spec as {
        ingress: { from: { podSelector: { matchLabels: Record<string, string> } }[] }[];
      };
      const peers = spec.ingress.flatMap((rule) => rule.from.map((peer) => peer.podSelector));
      expect(peers).toEqual([{ matchLabels: { 'app.kubernetes.io/name': subgraph } }]);
    }
  });
});

describe("the dev overlay's secrets", () => {
  it('are written by make-secrets.sh from what `npm run keys` makes, and reach the pods', async () => {
    const password = (name: string) => `${name}-password-0123456789abcdef`;
    const objects = await renderOverlay('dev', async (root) => {
      // What `npm run keys` writes (.env and .secrets/), in the copy's root.
      mkdirSync(join(root, '.secrets'));
      writeFileSync(join(root, '.secrets', 'jwt-public.pem'), 'PUBLIC KEY');
      writeFileSync(join(root, '.secrets', 'jwt-private.pem'), 'PRIVATE KEY');
      writeFileSync(
        join(root, '.env'),
        [
          'INTERNAL_API_TOKEN=internal-token',
          'PAYMENT_WEBHOOK_SECRET=webhook-secret',
          ...SUBGRAPHS.map((name) => `${name.toUpperCase()}_DB_PASSWORD=${password(name)}`),
        ].join('\n'),
      );
      const script = join(root, 'deploy', 'k8s', 'overlays', 'dev', 'make-secrets.sh');
      await promisify(execFile)('bash', [script]);
    });
    const secrets = [...named(objects, 'Secret').values()] as (KubernetesObject & {
      data: Record<string, string>;
    })[];
    const value = (prefix: string, key: string) => {
      const secret = secrets.find((s) => s.metadata.name.startsWith(`${prefix}-`))!;
      return Buffer.from(secret.data[key]!, 'base64').toString();
    };
    expect(value('sky-internal-api', 'INTERNAL_API_TOKEN')).toBe('internal-token');
    expect(value('sky-jwt-private', 'jwt-private.pem')).toBe('PRIVATE KEY');
    for (const name of SUBGRAPHS) {
      expect(value(`sky-${name}-database`, 'DATABASE_URL')).toBe(
        `postgres://sky_${name}:${password(name)}@${name}-postgres:5432/sky_${name}`,
      );
      expect(value(`sky-${name}-database`, 'POSTGRES_PASSWORD')).toBe(password(name));
    }
    // Only the user subgraph's pods mount the signing key.
    const mounting = [...named(objects, 'Deployment').values()].filter((d) =>
      JSON.stringify(d.spec).includes('sky-jwt-private'),
    );
    expect(mounting.map((d) => d.metadata.name)).toEqual(['user']);
  });
});

describe('the check itself', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sky-k8s-broken-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Renders one manifest through kustomize, as the overlays are. */
  async function render(manifest: string): Promise<KubernetesObject[]> {
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [broken.yaml]\n');
    writeFileSync(join(dir, 'broken.yaml'), manifest);
    return kustomizeBuild(dir);
  }

  it('fails a container without limits, probes or a non-root user', async () => {
    const objects = await render(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: careless }
spec:
  selector: { matchLabels: { app: careless } }
  template:
    metadata: { labels: { app: careless } }
    spec:
      containers:
        - name: app
          image: sky-takeout
          resources: { requests: { cpu: 100m, memory: 64Mi } }
`);
    expect(await schemaProblems(objects)).toEqual([]);
    expect(policyViolations(objects)).toEqual([
      'Deployment/careless app: no cpu limits',
      'Deployment/careless app: no memory limits',
      'Deployment/careless app: no readiness probe',
      'Deployment/careless app: no liveness probe',
      'Deployment/careless app: may run as root (runAsNonRoot)',
      'Deployment/careless app: allows privilege escalation',
      'Deployment/careless app: root file system is writable',
      'Deployment/careless app: keeps Linux capabilities (drop ALL)',
    ]);
  });

  it('fails an explicit root user even with runAsNonRoot, and an init container too', async () => {
    const objects = await render(`
apiVersion: batch/v1
kind: Job
metadata: { name: rooted }
spec:
  template:
    spec:
      restartPolicy: Never
      securityContext: { runAsNonRoot: true, runAsUser: 0 }
      initContainers:
        - name: setup
          image: sky-takeout
      containers:
        - name: task
          image: sky-takeout
          resources:
            requests: { cpu: 100m, memory: 64Mi }
            limits: { cpu: 100m, memory: 64Mi }
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
`);
    const violations = policyViolations(objects);
    expect(violations).toContain('Job/rooted task: may run as root (runAsNonRoot)');
    expect(violations).toContain('Job/rooted setup: no memory limits');
    // A Job runs to completion: probes are not asked of it.
    expect(violations.some((v) => v.includes('probe'))).toBe(false);
  });

  it('fails an object that breaks the schema, and one of a kind it has no schema for', async () => {
    const objects = await render(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: typo }
spec:
  replicas: two
  selector: { matchLabels: { app: typo } }
  template:
    metadata: { labels: { app: typo } }
    spec:
      containers: [{ name: app, image: sky-takeout }]
---
apiVersion: example.com/v1
kind: Unheard
metadata: { name: stranger }
`);
    const problems = await schemaProblems(objects);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^Deployment\/typo: .*replicas/);
    expect(problems[1]).toBe('Unheard/stranger: no schema for example.com/v1 Unheard');
  });
});
