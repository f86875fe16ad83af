import { isUuid, rowsById } from '@sky/database';
import type { ImageUpload, PrismaClient } from '../__generated__/prisma/client.ts';
import type { ImagePurpose } from '../domain/images.ts';

export interface NewImageUpload {
  id: string;
  merchantId: string;
  purpose: ImagePurpose;
  contentType: string;
  maxByteSize: number;
  tokenHash: string;
  expiresAt: Date;
  createdById: string;
}

export interface CompletedImage {
  imageKey: string;
  thumbnailKey: string;
  width: number;
  height: number;
  thumbnailWidth: number;
  thumbnailHeight: number;
}

/** The rows of image uploads (section 12.2); state changes are conditional updates. */
export class ImageUploadStore {
  private readonly byId = rowsById((ids) =>
    this.prisma.imageUpload.findMany({ where: { id: { in: ids } } }),
  );

  constructor(private readonly prisma: PrismaClient) {}

  load(id: string): Promise<ImageUpload | null> {
    return this.byId.load(id);
  }

  create(upload: NewImageUpload): Promise<ImageUpload> {
    return this.prisma.imageUpload.create({ data: upload });
  }

  /**
   * Claims the single use of a file-system upload URL: true for the one request that finds the
   * upload PENDING, unexpired and not yet received; false for every other one.
   */
  async claimReceipt(id: string, now: Date): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { count } = await this.prisma.imageUpload.updateMany({
      where: { id, status: 'PENDING', receivedAt: null, expiresAt: { gt: now } },
      data: { receivedAt: now },
    });
    return count === 1;
  }

  /** Marks a pending upload COMPLETE; the row as it is afterwards (a racing twin's result too). */
  async complete(id: string, image: CompletedImage, now: Date): Promise<ImageUpload> {
    await this.prisma.imageUpload.updateMany({
      where: { id, status: 'PENDING' },
      data: { ...image, status: 'COMPLETE', completedAt: now },
    });
    return this.prisma.imageUpload.findUniqueOrThrow({ where: { id } });
  }

  /** Marks a pending upload REJECTED with the code it was refused with. */
  async reject(id: string, code: string): Promise<void> {
    await this.prisma.imageUpload.updateMany({
      where: { id, status: 'PENDING' },
      data: { status: 'REJECTED', rejectedCode: code },
    });
  }
}
