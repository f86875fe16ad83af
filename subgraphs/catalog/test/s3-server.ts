import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A free TCP port on the loopback interface (s3rver's CLI cannot report the one it took). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  /** The environment that points the catalog's image store at this server. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * s3rver (the S3-compatible server the npm registry has; MinIO is in neither registry here) in
 * its own process with its own data directory and one bucket. It speaks the S3 API over HTTP,
 * presigned POST forms included, but does not enforce a POST policy (size range, expiry) nor
 * check V4 signatures: the tests show the platform's own checks at confirmation refuse what
 * such a store lets through (docs/architecture.md, section 12.2).
 */
export async function startS3Server(): Promise<S3TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'sky-s3rver-'));
  const port = await freePort();
  const bucket = 'sky-images';
  const require = createRequire(import.meta.url);
  const bin = join(dirname(require.resolve('s3rver/package.json')), 'bin', 's3rver.js');
  const child: ChildProcess = spawn(
    process.execPath,
    [bin, '-d', directory, '-a', '127.0.0.1', '-p', String(port), '--configure-bucket', bucket],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  // Generous: a loaded CI machine takes a while to start a Node process.
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      const answer = await fetch(`${endpoint}/${bucket}`);
      await answer.arrayBuffer();
      if (answer.status < 500) break;
    } catch {
      // Not listening yet.
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`s3rver did not start: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    endpoint,
    bucket,
    env: {
      IMAGE_STORE: 's3',
      S3_ENDPOINT: endpoint,
      S3_BUCKET: bucket,
      S3_REGION: 'us-east-1',
      // s3rver's built-in account.
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
