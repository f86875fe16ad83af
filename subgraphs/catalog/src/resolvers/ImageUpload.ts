import type { ImageUploadResolvers } from '../__generated__/resolvers-types.ts';
import { imageKey, isImageContentType } from '../domain/images.ts';

export const ImageUpload: ImageUploadResolvers = {
  // Known from the start (the key follows from the upload), so a client can show it at once.
  imageUrl: (upload, _args, { images }) =>
    images.url(
      upload.imageKey ??
        (isImageContentType(upload.contentType)
          ? imageKey(upload.merchantId, upload.id, upload.contentType)
          : null),
    ) ?? '',
  thumbnailUrl: (upload, _args, { images }) => images.url(upload.thumbnailKey),
};
