import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  booleanFlag,
  ConfigError,
  loadSubgraphConfig,
  parseEnv,
  positiveInt,
  z,
  type Env,
} from '@sky/config';

export type CatalogSubgraphConfig = ReturnType<typeof loadConfig>;

/** An S3-compatible bucket (AWS S3, MinIO) holding the images (docs/architecture.md, 12.2). */
export interface S3ImageStoreSettings {
  kind: 's3';
  /** The API endpoint the service calls (`http://minio:9000`); null means AWS's own. */
  endpoint: string | null;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style addressing (`endpoint/bucket/key`), which MinIO and test servers need. */
  forcePathStyle: boolean;
  /**
   * Where browsers reach the bucket (`https://cdn.example/sky-images`): upload forms are posted
   * there and image URLs start with it.
   */
  publicUrl: string;
}

/** A directory of this machine, written by the upload endpoint and served by the subgraph. */
export interface FileImageStoreSettings {
  kind: 'fs';
  directory: string;
  /** Where browsers reach this subgraph; null means its own listener (`http://127.0.0.1:port`). */
  publicUrl: string | null;
}

export type ImageStoreSettings = S3ImageStoreSettings | FileImageStoreSettings;

export interface ImageSettings {
  /** Null when no store is configured: uploads then answer SERVICE_UNAVAILABLE. */
  store: ImageStoreSettings | null;
  /** The largest file an upload may declare. */
  maxBytes: number;
  /** How long an upload URL stays valid. */
  uploadTtlSeconds: number;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * The common subgraph settings (port 4002) plus the image store's (section 12.2):
 * IMAGE_STORE (`s3`, `fs` or `none`; by default `s3` when S3_BUCKET is set, else `fs` when
 * IMAGE_DIR is set or the mode is embedded, else `none`), IMAGE_MAX_BYTES (5 MiB),
 * IMAGE_UPLOAD_TTL_SECONDS (600); for `fs` IMAGE_DIR (embedded default: a fresh temporary
 * directory) and IMAGE_PUBLIC_URL; for `s3` S3_BUCKET, S3_REGION (us-east-1), S3_ENDPOINT,
 * S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_FORCE_PATH_STYLE (true) and S3_PUBLIC_URL
 * (default `<S3_ENDPOINT>/<S3_BUCKET>`).
 */
export function loadConfig(env: Env) {
  const base = loadSubgraphConfig('catalog', 4002, env);
  const parsed = parseEnv(
    {
      SKY_MODE: z.enum(['embedded', 'server']).default('server'),
      IMAGE_STORE: z.enum(['s3', 'fs', 'none']).optional(),
      IMAGE_MAX_BYTES: positiveInt(5 * 1024 * 1024),
      IMAGE_UPLOAD_TTL_SECONDS: positiveInt(600),
      IMAGE_DIR: z.string().optional(),
      IMAGE_PUBLIC_URL: z.string().url().optional(),
      S3_ENDPOINT: z.string().url().optional(),
      S3_REGION: z.string().default('us-east-1'),
      S3_BUCKET: z.string().optional(),
      S3_ACCESS_KEY_ID: z.string().optional(),
      S3_SECRET_ACCESS_KEY: z.string().optional(),
      S3_FORCE_PATH_STYLE: booleanFlag(true),
      S3_PUBLIC_URL: z.string().url().optional(),
    },
    env,
  );
  const kind =
    parsed.IMAGE_STORE ??
    (parsed.S3_BUCKET ? 's3' : parsed.IMAGE_DIR || parsed.SKY_MODE === 'embedded' ? 'fs' : 'none');
  const problems: string[] = [];
  let store: ImageStoreSettings | null = null;
  if (kind === 's3') {
    const missing = (['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter(
      (name) => !parsed[name],
    );
    for (const name of missing) problems.push(`${name}: required for the s3 image store`);
    if (!parsed.S3_PUBLIC_URL && !parsed.S3_ENDPOINT) {
      problems.push('S3_PUBLIC_URL: required for the s3 image store without S3_ENDPOINT');
    }
    if (missing.length === 0 && (parsed.S3_PUBLIC_URL || parsed.S3_ENDPOINT)) {
      store = {
        kind: 's3',
        endpoint: parsed.S3_ENDPOINT ? trimSlash(parsed.S3_ENDPOINT) : null,
        region: parsed.S3_REGION,
        bucket: parsed.S3_BUCKET!,
        accessKeyId: parsed.S3_ACCESS_KEY_ID!,
        secretAccessKey: parsed.S3_SECRET_ACCESS_KEY!,
        forcePathStyle: parsed.S3_FORCE_PATH_STYLE,
        publicUrl: trimSlash(
          parsed.S3_PUBLIC_URL ?? `${trimSlash(parsed.S3_ENDPOINT!)}/${parsed.S3_BUCKET}`,
        ),
      };
    }
  } else if (kind === 'fs') {
    // An embedded platform without a directory (in-memory databases) keeps its images in a
    // temporary directory: they live exactly as long as its data does.
    const directory = parsed.IMAGE_DIR || mkdtempSync(join(tmpdir(), 'sky-images-'));
    store = {
      kind: 'fs',
      directory,
      publicUrl: parsed.IMAGE_PUBLIC_URL ? trimSlash(parsed.IMAGE_PUBLIC_URL) : null,
    };
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const images: ImageSettings = {
    store,
    maxBytes: parsed.IMAGE_MAX_BYTES,
    uploadTtlSeconds: parsed.IMAGE_UPLOAD_TTL_SECONDS,
  };
  return { ...base, images };
}
