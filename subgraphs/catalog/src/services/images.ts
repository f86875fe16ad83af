import type { Viewer } from '@sky/auth';
import { badUserInput, domainError, ErrorCode, notFound, serviceUnavailable } from '@sky/errors';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ImageSettings } from '../config.ts';
import {
  imageKey,
  isImageContentType,
  processImage,
  sniffImageType,
  stagingKey,
  thumbnailKey,
  type ImagePurpose,
} from '../domain/images.ts';
import { assertManages, merchantToManage } from '../permissions.ts';
import type { CatalogStores, ImageUpload } from '../stores/index.ts';
import type { ObjectStorage, UploadForm } from '../stores/object-storage.ts';

/** The SHA-256 (hex) a single-use upload token is kept as. */
export const hashUploadToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Clocks of the store and of this service may differ a little; a file that arrived this long
 * after `expiresAt` by the store's clock is still taken (the store enforced the expiry itself).
 */
const CLOCK_SKEW_MS = 5_000;

/**
 * The URL of an item's picture: its uploaded image when it has one, else its external URL. A
 * key without a store (the store was switched off) shows no picture rather than a broken one.
 */
export function pictureUrl(
  storage: ObjectStorage | null,
  key: string | null,
  externalUrl: string | null,
): string | null {
  if (key) return storage ? storage.publicUrl(key) : null;
  return externalUrl;
}

/** The keys an attached image leaves on a dish, set meal or merchant. */
export interface AttachedImage {
  imageKey: string;
  thumbnailKey: string;
}

/**
 * Image uploads (docs/architecture.md, section 12.2): a merchant's staff (or an admin) starts an
 * upload and gets a form to post the file to the store, then confirms it; the confirmation
 * checks the file, writes the image and its thumbnail where they are served and deletes the
 * staging object. Dishes, set meals and merchants then take the upload by id.
 */
export class ImageUploads {
  constructor(
    private readonly stores: CatalogStores,
    private readonly storage: ObjectStorage | null,
    private readonly settings: ImageSettings,
    private readonly viewer: Viewer | null,
    private readonly now: Date,
  ) {}

  async create(input: {
    merchantId?: string | null;
    purpose: ImagePurpose;
    contentType: string;
    byteSize: number;
  }): Promise<{ upload: ImageUpload; form: UploadForm }> {
    const merchant = await this.stores.merchants.load(
      merchantToManage(this.viewer, input.merchantId),
    );
    if (!merchant) throw notFound('Merchant');
    const contentType = input.contentType.trim().toLowerCase();
    if (!isImageContentType(contentType)) {
      throw domainError(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        'An image must be image/jpeg, image/png or image/webp.',
        { field: 'contentType' },
      );
    }
    if (input.byteSize < 1) throw badUserInput('"byteSize" must be at least 1.', 'byteSize');
    if (input.byteSize > this.settings.maxBytes) {
      throw domainError(
        ErrorCode.PAYLOAD_TOO_LARGE,
        `An image may have at most ${this.settings.maxBytes} bytes.`,
        { field: 'byteSize', maxBytes: this.settings.maxBytes },
      );
    }
    const storage = this.requireStorage();
    const id = randomUUID();
    // The token only matters to the file-system store, whose URL names the upload; it is made
    // for every upload so that switching stores never leaves an upload without one.
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.now.getTime() + this.settings.uploadTtlSeconds * 1000);
    const upload = await this.stores.imageUploads.create({
      id,
      merchantId: merchant.id,
      purpose: input.purpose,
      contentType,
      maxByteSize: input.byteSize,
      tokenHash: hashUploadToken(token),
      expiresAt,
      createdById: this.viewer!.userId,
    });
    const form = await storage.uploadForm({
      uploadId: id,
      key: stagingKey(id),
      contentType,
      maxBytes: input.byteSize,
      expiresAt,
      token,
    });
    return { upload, form };
  }

  /**
   * Checks the staging object and makes the upload COMPLETE, or REJECTED with the code it is
   * refused with (the staging object is then deleted: it is never read again).
   */
  async complete(id: string): Promise<ImageUpload> {
    const upload = await this.stores.imageUploads.load(id);
    if (!upload) throw notFound('Image upload');
    assertManages(this.viewer, upload.merchantId);
    if (upload.status === 'COMPLETE') return upload;
    if (upload.status === 'REJECTED') throw this.refusal(upload.rejectedCode ?? '');
    const storage = this.requireStorage();
    const staged = await storage.head(stagingKey(id));
    if (!staged) {
      if (upload.expiresAt <= this.now) {
        await this.reject(upload, ErrorCode.UPLOAD_EXPIRED);
      }
      throw this.refusal(ErrorCode.UPLOAD_INCOMPLETE);
    }
    if (staged.lastModified.getTime() > upload.expiresAt.getTime() + CLOCK_SKEW_MS) {
      await this.reject(upload, ErrorCode.UPLOAD_EXPIRED);
    }
    // The store's policy or endpoint limited the size already; checked again here so that a
    // store which does not enforce its policy cannot let a larger file through.
    if (staged.size > upload.maxByteSize) await this.reject(upload, ErrorCode.PAYLOAD_TOO_LARGE);
    const bytes = await storage.read(stagingKey(id));
    if (!bytes) throw this.refusal(ErrorCode.UPLOAD_INCOMPLETE);
    if (bytes.length > upload.maxByteSize) await this.reject(upload, ErrorCode.PAYLOAD_TOO_LARGE);
    const contentType = sniffImageType(bytes);
    if (contentType !== upload.contentType || !isImageContentType(contentType)) {
      await this.reject(upload, ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    }
    const processed = await processImage(bytes, upload.purpose);
    if (!processed) return this.reject(upload, ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    const keys = {
      imageKey: imageKey(upload.merchantId, id, contentType!),
      thumbnailKey: thumbnailKey(upload.merchantId, id),
    };
    await storage.put(keys.imageKey, bytes, contentType!);
    await storage.put(keys.thumbnailKey, processed.thumbnail, 'image/webp');
    const completed = await this.stores.imageUploads.complete(
      id,
      {
        ...keys,
        width: processed.width,
        height: processed.height,
        thumbnailWidth: processed.thumbnailWidth,
        thumbnailHeight: processed.thumbnailHeight,
      },
      this.now,
    );
    await storage.delete(stagingKey(id));
    return completed;
  }

  /**
   * The keys of a COMPLETE upload of `merchantId` for `purpose`, to attach under `field`:
   * BAD_USER_INPUT when it is unknown, another merchant's or for another purpose (the same
   * answer, so ids of other merchants' uploads cannot be probed), UPLOAD_INCOMPLETE before it is
   * confirmed.
   */
  async attachable(
    uploadId: string,
    merchantId: string,
    purpose: ImagePurpose,
    field: string,
  ): Promise<AttachedImage> {
    const upload = await this.stores.imageUploads.load(uploadId);
    if (!upload || upload.merchantId !== merchantId || upload.purpose !== purpose) {
      throw badUserInput(
        `"${field}" must be an image upload of this merchant with purpose ${purpose}.`,
        field,
      );
    }
    if (upload.status !== 'COMPLETE' || !upload.imageKey || !upload.thumbnailKey) {
      throw domainError(
        ErrorCode.UPLOAD_INCOMPLETE,
        'The image upload is not complete: send the file and call completeImageUpload first.',
        { field },
      );
    }
    return { imageKey: upload.imageKey, thumbnailKey: upload.thumbnailKey };
  }

  /** The URL of an item's picture (see `pictureUrl`). */
  url(key: string | null, externalUrl: string | null = null): string | null {
    return pictureUrl(this.storage, key, externalUrl);
  }

  private requireStorage(): ObjectStorage {
    if (!this.storage) {
      throw serviceUnavailable('No image store is configured.', 60, 'IMAGE_STORE_NOT_CONFIGURED');
    }
    return this.storage;
  }

  private async reject(upload: ImageUpload, code: ErrorCode): Promise<never> {
    await this.stores.imageUploads.reject(upload.id, code);
    await this.storage?.delete(stagingKey(upload.id));
    throw this.refusal(code);
  }

  private refusal(code: string) {
    switch (code) {
      case ErrorCode.UPLOAD_EXPIRED:
        return domainError(code, 'The upload URL expired before the file arrived.');
      case ErrorCode.PAYLOAD_TOO_LARGE:
        return domainError(code, 'The file is larger than the upload declared.');
      case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
        return domainError(code, 'The file is not a readable image of the declared type.');
      default:
        return domainError(
          ErrorCode.UPLOAD_INCOMPLETE,
          'No file has arrived for this upload yet: send it to the upload URL first.',
        );
    }
  }
}
