import { merchants as demoMerchants } from '@sky/demo-data';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, expectError, startCatalog, type TestCatalog } from './helpers.ts';
import { startS3Server, type S3TestServer } from './s3-server.ts';

const noodle = demoMerchants[0]!;
const dumpling = demoMerchants[1]!;
const beefNoodles = noodle.dishes[0]!;
const MAX_BYTES = 64 * 1024;

const CREATE_UPLOAD = /* GraphQL */ `
  mutation ($input: CreateImageUploadInput!) {
    createImageUpload(input: $input) {
      uploadUrl
      fields {
        name
        value
      }
      upload {
        id
        status
        purpose
        maxByteSize
        expiresAt
        imageUrl
        thumbnailUrl
      }
    }
  }
`;
const COMPLETE_UPLOAD = /* GraphQL */ `
  mutation ($id: ID!) {
    completeImageUpload(id: $id) {
      id
      status
      imageUrl
      thumbnailUrl
      width
      height
      thumbnailWidth
      thumbnailHeight
    }
  }
`;
const UPDATE_DISH_IMAGE = /* GraphQL */ `
  mutation ($id: ID!, $uploadId: ID) {
    updateDish(id: $id, input: { imageUploadId: $uploadId }) {
      imageUrl
      thumbnailUrl
    }
  }
`;
const UPDATE_LOGO = /* GraphQL */ `
  mutation ($merchantId: ID, $uploadId: ID) {
    updateMerchant(merchantId: $merchantId, input: { logoUploadId: $uploadId }) {
      logoUrl
      logoThumbnailUrl
    }
  }
`;
const DEMO_PICTURES = /* GraphQL */ `
  query ($id: ID!) {
    merchant(id: $id) {
      logoUrl
      logoThumbnailUrl
      dishes(first: 1) {
        edges {
          node {
            imageUrl
            thumbnailUrl
          }
        }
      }
    }
  }
`;

interface Created {
  uploadUrl: string;
  fields: { name: string; value: string }[];
  upload: { id: string; status: string; imageUrl: string; maxByteSize: number };
}
interface Completed {
  id: string;
  status: string;
  imageUrl: string;
  thumbnailUrl: string;
  width: number;
  height: number;
  thumbnailWidth: number;
  thumbnailHeight: number;
}

/** A real 800×600 JPEG and a 300×300 PNG, made once. */
let jpeg: Buffer;
let png: Buffer;
beforeAll(async () => {
  // A smooth gradient: photo-like enough for JPEG, a few kilobytes.
  const noise = Buffer.alloc(800 * 600 * 3);
  for (let y = 0; y < 600; y++) {
    for (let x = 0; x < 800; x++) {
      const at = (y * 800 + x) * 3;
      noise[at] = Math.floor((x * 255) / 800);
      noise[at + 1] = Math.floor((y * 255) / 600);
      noise[at + 2] = 128;
    }
  }
  jpeg = await sharp(noise, { raw: { width: 800, height: 600, channels: 3 } })
    .jpeg({ quality: 50 })
    .toBuffer();
  png = await sharp({
    create: { width: 300, height: 300, channels: 3, background: { r: 200, g: 30, b: 30 } },
  })
    .png()
    .toBuffer();
  expect(jpeg.length).toBeLessThan(MAX_BYTES);
});

/** Posts the file as a browser form would: the given fields in order, then `file`. */
async function postForm(created: Created, bytes: Buffer, contentType = 'image/jpeg') {
  const form = new FormData();
  for (const field of created.fields) form.append(field.name, field.value);
  form.append('file', new Blob([new Uint8Array(bytes)], { type: contentType }), 'upload');
  const answer = await fetch(created.uploadUrl, { method: 'POST', body: form });
  const text = await answer.text();
  return { status: answer.status, text };
}

async function fetchBytes(url: string) {
  const answer = await fetch(url);
  return {
    status: answer.status,
    type: answer.headers.get('content-type'),
    bytes: Buffer.from(await answer.arrayBuffer()),
  };
}

/**
 * The upload flow against one store. `enforcesPolicy` is false for s3rver, which stores what a
 * real S3 or MinIO would refuse at the POST (too large, too late): there the confirmation must
 * refuse it instead.
 */
function describeStore(
  name: string,
  setup: () => Promise<{ env: Record<string, string>; stop: () => Promise<void> }>,
  enforcesPolicy: boolean,
) {
  describe(name, () => {
    let catalog: TestCatalog;
    let stopStore: () => Promise<void>;
    let noodleStaff: string;
    let dumplingStaff: string;
    let admin: string;
    let customer: string;

    beforeAll(async () => {
      const store = await setup();
      stopStore = store.stop;
      catalog = await startCatalog({ ...store.env, IMAGE_MAX_BYTES: String(MAX_BYTES) });
      noodleStaff = catalog.token({ roles: ['MERCHANT_STAFF'], merchantId: noodle.id });
      dumplingStaff = catalog.token({ roles: ['MERCHANT_STAFF'], merchantId: dumpling.id });
      admin = catalog.token({ roles: ['ADMIN'] });
      customer = catalog.token({ roles: ['CUSTOMER'] });
      // A store process and a subgraph with its database: slow on a loaded machine.
    }, 240_000);

    afterAll(async () => {
      await catalog?.stop();
      await stopStore?.();
    });

    const create = async (
      input: Record<string, unknown> = {},
      token = noodleStaff,
    ): Promise<Created> =>
      dataOf(
        await catalog.gql<{ createImageUpload: Created }>(
          CREATE_UPLOAD,
          {
            input: {
              purpose: 'DISH_IMAGE',
              contentType: 'image/jpeg',
              byteSize: jpeg.length,
              ...input,
            },
          },
          token,
        ),
      ).createImageUpload;
    const complete = (id: string, token = noodleStaff) =>
      catalog.gql<{ completeImageUpload: Completed }>(COMPLETE_UPLOAD, { id }, token);

    it('stores a checked image with its thumbnail, and a dish and a logo take it', async () => {
      const created = await create();
      expect(created.upload.status).toBe('PENDING');
      expect(created.upload.maxByteSize).toBe(jpeg.length);
      expect((await postForm(created, jpeg)).status).toBeLessThan(300);

      const done = dataOf(await complete(created.upload.id)).completeImageUpload;
      expect(done).toMatchObject({
        status: 'COMPLETE',
        imageUrl: created.upload.imageUrl,
        width: 800,
        height: 600,
        thumbnailWidth: 320,
        thumbnailHeight: 240,
      });
      const original = await fetchBytes(done.imageUrl);
      expect(original.status).toBe(200);
      expect(original.bytes.equals(jpeg)).toBe(true);
      const thumbnail = await fetchBytes(done.thumbnailUrl);
      expect(thumbnail.status).toBe(200);
      const metadata = await sharp(thumbnail.bytes).metadata();
      expect([metadata.format, metadata.width, metadata.height]).toEqual(['webp', 320, 240]);

      // Confirming again answers the same upload (safe to retry).
      expect(dataOf(await complete(created.upload.id)).completeImageUpload).toEqual(done);

      const dish = dataOf(
        await catalog.gql<{ updateDish: { imageUrl: string; thumbnailUrl: string } }>(
          UPDATE_DISH_IMAGE,
          { id: beefNoodles.id, uploadId: done.id },
          noodleStaff,
        ),
      ).updateDish;
      expect(dish).toEqual({ imageUrl: done.imageUrl, thumbnailUrl: done.thumbnailUrl });

      const logoUpload = await create({
        purpose: 'MERCHANT_LOGO',
        contentType: 'image/png',
        byteSize: png.length,
      });
      expect((await postForm(logoUpload, png, 'image/png')).status).toBeLessThan(300);
      const logo = dataOf(await complete(logoUpload.upload.id)).completeImageUpload;
      expect([logo.thumbnailWidth, logo.thumbnailHeight]).toEqual([128, 128]);
      // An admin attaches it for the merchant; a dish cannot take a logo upload.
      const merchant = dataOf(
        await catalog.gql<{ updateMerchant: { logoUrl: string; logoThumbnailUrl: string } }>(
          UPDATE_LOGO,
          { merchantId: noodle.id, uploadId: logo.id },
          admin,
        ),
      ).updateMerchant;
      expect(merchant).toEqual({ logoUrl: logo.imageUrl, logoThumbnailUrl: logo.thumbnailUrl });
      expectError(
        await catalog.gql(
          UPDATE_DISH_IMAGE,
          { id: beefNoodles.id, uploadId: logo.id },
          noodleStaff,
        ),
        'BAD_USER_INPUT',
        { field: 'imageUploadId' },
      );
    });

    it('refuses a file whose bytes are not the declared type, and keeps refusing it', async () => {
      const created = await create({ contentType: 'image/png', byteSize: jpeg.length });
      expect((await postForm(created, jpeg, 'image/png')).status).toBeLessThan(300);
      expectError(await complete(created.upload.id), 'UNSUPPORTED_MEDIA_TYPE');
      expectError(await complete(created.upload.id), 'UNSUPPORTED_MEDIA_TYPE');

      const text = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>');
      const svg = await create({ contentType: 'image/png', byteSize: text.length });
      expect((await postForm(svg, text, 'image/png')).status).toBeLessThan(300);
      expectError(await complete(svg.upload.id), 'UNSUPPORTED_MEDIA_TYPE');
      // A rejected upload cannot be attached.
      expectError(
        await catalog.gql(
          UPDATE_DISH_IMAGE,
          { id: beefNoodles.id, uploadId: svg.upload.id },
          noodleStaff,
        ),
        'UPLOAD_INCOMPLETE',
        { field: 'imageUploadId' },
      );
    });

    it('refuses declared types and sizes it does not take', async () => {
      const refuse = async (input: Record<string, unknown>) =>
        catalog.gql(
          CREATE_UPLOAD,
          { input: { purpose: 'DISH_IMAGE', contentType: 'image/jpeg', byteSize: 10, ...input } },
          noodleStaff,
        );
      expectError(await refuse({ contentType: 'image/svg+xml' }), 'UNSUPPORTED_MEDIA_TYPE');
      expectError(await refuse({ contentType: 'text/html' }), 'UNSUPPORTED_MEDIA_TYPE');
      expectError(await refuse({ byteSize: MAX_BYTES + 1 }), 'PAYLOAD_TOO_LARGE', {
        maxBytes: MAX_BYTES,
      });
      expectError(await refuse({ byteSize: 0 }), 'BAD_USER_INPUT', { field: 'byteSize' });
    });

    it('refuses a file larger than declared', async () => {
      const created = await create({ byteSize: 1000 });
      const posted = await postForm(created, jpeg);
      if (enforcesPolicy) {
        expect(posted.status).toBe(413);
        expect(JSON.parse(posted.text).error.code).toBe('PAYLOAD_TOO_LARGE');
      } else {
        // s3rver stored it (S3 and MinIO answer EntityTooLarge to the POST instead).
        expect(posted.status).toBeLessThan(300);
      }
      expectError(await complete(created.upload.id), 'PAYLOAD_TOO_LARGE');
    });

    it('refuses an expired upload URL, and a confirmation with no file in time', async () => {
      const late = await create();
      await catalog.subgraph.prisma.imageUpload.update({
        where: { id: late.upload.id },
        data: { expiresAt: new Date(Date.now() - 60_000) },
      });
      const posted = await postForm(late, jpeg);
      if (enforcesPolicy) {
        expect(posted.status).toBe(410);
        expect(JSON.parse(posted.text).error.code).toBe('UPLOAD_EXPIRED');
      } else {
        expect(posted.status).toBeLessThan(300);
      }
      expectError(await complete(late.upload.id), 'UPLOAD_EXPIRED');

      const neverSent = await create();
      expectError(await complete(neverSent.upload.id), 'UPLOAD_INCOMPLETE');
      await catalog.subgraph.prisma.imageUpload.update({
        where: { id: neverSent.upload.id },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });
      expectError(await complete(neverSent.upload.id), 'UPLOAD_EXPIRED');
    });

    it('never lets a reused upload URL change a confirmed image', async () => {
      const created = await create();
      expect((await postForm(created, jpeg)).status).toBeLessThan(300);
      const again = await postForm(created, jpeg);
      if (enforcesPolicy) {
        // The file-system store's URL is single-use.
        expect(again.status).toBe(409);
        expect(JSON.parse(again.text).error.code).toBe('UPLOAD_ALREADY_USED');
      }
      const done = dataOf(await complete(created.upload.id)).completeImageUpload;
      // After confirmation the staging object is gone and never read again: a later post
      // (possible only where the store allows one) leaves the served image as it was.
      await postForm(created, png, 'image/png');
      expect(dataOf(await complete(created.upload.id)).completeImageUpload).toEqual(done);
      expect((await fetchBytes(done.imageUrl)).bytes.equals(jpeg)).toBe(true);
    });

    it('lets only the merchant’s staff and admins upload for it', async () => {
      expectError(
        await catalog.gql(
          CREATE_UPLOAD,
          {
            input: {
              merchantId: noodle.id,
              purpose: 'DISH_IMAGE',
              contentType: 'image/jpeg',
              byteSize: 10,
            },
          },
          dumplingStaff,
        ),
        'FORBIDDEN',
      );
      for (const token of [customer, undefined]) {
        expectError(
          await catalog.gql(
            CREATE_UPLOAD,
            { input: { purpose: 'DISH_IMAGE', contentType: 'image/jpeg', byteSize: 10 } },
            token,
          ),
          token ? 'FORBIDDEN' : 'UNAUTHENTICATED',
        );
      }
      const created = await create();
      expectError(await complete(created.upload.id, dumplingStaff), 'FORBIDDEN');
      expectError(await complete(created.upload.id, customer), 'FORBIDDEN');
      // An admin may upload for any merchant, naming it.
      const byAdmin = await create({ merchantId: dumpling.id }, admin);
      expect((await postForm(byAdmin, jpeg)).status).toBeLessThan(300);
      dataOf(await complete(byAdmin.upload.id, admin));
      // Another merchant's complete upload cannot be attached: the same answer as an unknown id.
      expectError(
        await catalog.gql(
          UPDATE_DISH_IMAGE,
          { id: beefNoodles.id, uploadId: byAdmin.upload.id },
          noodleStaff,
        ),
        'BAD_USER_INPUT',
        { field: 'imageUploadId' },
      );
      expectError(await complete('00000000-0000-4000-a000-000000000000'), 'NOT_FOUND');
    });

    if (enforcesPolicy) {
      it('refuses the file-system upload endpoint without the upload’s token', async () => {
        const created = await create();
        const forged = {
          ...created,
          fields: created.fields.map((f) => ({ ...f, value: `${f.value.slice(0, -2)}xx` })),
        };
        const posted = await postForm(forged, jpeg);
        expect(posted.status).toBe(403);
        expect(JSON.parse(posted.text).error.code).toBe('FORBIDDEN');
        // The refusal did not spend the URL.
        expect((await postForm(created, jpeg)).status).toBe(204);
        // Staging files are not served, only confirmed images.
        const staged = new URL(created.uploadUrl);
        expect((await fetch(`${staged.origin}/uploads/${created.upload.id}`)).status).toBe(404);
      });
    }

    it('seeds the demo menu with pictures that are served', async () => {
      const merchant = dataOf(
        await catalog.gql<{
          merchant: {
            logoUrl: string;
            logoThumbnailUrl: string;
            dishes: { edges: { node: { imageUrl: string; thumbnailUrl: string } }[] };
          };
        }>(DEMO_PICTURES, { id: dumpling.id }),
      ).merchant;
      const dish = merchant.dishes.edges[0]!.node;
      for (const url of [
        merchant.logoUrl,
        merchant.logoThumbnailUrl,
        dish.imageUrl,
        dish.thumbnailUrl,
      ]) {
        const served = await fetchBytes(url);
        expect(served.status, url).toBe(200);
        expect((await sharp(served.bytes).metadata()).format).toBe('webp');
      }
      const thumbnail = await sharp((await fetchBytes(dish.thumbnailUrl)).bytes).metadata();
      expect([thumbnail.width, thumbnail.height]).toEqual([320, 240]);
    });
  });
}

const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

describeStore(
  'file-system store',
  async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sky-images-test-'));
    directories.push(directory);
    return { env: { IMAGE_STORE: 'fs', IMAGE_DIR: directory }, stop: async () => {} };
  },
  true,
);

describeStore(
  'S3-compatible store (s3rver, a real server process)',
  async (): Promise<S3TestServer> => startS3Server(),
  false,
);
