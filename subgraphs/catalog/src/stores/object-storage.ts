import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import type { FileImageStoreSettings, S3ImageStoreSettings } from '../config.ts';

/** An object's size and when it was written. */
export interface StoredObject {
  size: number;
  lastModified: Date;
}

/** How a browser sends a file straight to the store: a form POST with these fields first. */
export interface UploadForm {
  url: string;
  fields: Record<string, string>;
}

export interface UploadFormRequest {
  uploadId: string;
  key: string;
  contentType: string;
  maxBytes: number;
  expiresAt: Date;
  /** The single-use token the file-system store's endpoint checks (S3 checks its policy). */
  token: string;
}

/**
 * Where images are kept (docs/architecture.md, section 12.2): an S3-compatible bucket in server
 * mode, a local directory served by this subgraph in embedded mode. Keys are `uploads/<id>`
 * (staging, never served) and `images/...` (checked images, served publicly).
 */
export interface ObjectStorage {
  readonly kind: 's3' | 'fs';
  uploadForm(request: UploadFormRequest): Promise<UploadForm>;
  head(key: string): Promise<StoredObject | null>;
  read(key: string): Promise<Buffer | null>;
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** The URL browsers load the object from. */
  publicUrl(key: string): string;
}

/** Served images never change (every upload has its own key), so caches may keep them. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

export class S3ObjectStorage implements ObjectStorage {
  readonly kind = 's3';
  private readonly client: S3Client;

  constructor(private readonly settings: S3ImageStoreSettings) {
    this.client = new S3Client({
      region: settings.region,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      forcePathStyle: settings.forcePathStyle,
      credentials: {
        accessKeyId: settings.accessKeyId,
        secretAccessKey: settings.secretAccessKey,
      },
    });
  }

  /**
   * A presigned POST policy: the key and content type fixed, the size limited by
   * `content-length-range` and the policy expiring with the upload, all enforced by the store.
   */
  async uploadForm(request: UploadFormRequest): Promise<UploadForm> {
    const expiresInSeconds = Math.max(
      1,
      Math.ceil((request.expiresAt.getTime() - Date.now()) / 1000),
    );
    const { fields } = await createPresignedPost(this.client, {
      Bucket: this.settings.bucket,
      Key: request.key,
      Conditions: [
        ['content-length-range', 1, request.maxBytes],
        ['eq', '$Content-Type', request.contentType],
      ],
      Fields: { 'Content-Type': request.contentType },
      Expires: expiresInSeconds,
    });
    // Browsers post to the bucket's public address; the policy does not name the host.
    return { url: this.settings.publicUrl, fields };
  }

  async head(key: string): Promise<StoredObject | null> {
    try {
      const answer = await this.client.send(
        new HeadObjectCommand({ Bucket: this.settings.bucket, Key: key }),
      );
      return { size: answer.ContentLength ?? 0, lastModified: answer.LastModified ?? new Date(0) };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async read(key: string): Promise<Buffer | null> {
    try {
      const answer = await this.client.send(
        new GetObjectCommand({ Bucket: this.settings.bucket, Key: key }),
      );
      return answer.Body ? Buffer.from(await answer.Body.transformToByteArray()) : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.settings.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        CacheControl: IMMUTABLE,
      }),
    );
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: key }));
  }

  publicUrl(key: string): string {
    return `${this.settings.publicUrl}/${key}`;
  }
}

const isMissing = (error: unknown) =>
  error instanceof S3ServiceException &&
  (error.name === 'NotFound' ||
    error.name === 'NoSuchKey' ||
    error.$metadata.httpStatusCode === 404);

/** The route of the file-system store's upload endpoint (routes/image-files.ts). */
export const FILE_UPLOAD_PATH = '/uploads';
/** The route its images are served under (the `images/` keys). */
export const FILE_IMAGES_PATH = '/images';

export class FileObjectStorage implements ObjectStorage {
  readonly kind = 'fs';
  readonly root: string;

  /** `origin()` is where browsers reach this subgraph (its own listener by default). */
  constructor(
    settings: FileImageStoreSettings,
    private readonly origin: () => string,
  ) {
    this.root = resolve(settings.directory);
  }

  /**
   * The platform's own upload endpoint: the URL names the upload, the form carries its
   * single-use token (the endpoint checks it, the expiry and the size while streaming).
   */
  async uploadForm(request: UploadFormRequest): Promise<UploadForm> {
    return {
      url: `${this.origin()}${FILE_UPLOAD_PATH}/${request.uploadId}`,
      fields: { token: request.token },
    };
  }

  /** The file of a key; keys never leave the root (they are built here, but check anyway). */
  path(key: string): string {
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new Error(`bad object key: ${key}`);
    return path;
  }

  async head(key: string): Promise<StoredObject | null> {
    try {
      const stats = await stat(this.path(key));
      return { size: stats.size, lastModified: stats.mtime };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async read(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** Written to a temporary name and renamed, so a reader never sees half a file. */
  async put(key: string, body: Buffer): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, body);
    await rename(temporary, path);
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  publicUrl(key: string): string {
    return `${this.origin()}/${key}`;
  }
}
