import sharp, { type ResizeOptions } from 'sharp';

/**
 * The rules of image uploads (docs/architecture.md, section 12.2): which types are accepted and
 * how they are recognised, where each object lives in the store, and the thumbnail of each
 * purpose.
 */

export type ImagePurpose = 'DISH_IMAGE' | 'SET_MEAL_IMAGE' | 'MERCHANT_LOGO';

/** The accepted content types and the file extension their objects get. */
export const IMAGE_TYPES = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
} as const;

export type ImageContentType = keyof typeof IMAGE_TYPES;

export const isImageContentType = (value: string): value is ImageContentType =>
  Object.hasOwn(IMAGE_TYPES, value);

/**
 * The type a file's first bytes say it is, by hand (no file-type package: three signatures are
 * all the platform accepts, and a dependency would not make them more exact):
 * JPEG `FF D8 FF`, PNG `89 50 4E 47 0D 0A 1A 0A`, WebP `RIFF....WEBP`.
 */
export function sniffImageType(bytes: Uint8Array): ImageContentType | null {
  const startsWith = (signature: readonly number[], offset = 0) =>
    bytes.length >= offset + signature.length &&
    signature.every((byte, index) => bytes[offset + index] === byte);
  if (startsWith([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith([0x52, 0x49, 0x46, 0x46]) && startsWith([0x57, 0x45, 0x42, 0x50], 8)) {
    return 'image/webp';
  }
  return null;
}

/** Where the file of a pending upload is sent (never served). */
export const stagingKey = (uploadId: string) => `uploads/${uploadId}`;

/** Where the checked image of an upload is served from. */
export const imageKey = (merchantId: string, uploadId: string, contentType: ImageContentType) =>
  `images/${merchantId}/${uploadId}.${IMAGE_TYPES[contentType]}`;

/** Where its thumbnail is served from. */
export const thumbnailKey = (merchantId: string, uploadId: string) =>
  `images/${merchantId}/${uploadId}-thumb.webp`;

/**
 * Dish and set meal thumbnails keep the picture whole within 320×320; logos are cropped to a
 * 128×128 square, as shop lists show them.
 */
const THUMBNAILS: Record<ImagePurpose, ResizeOptions> = {
  DISH_IMAGE: { width: 320, height: 320, fit: 'inside', withoutEnlargement: true },
  SET_MEAL_IMAGE: { width: 320, height: 320, fit: 'inside', withoutEnlargement: true },
  MERCHANT_LOGO: { width: 128, height: 128, fit: 'cover' },
};

/**
 * Decoding more pixels than this is refused: a small file can declare a huge canvas
 * (a decompression bomb), and 40 megapixels is far more than any menu photo needs.
 */
const MAX_INPUT_PIXELS = 40_000_000;

export interface ProcessedImage {
  width: number;
  height: number;
  thumbnail: Buffer;
  thumbnailWidth: number;
  thumbnailHeight: number;
}

/**
 * Decodes the image (fully: a truncated or corrupt file fails here, not in a browser) and makes
 * its WebP thumbnail, turned upright by its EXIF orientation. Null when sharp cannot read it.
 */
export async function processImage(
  bytes: Buffer,
  purpose: ImagePurpose,
): Promise<ProcessedImage | null> {
  try {
    const options = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' } as const;
    const metadata = await sharp(bytes, options).metadata();
    const { data, info } = await sharp(bytes, options)
      .rotate()
      .resize(THUMBNAILS[purpose])
      .webp({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    const upright = (metadata.orientation ?? 1) >= 5;
    return {
      width: upright ? metadata.height : metadata.width,
      height: upright ? metadata.width : metadata.height,
      thumbnail: data,
      thumbnailWidth: info.width,
      thumbnailHeight: info.height,
    };
  } catch {
    return null;
  }
}
