import busboy from 'busboy';
import express, { type Express, type Request, type Response } from 'express';
import { ErrorCode } from '@sky/errors';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { timingSafeEqual } from 'node:crypto';
import { stagingKey } from '../domain/images.ts';
import { hashUploadToken } from '../services/images.ts';
import type { ImageUploadStore } from '../stores/image-upload-store.ts';
import {
  FILE_IMAGES_PATH,
  FILE_UPLOAD_PATH,
  type FileObjectStorage,
} from '../stores/object-storage.ts';

function refuse(res: Response, status: number, code: string, message: string) {
  if (res.headersSent) return;
  res.status(status).json({ error: { code, message } });
}

const sameHash = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Bytes read and thrown away after a refusal, so the client can read the answer; past this
 * the connection is cut instead (nobody uploads a file many times the limit by mistake).
 */
const DRAIN_LIMIT_BYTES = 1024 * 1024;

/**
 * The file-system store's HTTP side (docs/architecture.md, section 12.2), in embedded mode:
 *
 * - `POST /uploads/<id>`, an HTML form (`multipart/form-data`): the field `token` (the single-use
 *   token from `createImageUpload`), then the field `file`. Answers 204 when the file is stored;
 *   404 NOT_FOUND (no such upload), 403 FORBIDDEN (wrong token), 410 UPLOAD_EXPIRED,
 *   409 UPLOAD_ALREADY_USED (the URL was used before, successfully or not), 413
 *   PAYLOAD_TOO_LARGE (more bytes than declared, counted while streaming: the upload is then
 *   REJECTED), 400 BAD_REQUEST (not such a form). The token, not a session, authorises it, so
 *   any origin may post (no cookies are read).
 * - `GET /images/...`: the checked images and thumbnails, immutable; staging files under
 *   `uploads/` are never served.
 */
export function mountImageFiles(
  app: Express,
  storage: FileObjectStorage,
  uploads: () => ImageUploadStore,
): void {
  app.use(
    FILE_IMAGES_PATH,
    express.static(join(storage.root, 'images'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      dotfiles: 'deny',
      fallthrough: false,
      setHeaders: (res) => {
        res.setHeader('x-content-type-options', 'nosniff');
        res.setHeader('access-control-allow-origin', '*');
      },
    }),
  );

  app.post(`${FILE_UPLOAD_PATH}/:id`, async (req: Request, res: Response) => {
    res.setHeader('access-control-allow-origin', '*');
    const store = uploads();
    const id = String(req.params.id);
    const upload = await store.load(id);
    if (!upload) return refuse(res, 404, ErrorCode.NOT_FOUND, 'Image upload not found.');
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // One byte over the declared size is read (so "larger" can be told from "exactly
        // the size"); busboy drops the rest of the file unread.
        limits: { files: 1, fields: 4, fieldSize: 256, fileSize: upload.maxByteSize + 1 },
      });
    } catch {
      return refuse(res, 400, ErrorCode.BAD_REQUEST, 'Send a multipart/form-data form.');
    }
    let token: string | null = null;
    let fileSeen = false;
    let drained = 0;
    let handled = false;
    const finish = (status: number, code?: string, message?: string) => {
      if (handled) return;
      handled = true;
      if (code) {
        // The rest of the body is read and dropped (up to a bound) so the answer reaches the
        // client; the connection is closed after it.
        res.setHeader('connection', 'close');
        req.on('data', (chunk: Buffer) => {
          drained += chunk.length;
          if (drained > DRAIN_LIMIT_BYTES) req.destroy();
        });
        refuse(res, status, code, message ?? code);
      } else {
        res.status(status).end();
      }
    };

    parser.on('field', (name, value) => {
      if (name === 'token') token = value;
    });
    parser.on('file', (name, file) => {
      void (async () => {
        if (name !== 'file' || handled) return file.resume();
        fileSeen = true;
        const now = new Date();
        if (!token || !sameHash(hashUploadToken(token), upload.tokenHash)) {
          file.resume();
          return finish(403, ErrorCode.FORBIDDEN, 'The upload token is not valid.');
        }
        if (upload.expiresAt <= now) {
          file.resume();
          return finish(410, ErrorCode.UPLOAD_EXPIRED, 'The upload URL has expired.');
        }
        if (!(await store.claimReceipt(id, now))) {
          file.resume();
          const current = await store.load(id);
          return current && current.expiresAt <= now
            ? finish(410, ErrorCode.UPLOAD_EXPIRED, 'The upload URL has expired.')
            : finish(409, ErrorCode.UPLOAD_ALREADY_USED, 'The upload URL was already used.');
        }
        const target = storage.path(stagingKey(id));
        const partial = `${target}.partial`;
        await mkdir(dirname(target), { recursive: true });
        try {
          await pipeline(file, createWriteStream(partial));
        } catch (error) {
          await rm(partial, { force: true });
          req.sky.logger.warn({ err: error, uploadId: id }, 'an image upload broke off');
          return finish(400, ErrorCode.BAD_REQUEST, 'The file did not arrive whole.');
        }
        if ((await stat(partial)).size > upload.maxByteSize) {
          await rm(partial, { force: true });
          await store.reject(id, ErrorCode.PAYLOAD_TOO_LARGE);
          return finish(
            413,
            ErrorCode.PAYLOAD_TOO_LARGE,
            `The file is larger than the ${upload.maxByteSize} bytes declared.`,
          );
        }
        await rename(partial, target);
        finish(204);
      })().catch((error: unknown) => {
        req.sky.logger.error({ err: error, uploadId: id }, 'image upload failed');
        finish(500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error.');
      });
    });
    parser.on('close', () => {
      if (!fileSeen) finish(400, ErrorCode.BAD_REQUEST, 'Send the field token, then the file.');
    });
    parser.on('error', () => finish(400, ErrorCode.BAD_REQUEST, 'The form could not be read.'));
    req.pipe(parser);
  });
}
